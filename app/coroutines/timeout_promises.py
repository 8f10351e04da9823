"""timeoutPromises (background): time out every due pending promise, a batch per call.

The store finds due promises in a sorted set by timeout, so a pass costs in
proportion to what is due, not to how many promises are stored.
"""

from __future__ import annotations

from app.coroutines.store import run_until_short
from kernel import metrics
from kernel.coroutine import Coroutine
from kernel.t_aio import TimeoutPromises


def timeout_promises(c: Coroutine, batch_size: int) -> int:
    timed_out = run_until_short(c, lambda: TimeoutPromises(c.time(), batch_size), batch_size)
    if timed_out:
        metrics.PROMISES_SETTLED.labels("legacy", "timedout").inc(timed_out)
    return timed_out
