"""Yielding store commands from a coroutine, with store failures raised as errors."""

from __future__ import annotations

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
