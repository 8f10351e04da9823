"""Yielding store commands from a coroutine, with store failures raised as errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kernel.coroutine import Coroutine
from kernel.t_aio import StoreSubmission


def run(c: Coroutine, *commands: Any) -> list[Any]:
    """Submit commands to the store and return their results, in order."""
    results, error = c.yield_(StoreSubmission(commands))
    if error is not None:
        raise error
    return results


def run_one(c: Coroutine, command: Any) -> Any:
    return run(c, command)[0]


def run_until_short(c: Coroutine, command: Callable[[], Any], batch_size: int) -> int:
    """Run a batch command (it reports how many items it handled) again and again
    until a batch comes back short; returns the total."""
    total = 0
    while True:
        count = run_one(c, command())
        total += count
        if count < batch_size:
            return total


def collect_page(c: Coroutine, limit: int, before: int | None, command: Callable[[int, int | None], Any]) -> list[Any]:
    """Up to `limit` (sort id, row) pairs, newest first: the store scans a bounded slice
    of its index per call, so keep calling until the page is full or the index ends."""
    found: list[Any] = []
    while len(found) < limit:
        result = run_one(c, command(limit - len(found), before))
        found.extend(result.rows)
        if result.exhausted or result.last_scanned_sort_id is None:
            break
        before = result.last_scanned_sort_id
    return found
