"""readPromise: the stored promise, timed out first if it is due."""

from __future__ import annotations

from app.coroutines.store import run_one
from kernel.coroutine import Coroutine
from kernel.t_aio import ReadPromise
from kernel.t_api import ReadPromiseRequest, Response, Status


def read_promise(c: Coroutine, req: ReadPromiseRequest) -> Response:
    promise = run_one(c, ReadPromise(req.id, c.time()))
    if promise is None:
        return Response(Status.PROMISE_NOT_FOUND)
    return Response(Status.OK, promise)
