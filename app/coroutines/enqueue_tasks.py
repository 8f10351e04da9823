"""enqueueTasks (background): send waiting tasks' messages to their receivers.

The store picks the tasks (one per root) and holds them while this coroutine sends;
each message goes out from a child coroutine, so all sends of a pass run at once on
the sender's threads; the outcomes are then recorded together.
"""

from __future__ import annotations

import orjson

from app.coroutines.store import run_one
from app.shapes import promise_json, task_json, task_links
from kernel.coroutine import Coroutine
from kernel.t_aio import RecordSendOutcomes, ReserveTasks, SendMessage, SendOutcome, TaskToSend
from kernel.task import MessageType

MAX_PASSES = 10  # per run; a signal or the next period picks up the rest


def enqueue_tasks(c: Coroutine, base_url: str, batch_size: int, enqueue_delay_ms: int, send_window_ms: int) -> int:
    sent = 0
    for _ in range(MAX_PASSES):
        reserved: list[TaskToSend] = run_one(c, ReserveTasks(c.time(), batch_size, send_window_ms))
        if not reserved:
            break
        senders = [c.spawn(send_task, item, base_url) for item in reserved]
        outcomes = []
        for item, sender in zip(reserved, senders, strict=True):
            delivered, error = c.await_(sender)
            outcomes.append(SendOutcome(item.task.id, item.task.counter, error is None and bool(delivered)))
        run_one(c, RecordSendOutcomes(tuple(outcomes), c.time(), enqueue_delay_ms))
        sent += len(reserved)
        if len(reserved) < batch_size:
            break
    return sent


def send_task(c: Coroutine, item: TaskToSend, base_url: str) -> bool:
    body = message_body(item, base_url)
    if body is None:
        return False
    notify = item.task.message_type is MessageType.NOTIFY
    delivered, error = c.yield_(SendMessage(item.recv, body, exact_only=notify))
    return error is None and bool(delivered)


def message_body(item: TaskToSend, base_url: str) -> bytes | None:
    """Invoke and resume carry the task (the receiver claims it); notify the promise."""
    task = item.task
    if task.message_type is MessageType.NOTIFY:
        if item.promise is None:
            return None
        return orjson.dumps({"type": "notify", "promise": promise_json(item.promise)})
    message = {"type": task.message_type.value, "task": task_json(task), "href": task_links(base_url, task)}
    return orjson.dumps(message)
