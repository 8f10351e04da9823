"""completePromise: resolve, reject or cancel a pending promise (semantics §2.2)."""

from __future__ import annotations

from app.coroutines.jobs import Job
from app.coroutines.store import run_one
from kernel import metrics
from kernel.coroutine import Coroutine
from kernel.promise import Promise, State, keys_match
from kernel.t_aio import CompleteOutcome, CompletePromise, CompletePromiseResult
from kernel.t_api import ALREADY_COMPLETED, CompletePromiseRequest, Response, Status


def complete_promise(c: Coroutine, req: CompletePromiseRequest) -> Response:
    result: CompletePromiseResult = run_one(
        c, CompletePromise(req.id, req.state, req.value, req.idempotency_key, c.time())
    )
    promise = result.promise
    if result.outcome is CompleteOutcome.NOT_FOUND or promise is None:
        return Response(Status.PROMISE_NOT_FOUND)
    if result.tasks_created:
        c.signal(Job.ENQUEUE_TASKS)
    if result.outcome is CompleteOutcome.COMPLETED:
        metrics.PROMISES_SETTLED.labels("legacy", promise.state.value.lower()).inc()
        return Response(Status.CREATED, promise)
    if result.outcome is CompleteOutcome.TIMED_OUT:
        status = timed_out_status(promise, req.strict)
    else:
        status = repeat_status(promise, req)
    return Response(status, promise if status is Status.OK else None)


def timed_out_status(promise: Promise, strict: bool) -> Status:
    """The promise was due and has just been timed out instead of completed."""
    if promise.state is State.RESOLVED:  # tagged resonate:timeout=true
        return Status.PROMISE_ALREADY_RESOLVED
    return Status.PROMISE_ALREADY_TIMEDOUT if strict else Status.OK


def repeat_status(promise: Promise, req: CompletePromiseRequest) -> Status:
    """The promise was already completed: 200 for a repeat, else 403 for its state."""
    same_key = keys_match(promise.idempotency_key_for_complete, req.idempotency_key)
    if same_key and (not req.strict or promise.state is req.state):
        return Status.OK
    if promise.state is State.REJECTED_TIMEDOUT and not req.strict:
        return Status.OK
    return ALREADY_COMPLETED[promise.state]
