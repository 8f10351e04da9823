"""ping: answers OK only when the store answers (the health check)."""

from __future__ import annotations

from app.coroutines.store import run_one
from kernel.coroutine import Coroutine
from kernel.t_aio import Ping
from kernel.t_api import PingRequest, Response, Status


def ping(c: Coroutine, req: PingRequest) -> Response:
    run_one(c, Ping())
    return Response(Status.OK)
