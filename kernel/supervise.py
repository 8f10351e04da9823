"""Threads that must not die: one that does is logged and ends the process.

A server process whose kernel, store worker or stream listener has stopped would
answer 503 for ever; exiting instead lets gunicorn's master start a fresh worker.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

EXIT_THREAD_DIED = 70  # EX_SOFTWARE: an internal error


def die(reason: str) -> None:
    """Log and end this process at once (no cleanup that could hang)."""
    log.critical("%s: exiting so that this process is replaced", reason, exc_info=sys.exc_info()[0] is not None)
    for handler in logging.getLogger().handlers:
        handler.flush()
    os._exit(EXIT_THREAD_DIED)


def supervised(target: Callable[[], None], name: str) -> Callable[[], None]:
    def run() -> None:
        try:
            target()
        except BaseException:
            die(f"thread {name} died")

    return run


def start_thread(target: Callable[[], None], name: str) -> threading.Thread:
    """A daemon thread whose escaping exception ends the process."""
    thread = threading.Thread(target=supervised(target, name), name=name, daemon=True)
    thread.start()
    return thread


def join_all(threads: list[threading.Thread], timeout_s: float) -> None:
    """Wait for the threads to end, all within one timeout (they are daemons: any
    still running at the end do not hold the process)."""
    deadline = time.monotonic() + timeout_s
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
