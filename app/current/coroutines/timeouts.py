"""Background jobs of the task model: active promise timeouts and task timers (§4.4, §4.6)."""

from __future__ import annotations

from app.coroutines.jobs import Job
from app.coroutines.store import run_until_short
from app.current.coroutines.limits import Limits
from kernel import t_current as c
from kernel.coroutine import Coroutine


def timeout_promises(co: Coroutine, limits: Limits, batch_size: int) -> int:
    now = co.time()
    settled = run_until_short(co, lambda: c.TimeoutPromises(now, limits.retry_ms, batch_size), batch_size)
    if settled:
        co.signal(Job.SEND_MESSAGES)
    return settled


def fire_task_timers(co: Coroutine, limits: Limits, batch_size: int) -> int:
    now = co.time()
    fired = run_until_short(co, lambda: c.FireTaskTimers(now, limits.retry_ms, batch_size), batch_size)
    if fired:
        co.signal(Job.SEND_MESSAGES)
    return fired
