"""acquireLock, releaseLock, heartbeatLocks, and the background timeoutLocks.

A lock belongs to an execution; its process heartbeats it; the sweep removes it once
its expiry passes (until then it blocks other executions even when expired).
"""

from __future__ import annotations

from app.coroutines.store import run_one, run_until_short
from kernel.coroutine import Coroutine
from kernel.int64 import add_ms
from kernel.schedule import Lock
from kernel.t_aio import AcquireLock, HeartbeatLocks, ReleaseLock, TimeoutLocks
from kernel.t_api import AcquireLockRequest, HeartbeatLocksRequest, ReleaseLockRequest, Response, Status

SWEEP_BATCH = 1000


def acquire_lock(c: Coroutine, req: AcquireLockRequest) -> Response:
    lock = Lock(req.resource_id, req.execution_id, req.process_id, req.ttl, add_ms(c.time(), req.ttl))
    if not run_one(c, AcquireLock(lock)):
        return Response(Status.LOCK_ALREADY_ACQUIRED)
    return Response(Status.CREATED, lock)


def release_lock(c: Coroutine, req: ReleaseLockRequest) -> Response:
    if not run_one(c, ReleaseLock(req.resource_id, req.execution_id)):
        return Response(Status.LOCK_NOT_FOUND)
    return Response(Status.NO_CONTENT)


def heartbeat_locks(c: Coroutine, req: HeartbeatLocksRequest) -> Response:
    return Response(Status.OK, run_one(c, HeartbeatLocks(req.process_id, c.time())))


def timeout_locks(c: Coroutine) -> int:
    return run_until_short(c, lambda: TimeoutLocks(c.time(), SWEEP_BATCH), SWEEP_BATCH)
