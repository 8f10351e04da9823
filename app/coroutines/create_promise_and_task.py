"""createPromiseAndTask: create a promise and a task already claimed by the caller, so
the caller can run the function at once (POST /promises/task)."""

from __future__ import annotations

from app.coroutines.create_promise import dedup_status, insert
from app.coroutines.router import invoke_recv
from kernel.coroutine import Coroutine
from kernel.t_aio import NewTask
from kernel.t_api import CreatePromiseAndTaskRequest, PromiseAndTask, Response, Status


def create_promise_and_task(c: Coroutine, req: CreatePromiseAndTaskRequest) -> Response:
    recv = invoke_recv(req.promise.tags)
    if recv is None:
        return Response(Status.PROMISE_RECV_NOT_FOUND)
    result = insert(c, req.promise, NewTask(recv, req.process_id, req.ttl))
    if result.created:
        return Response(Status.CREATED, PromiseAndTask(result.promise, result.task))
    status = dedup_status(result.promise, req.promise.idempotency_key, req.promise.strict)
    return Response(status, PromiseAndTask(result.promise, None) if status is Status.OK else None)
