"""The bus: completions handed across threads, and the doorbell's wake-ups."""

from __future__ import annotations

import threading
import time

import pytest

from kernel.bus import Completion, Doorbell, RingingQueue


def test_a_completion_hands_a_value_to_another_thread() -> None:
    completion = Completion()
    threading.Timer(0.05, completion.set, args=("value",)).start()
    assert not completion.done()
    assert completion.result(timeout=5) == "value"
    assert completion.done() and completion.result() == "value"  # again, at once


def test_a_completion_raises_the_error_it_was_given() -> None:
    completion = Completion()
    completion.set(None, KeyError("missing"))
    with pytest.raises(KeyError):
        completion.result(timeout=1)


def test_a_completion_times_out() -> None:
    with pytest.raises(TimeoutError):
        Completion().result(timeout=0.05)


def test_a_ring_wakes_the_waiter_and_rings_coalesce() -> None:
    doorbell = Doorbell()
    queue: RingingQueue[int] = RingingQueue(doorbell)
    for n in range(3):
        queue.put(n)
    started = time.monotonic()
    doorbell.wait(timeout=5)
    assert time.monotonic() - started < 1
    assert queue.drain() == [0, 1, 2]
    started = time.monotonic()
    doorbell.wait(timeout=0.1)  # the three rings were one: this wait times out
    assert time.monotonic() - started >= 0.09
