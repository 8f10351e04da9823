"""enqueueTasks (background): send waiting tasks' messages to their receivers.

Each lane (poll, http) keeps up to a set number of sends in flight per process. A
pass reserves tasks to fill the free places and starts one child coroutine per task,
which sends the message and records its outcome on its own; the pass does not wait
for them, so a silent HTTP receiver holds up only its own sends. A reservation lasts
until every send queued ahead of it in its lane could have timed out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import orjson

from app.coroutines.jobs import Job
from app.coroutines.store import run, run_one
from app.shapes import promise_json, task_json, task_links
from kernel import metrics
from kernel.coroutine import Coroutine
from kernel.int64 import add_ms
from kernel.t_aio import Lane, RecordSendOutcome, ReserveTasks, SendMessage, SendResult, TaskToSend
from kernel.task import MessageType

SEND_MARGIN_MS = 5_000  # on top of the sends ahead: store round trips, scheduling


@dataclass(frozen=True)
class Delivery:
    """How this process sends: its limits and the times a send may take."""

    base_url: str
    in_flight_per_lane: int
    http_workers: int
    http_timeout_ms: int
    enqueue_delay_ms: int
    notify_grace_ms: int

    def sending_until(self, now: int, lane: Lane, queued: int) -> int:
        """When a reservation made now lapses: after the `queued` sends of its lane,
        which the lane's threads take in rounds, could all have timed out."""
        if lane is Lane.POLL:
            return add_ms(now, SEND_MARGIN_MS)
        rounds = -(-queued // self.http_workers)
        return add_ms(now, SEND_MARGIN_MS + rounds * self.http_timeout_ms)


@dataclass
class SendsInFlight:
    """Sends started and not yet recorded, per lane (touched only on the kernel thread)."""

    count: dict[Lane, int] = field(default_factory=lambda: dict.fromkeys(Lane, 0))


def enqueue_tasks(c: Coroutine, delivery: Delivery, in_flight: SendsInFlight) -> int:
    now = c.time()
    commands = []
    for lane in Lane:
        free = delivery.in_flight_per_lane - in_flight.count[lane]
        if free > 0:
            until = delivery.sending_until(now, lane, in_flight.count[lane] + free)
            commands.append(ReserveTasks(now, lane, free, until))
    if not commands:
        return 0
    started = 0
    for command, reserved in zip(commands, run(c, *commands), strict=True):
        for item in reserved:
            in_flight.count[command.lane] += 1
            c.spawn(send_and_record, item, command.lane, delivery, in_flight, name="sendTask")
        started += len(reserved)
    return started


def send_and_record(c: Coroutine, item: TaskToSend, lane: Lane, delivery: Delivery, in_flight: SendsInFlight) -> None:
    try:
        sent = send_task(c, item, delivery.base_url)
        task = item.task
        outcome = RecordSendOutcome(
            task.id,
            task.counter,
            sent.delivered,
            c.time(),
            delivery.enqueue_delay_ms,
            delivery.notify_grace_ms,
            sent.poll_group,
            sent.undeliverable,
        )
        run_one(c, outcome)
        if not sent.delivered and not sent.undeliverable:
            metrics.MESSAGE_RETRIES.labels("legacy").inc()
    finally:
        lane_was_full = in_flight.count[lane] >= delivery.in_flight_per_lane
        in_flight.count[lane] -= 1
    if lane_was_full:
        c.signal(Job.ENQUEUE_TASKS)  # tasks may be waiting for this place


def send_task(c: Coroutine, item: TaskToSend, base_url: str) -> SendResult:
    body = message_body(item, base_url)
    if body is None:
        return SendResult(False, undeliverable=True)  # a notify whose promise is gone
    notify = item.task.message_type is MessageType.NOTIFY
    result, error = c.yield_(SendMessage(item.recv, body, exact_only=notify))
    return result if error is None else SendResult(False)


def message_body(item: TaskToSend, base_url: str) -> bytes | None:
    """Invoke and resume carry the task (the receiver claims it); notify the promise."""
    task = item.task
    if task.message_type is MessageType.NOTIFY:
        if item.promise is None:
            return None
        return orjson.dumps({"type": "notify", "promise": promise_json(item.promise)})
    message = {"type": task.message_type.value, "task": task_json(task), "href": task_links(base_url, task)}
    return orjson.dumps(message)
