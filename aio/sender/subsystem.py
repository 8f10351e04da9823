"""The sender subsystem: threads that deliver SendMessage submissions one at a time.

Poll deliveries (a Redis look-up and a publish) and HTTP pushes (up to a timeout per
message) have threads of their own, so slow or silent HTTP receivers never hold up
messages to connected poll streams. Each queue is bounded by the enqueue job, which
keeps a set number of sends of each lane in flight.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from aio.poll.directory import PollDirectory
from aio.sender.http_push import HttpPush
from aio.sender.recv import DEFAULT_TARGETS, Destination, PollDestination, UnknownRecv, resolve_recv
from kernel import metrics
from kernel.bus import CQE, SQE, RingingQueue, WorkQueue
from kernel.supervise import join_all, start_thread
from kernel.t_aio import Lane, SendMessage, SendResult

log = logging.getLogger(__name__)

POLL_WORKERS = 2  # a poll delivery is a Redis round trip or two
STOP_WAIT_S = 1.0  # for sends under way when the server stops (they are at least once)


class SenderSubsystem:
    kind = "sender"

    def __init__(
        self,
        poll: PollDirectory,
        http: HttpPush,
        workers: int = 4,
        targets: dict[str, Any] = DEFAULT_TARGETS,
        current_poll: PollDirectory | None = None,
    ) -> None:
        self._poll = poll
        self._current_poll = current_poll or poll  # the /poll streams of the current protocol
        self._http = http
        self._targets = targets
        self._queues: dict[Lane, tuple[WorkQueue[tuple[SQE, Destination | None]], int]] = {
            Lane.POLL: (WorkQueue(), POLL_WORKERS),
            Lane.HTTP: (WorkQueue(), workers),
        }
        self._threads: list[threading.Thread] = []

    def start(self, completions: RingingQueue[CQE]) -> None:
        for lane, (queue, count) in self._queues.items():
            for number in range(count):
                name = f"aio-sender-{lane.value}-{number}"
                self._threads.append(start_thread(lambda q=queue: self._work(q, completions), name))

    def enqueue(self, batch: list[SQE]) -> None:
        for sqe in batch:
            try:
                destination: Destination | None = resolve_recv(sqe.submission.recv, self._targets)
            except UnknownRecv as exc:
                log.warning("cannot send task message, ever: %s", exc)
                destination = None
            lane = Lane.HTTP if destination is not None and not isinstance(destination, PollDestination) else Lane.POLL
            self._queues[lane][0].put((sqe, destination))

    def stop(self) -> None:
        for queue, count in self._queues.values():
            queue.close(count)
        join_all(self._threads, STOP_WAIT_S)
        self._threads.clear()
        self._http.close()

    def send(self, message: SendMessage, destination: Destination | None) -> SendResult:
        result = self._send(message, destination)
        transport = "http" if destination is not None and not isinstance(destination, PollDestination) else "poll"
        outcome = "delivered" if result.delivered else "undeliverable" if result.undeliverable else "failed"
        protocol = "current" if message.current else "legacy"
        metrics.MESSAGES.labels(protocol, transport, outcome).inc()
        return result

    def _send(self, message: SendMessage, destination: Destination | None) -> SendResult:
        if destination is None:
            return SendResult(False, undeliverable=True)
        if isinstance(destination, PollDestination):
            exact = message.exact_only or destination.exact
            if exact and destination.id is None:
                log.info("cannot send: a notify needs a stream id, not only group %r", destination.group)
                return SendResult(False, undeliverable=True)
            directory = self._current_poll if message.current else self._poll
            delivered = directory.deliver(destination.group, destination.id, message.body, exact)
            return SendResult(delivered, destination.group)
        return SendResult(self._http.post(destination.url, destination.headers, message.body))

    def _work(self, queue: WorkQueue[tuple[SQE, Destination | None]], completions: RingingQueue[CQE]) -> None:
        while (batch := queue.get_batch(1)) is not None:
            sqe, destination = batch[0]
            try:
                completions.put(CQE(sqe, self.send(sqe.submission, destination)))
            except Exception as exc:  # a bug here must not lose the coroutine
                log.exception("send failed")
                completions.put(CQE(sqe, SendResult(False), exc))
