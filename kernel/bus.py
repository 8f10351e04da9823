"""Submission and completion entries, and the queues that carry them across threads.

The API submission queue and the AIO completion queue share one Doorbell: a put on
either wakes the kernel thread at once, so no request waits for the next timer tick.
"""

from __future__ import annotations

import _thread
import contextlib
import queue
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")

Callback = Callable[[Any, BaseException | None], None]


@dataclass(slots=True)
class SQE:
    """A submission (an API request or an AIO submission) and who gets its result."""

    submission: Any
    callback: Callback
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class CQE:
    """The result of one SQE, carried back to the kernel thread."""

    sqe: SQE
    completion: Any
    error: BaseException | None = None

    def run_callback(self) -> None:
        self.sqe.callback(self.completion, self.error)


class Completion:
    """A request's result, handed once from the kernel thread to the waiting thread.

    A bare lock, held until the result is set: concurrent.futures.Future builds and
    notifies a Condition for every request, which showed up as an eighth of the time
    the server holds the GIL under load."""

    __slots__ = ("_error", "_lock", "_value", "abandoned")

    def __init__(self) -> None:
        self._lock = _thread.allocate_lock()
        self._lock.acquire()
        self._value: Any = None
        self._error: BaseException | None = None
        self.abandoned = False  # the waiter gave up: the work behind it may stop

    def abandon(self) -> None:
        self.abandoned = True

    def set(self, value: Any, error: BaseException | None = None) -> None:
        self._value, self._error = value, error
        self._lock.release()

    def result(self, timeout: float | None = None) -> Any:
        """The value (or the error raised); TimeoutError if not set within timeout."""
        if not self._lock.acquire(timeout=-1 if timeout is None else timeout):
            raise TimeoutError("no result yet")
        self._lock.release()  # later calls return at once
        if self._error is not None:
            raise self._error
        return self._value

    def done(self) -> bool:
        return not self._lock.locked()


class Doorbell:
    """Wakes one waiting thread; rings that arrive while it is awake coalesce."""

    def __init__(self) -> None:
        self._tokens: queue.SimpleQueue[None] = queue.SimpleQueue()
        self._rung = False

    def ring(self) -> None:
        if not self._rung:
            self._rung = True
            self._tokens.put(None)

    def wait(self, timeout: float | None) -> None:
        """Block until rung or until timeout seconds pass."""
        with contextlib.suppress(queue.Empty):
            self._tokens.get(timeout=timeout)
        # Drop surplus tokens first, then reset: a ring after the reset puts a token
        # that the next wait sees; a ring before it (skipped while _rung was set) came
        # after its item was queued, and the caller drains its queues after this.
        # Resetting before dropping would let a ring's only token be dropped.
        while True:
            try:
                self._tokens.get_nowait()
            except queue.Empty:
                break
        self._rung = False


class RingingQueue(Generic[T]):
    """A thread-safe FIFO that rings a doorbell on every put; drained by one thread."""

    def __init__(self, doorbell: Doorbell) -> None:
        self._items: deque[T] = deque()
        self._doorbell = doorbell

    def put(self, item: T) -> None:
        self._items.append(item)
        self._doorbell.ring()

    def put_all(self, items: list[T]) -> None:
        self._items.extend(items)
        self._doorbell.ring()

    def drain(self, limit: int | None = None) -> list[T]:
        """Take the items queued so far, at most `limit` of them (oldest first)."""
        items: list[T] = []
        pop = self._items.popleft
        while self._items and (limit is None or len(items) < limit):
            items.append(pop())
        return items

    def __len__(self) -> int:
        return len(self._items)


class WorkQueue(Generic[T]):
    """A per-kind AIO submission queue: workers block on get and take batches."""

    def __init__(self) -> None:
        self._items: queue.SimpleQueue[T | None] = queue.SimpleQueue()

    def put(self, item: T) -> None:
        self._items.put(item)

    def close(self, workers: int) -> None:
        """Drop what is still queued (the kernel has stopped waiting for it) and wake
        each worker with a stop marker."""
        with contextlib.suppress(queue.Empty):
            while True:
                self._items.get_nowait()
        for _ in range(workers):
            self._items.put(None)

    def get_batch(self, limit: int) -> list[T] | None:
        """Block for one item, then take what else is ready; None means stop."""
        first = self._items.get()
        if first is None:
            return None
        batch = [first]
        while len(batch) < limit:
            try:
                item = self._items.get_nowait()
            except queue.Empty:
                break
            if item is None:
                self._items.put(None)  # leave the stop marker for the next get
                break
            batch.append(item)
        return batch
