"""claimTask: take a task (INIT or ENQUEUED, current counter) and get its message."""

from __future__ import annotations

from app.coroutines.store import run_one
from kernel.coroutine import Coroutine
from kernel.t_aio import ClaimTask, TaskOutcome, TaskResult
from kernel.t_api import ClaimedMessage, ClaimTaskRequest, Response, Status
from kernel.task import MessageType

TASK_ERRORS = {
    TaskOutcome.NOT_FOUND: Status.TASK_NOT_FOUND,
    TaskOutcome.ALREADY_CLAIMED: Status.TASK_ALREADY_CLAIMED,
    TaskOutcome.ALREADY_COMPLETED: Status.TASK_ALREADY_COMPLETED,
    TaskOutcome.INVALID_COUNTER: Status.TASK_INVALID_COUNTER,
    TaskOutcome.INVALID_STATE: Status.TASK_INVALID_STATE,
}


def claim_task(c: Coroutine, req: ClaimTaskRequest) -> Response:
    result: TaskResult = run_one(c, ClaimTask(req.id, req.counter, req.process_id, req.ttl, c.time()))
    if result.outcome is not TaskOutcome.CLAIMED or result.task is None:
        return Response(TASK_ERRORS[result.outcome])
    task = result.task
    resume = task.message_type is MessageType.RESUME
    message = ClaimedMessage(
        type=task.message_type,
        root_promise_id=task.root_promise_id,
        root=result.root,
        leaf_promise_id=task.leaf_promise_id if resume else None,
        leaf=result.leaf if resume else None,
    )
    return Response(Status.CREATED, message)
