"""heartbeatTasks: extend the lease of every task a process has claimed."""

from __future__ import annotations

from app.coroutines.store import run_one
from kernel.coroutine import Coroutine
from kernel.t_aio import HeartbeatTasks
from kernel.t_api import HeartbeatTasksRequest, Response, Status


def heartbeat_tasks(c: Coroutine, req: HeartbeatTasksRequest) -> Response:
    affected = run_one(c, HeartbeatTasks(req.process_id, c.time()))
    return Response(Status.OK, affected)
