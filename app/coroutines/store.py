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


SCAN_SLICE = 1000  # index rows one store call scans at most


def collect_page(
    c: Coroutine,
    limit: int,
    before: int | None,
    scan_limit: int,
    command: Callable[[int, int | None, int], Any],
) -> tuple[list[Any], int | None]:
    """Up to `limit` (sort id, row) pairs, newest first, and the sort id to continue
    below (None when the index has no more). The store scans a bounded slice of its
    index per call; calls go on until the page is full, the index ends, or scan_limit
    rows were read, so a selective search costs at most scan_limit rows per request."""
    found: list[Any] = []
    scanned = 0
    while True:
        result = run_one(c, command(limit - len(found), before, min(SCAN_SLICE, scan_limit - scanned)))
        found.extend(result.rows)
        scanned += result.scanned
        if len(found) >= limit:
            return found, found[-1][0]
        if result.exhausted or result.last_scanned_sort_id is None:
            return found, None
        before = result.last_scanned_sort_id
        if scanned >= scan_limit:
            return found, before
