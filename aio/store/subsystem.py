"""The store subsystem: worker threads that run store submissions in batches.

A worker takes every batch the kernel has queued so far and sends it to Redis in one
pipeline, so load turns into bigger batches rather than more round trips. The queue
is bounded by the kernel: a coroutine has at most one submission outstanding, and the
kernel runs a bounded number of coroutines.
"""

from __future__ import annotations

import logging
import threading

from aio.store.redis_store import RedisStore
from kernel.bus import CQE, SQE, RingingQueue, WorkQueue
from kernel.supervise import join_all, start_thread

log = logging.getLogger(__name__)


class StoreSubsystem:
    kind = "store"

    def __init__(self, store: RedisStore, workers: int = 1, max_batches: int = 64) -> None:
        self.store = store
        self._workers = workers
        self._max_batches = max_batches
        self._queue: WorkQueue[list[SQE]] = WorkQueue()
        self._threads: list[threading.Thread] = []

    def start(self, completions: RingingQueue[CQE]) -> None:
        for number in range(self._workers):
            self._threads.append(start_thread(lambda: self._work(completions), f"aio-store-{number}"))

    def enqueue(self, batch: list[SQE]) -> None:
        self._queue.put(batch)

    def stop(self) -> None:
        self._queue.close(len(self._threads))
        join_all(self._threads, 2.0)
        self._threads.clear()

    def _work(self, completions: RingingQueue[CQE]) -> None:
        while (batches := self._queue.get_batch(self._max_batches)) is not None:
            sqes = [sqe for batch in batches for sqe in batch]
            try:
                results = self.store.execute([sqe.submission for sqe in sqes])
            except Exception as exc:  # a bug here must not lose the requests
                log.exception("store batch failed")
                results = [exc] * len(sqes)
            completions.put_all(
                [
                    CQE(sqe, None, result) if isinstance(result, BaseException) else CQE(sqe, result)
                    for sqe, result in zip(sqes, results, strict=True)
                ]
            )
