"""The bus: completions handed across threads, and the doorbell's wake-ups."""

from __future__ import annotations

import queue
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


class _SlowDrain:
    """The doorbell's token queue, pausing inside each non-blocking get: it widens the
    window between the consumer's wake-up and its reset, where the race lives."""

    def __init__(self) -> None:
        self._tokens: queue.SimpleQueue[None] = queue.SimpleQueue()

    def put(self, item: None) -> None:
        self._tokens.put(item)

    def get(self, timeout: float | None = None) -> None:
        return self._tokens.get(timeout=timeout)

    def get_nowait(self) -> None:
        time.sleep(0.002)
        return self._tokens.get_nowait()


def test_no_ring_is_lost_between_the_wake_up_and_the_reset() -> None:
    """A producer queues an item and rings while the consumer is between its wake-up
    and its reset. With the reset before the surplus tokens are dropped, that ring's
    only token was dropped, _rung stayed set, and every later ring was ignored: the
    consumer then slept out its whole timeout with items waiting."""
    doorbell = Doorbell()
    doorbell._tokens = _SlowDrain()  # type: ignore[assignment]
    items: RingingQueue[int] = RingingQueue(doorbell)
    rounds = 300
    seen: list[int] = []

    def produce() -> None:
        for n in range(rounds):
            items.put(n)
            time.sleep(0.001)

    producer = threading.Thread(target=produce)
    producer.start()
    try:
        while len(seen) < rounds:
            started = time.monotonic()
            doorbell.wait(timeout=3.0)
            assert time.monotonic() - started < 2.0, "a ring was lost: the wait ran out its timeout"
            seen.extend(items.drain())
    finally:
        producer.join()
    assert seen == list(range(rounds))
