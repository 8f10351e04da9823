"""completeTask: finish a claimed task; the root's next message may then be sent. A
task already finished is answered 200 with itself (Go v0.7.8 on), not 403."""

from __future__ import annotations

from app.coroutines.claim_task import TASK_ERRORS
from app.coroutines.jobs import Job
from app.coroutines.store import run_one
from kernel.coroutine import Coroutine
from kernel.t_aio import CompleteTask, TaskOutcome, TaskResult
from kernel.t_api import CompleteTaskRequest, Response, Status


def complete_task(c: Coroutine, req: CompleteTaskRequest) -> Response:
    result: TaskResult = run_one(c, CompleteTask(req.id, req.counter, c.time()))
    if result.outcome is TaskOutcome.ALREADY_COMPLETED and result.task is not None:
        return Response(Status.OK, result.task)  # a repeat: done already, as asked
    if result.outcome is not TaskOutcome.COMPLETED or result.task is None:
        return Response(TASK_ERRORS[result.outcome])
    c.signal(Job.ENQUEUE_TASKS)  # a resume held back behind this task can go now
    return Response(Status.CREATED, result.task)
