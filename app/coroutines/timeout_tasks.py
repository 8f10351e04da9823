"""timeoutTasks (background): re-issue tasks whose lease lapsed, time out the rest.

Cost follows what is due: leases live in a sorted set by the earlier of expiry and
timeout.
"""

from __future__ import annotations

from app.coroutines.jobs import Job
from app.coroutines.store import run_until_short
from kernel.coroutine import Coroutine
from kernel.t_aio import TimeoutTasks


def timeout_tasks(c: Coroutine, batch_size: int) -> int:
    total = run_until_short(c, lambda: TimeoutTasks(c.time(), batch_size), batch_size)
    if total:
        c.signal(Job.ENQUEUE_TASKS)  # re-issued tasks wait to be sent again
    return total
