"""createPromise: insert a pending promise, or deduplicate against the stored one.
A promise tagged resonate:invoke gets its invoke task in the same transaction."""

from __future__ import annotations

from app.coroutines.jobs import Job
from app.coroutines.router import invoke_recv
from app.coroutines.store import run_one
from kernel import metrics
from kernel.coroutine import Coroutine
from kernel.promise import Promise, State, keys_match
from kernel.t_aio import CreatePromise, CreatePromiseResult, NewTask
from kernel.t_api import CreatePromiseRequest, Response, Status


def create_promise(c: Coroutine, req: CreatePromiseRequest) -> Response:
    recv = invoke_recv(req.tags)
    result = insert(c, req, NewTask(recv) if recv is not None else None)
    if result.created:
        metrics.PROMISES_CREATED.labels("legacy").inc()
        if result.task is not None:
            c.signal(Job.ENQUEUE_TASKS)
        return Response(Status.CREATED, result.promise)
    status = dedup_status(result.promise, req.idempotency_key, req.strict)
    return Response(status, result.promise if status is Status.OK else None)


def insert(c: Coroutine, req: CreatePromiseRequest, task: NewTask | None) -> CreatePromiseResult:
    command = CreatePromise(req.id, req.param, req.timeout, req.idempotency_key, req.tags, c.time(), task)
    return run_one(c, command)


def dedup_status(stored: Promise, idempotency_key: str | None, strict: bool) -> Status:
    """200 when the create repeats the stored one, else 409 (the store has already
    timed out a due promise, so a pending one here is live)."""
    if not keys_match(stored.idempotency_key_for_create, idempotency_key):
        return Status.PROMISE_ALREADY_EXISTS
    if stored.state is State.PENDING or not strict:
        return Status.OK
    return Status.PROMISE_ALREADY_EXISTS
