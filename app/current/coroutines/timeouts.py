"""Background jobs of the task model: active promise timeouts and task timers (§4.4, §4.6)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.coroutines.jobs import Job
from app.coroutines.store import run_until_short
from app.current.coroutines.limits import Limits
from kernel import metrics
from kernel import t_current as c
from kernel.coroutine import Coroutine


def _sweep(co: Coroutine, command: Callable[[int], Any], batch_size: int) -> int:
    """Run a batch command until a batch comes back short; what it changed may have
    queued messages, so delivery runs next."""
    now = co.time()
    done = run_until_short(co, lambda: command(now), batch_size)
    if done:
        co.signal(Job.SEND_MESSAGES)
    return done


def timeout_promises(co: Coroutine, limits: Limits, batch_size: int) -> int:
    settled = _sweep(co, lambda now: c.TimeoutPromises(now, limits.retry_ms, batch_size), batch_size)
    if settled:
        metrics.PROMISES_SETTLED.labels("current", "timedout").inc(settled)
    return settled


def fire_task_timers(co: Coroutine, limits: Limits, batch_size: int) -> int:
    fired = _sweep(co, lambda now: c.FireTaskTimers(now, limits.retry_ms, batch_size), batch_size)
    if fired:
        metrics.MESSAGE_RETRIES.labels("current").inc(fired)
    return fired
