"""The sender subsystem: threads that deliver SendMessage submissions one at a time,
so a slow HTTP receiver holds up only its own thread."""

from __future__ import annotations

import logging
import threading
from typing import Any

from aio.poll.directory import PollDirectory
from aio.sender.http_push import HttpPush
from aio.sender.recv import DEFAULT_TARGETS, PollDestination, UnknownRecv, resolve_recv
from kernel.bus import CQE, SQE, RingingQueue, WorkQueue
from kernel.t_aio import SendMessage

log = logging.getLogger(__name__)


class SenderSubsystem:
    kind = "sender"

    def __init__(
        self,
        poll: PollDirectory,
        http: HttpPush,
        workers: int = 4,
        targets: dict[str, Any] = DEFAULT_TARGETS,
    ) -> None:
        self._poll = poll
        self._http = http
        self._targets = targets
        self._workers = workers
        self._queue: WorkQueue[SQE] = WorkQueue()
        self._threads: list[threading.Thread] = []

    def start(self, completions: RingingQueue[CQE]) -> None:
        for number in range(self._workers):
            thread = threading.Thread(target=self._work, args=(completions,), name=f"aio-sender-{number}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def enqueue(self, batch: list[SQE]) -> None:
        for sqe in batch:
            self._queue.put(sqe)

    def stop(self) -> None:
        self._queue.close(len(self._threads))
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()
        self._http.close()

    def send(self, message: SendMessage) -> bool:
        try:
            destination = resolve_recv(message.recv, self._targets)
        except UnknownRecv as exc:
            log.info("cannot send: %s", exc)
            return False
        if isinstance(destination, PollDestination):
            if message.exact_only and destination.id is None:
                return False
            return self._poll.deliver(destination.group, destination.id, message.body, message.exact_only)
        return self._http.post(destination.url, destination.headers, message.body)

    def _work(self, completions: RingingQueue[CQE]) -> None:
        while (batch := self._queue.get_batch(1)) is not None:
            sqe = batch[0]
            try:
                completions.put(CQE(sqe, self.send(sqe.submission)))
            except Exception as exc:  # a bug here must not lose the coroutine
                log.exception("send failed")
                completions.put(CQE(sqe, False, exc))
