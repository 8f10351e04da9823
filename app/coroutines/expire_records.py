"""expireRecords (background): delete what has outlived its retention period.

Finished task records go after RESONATE_TASK_RETENTION; completed promises after
RESONATE_PROMISE_RETENTION when it is set. Both are found in sorted sets by completion
time, so a pass costs in proportion to what it deletes.
"""

from __future__ import annotations

from app.coroutines.store import run_until_short
from kernel.coroutine import Coroutine
from kernel.t_aio import ExpirePromises, ExpireTasks


def expire_records(c: Coroutine, task_retention_ms: int, promise_retention_ms: int, batch_size: int) -> int:
    deleted = run_until_short(c, lambda: ExpireTasks(c.time() - task_retention_ms, batch_size), batch_size)
    if promise_retention_ms > 0:
        deleted += run_until_short(c, lambda: ExpirePromises(c.time() - promise_retention_ms, batch_size), batch_size)
    return deleted
