"""timeoutPromises (background): time out every due pending promise, a batch per call.

The store finds due promises in a sorted set by timeout, so a pass costs in
proportion to what is due, not to how many promises are stored.
"""

from __future__ import annotations

from app.coroutines.store import run_one
from kernel.coroutine import Coroutine
from kernel.t_aio import TimeoutPromises


def timeout_promises(c: Coroutine, batch_size: int) -> int:
    total = 0
    while True:
        count = run_one(c, TimeoutPromises(c.time(), batch_size))
        total += count
        if count < batch_size:
            return total
