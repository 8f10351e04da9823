"""The outbox (§6.5): execute and unblock messages taken off the store and sent once,
to /poll streams of any server process or by HTTP push. A lost message is repaired by
the task's retry timer or the client's listener refresh; an execute that found no
stream in its group waits for one to connect instead of for its next retry."""

from __future__ import annotations

from dataclasses import dataclass, field

import orjson

from app.coroutines.jobs import Job
from app.coroutines.store import run_one
from app.current import requests as r
from app.current.coroutines.limits import Limits
from kernel import t_current as c
from kernel.coroutine import Coroutine
from kernel.t_aio import SendMessage, SendResult

WAKE_BATCH = 1000


@dataclass
class Outbox:
    """Sends under way in this process (touched only on the kernel thread)."""

    server_url: str
    max_in_flight: int
    in_flight: int = field(default=0)


def message_body(message: c.Message, server_url: str) -> bytes:
    """The push messages of §6.2: a head object always, no nulls."""
    if message.kind == "execute":
        task = {"id": message.task_id, "version": message.version}
        return orjson.dumps({"kind": "execute", "head": {"serverUrl": server_url}, "data": {"task": task}})
    assert message.promise is not None
    return orjson.dumps({"kind": "unblock", "head": {}, "data": {"promise": message.promise.to_json()}})


def send_messages(co: Coroutine, outbox: Outbox) -> int:
    free = outbox.max_in_flight - outbox.in_flight
    if free <= 0:
        return 0
    messages = run_one(co, c.TakeMessages(free))
    for message in messages:
        outbox.in_flight += 1
        co.spawn(send_one, message, outbox, name="sendMessage")
    return len(messages)


def send_one(co: Coroutine, message: c.Message, outbox: Outbox) -> None:
    try:
        body = message_body(message, outbox.server_url)
        recv = orjson.dumps(message.address).decode()
        result, error = co.yield_(SendMessage(recv, body, current=True))
        sent: SendResult = result if error is None else SendResult(False)
        if message.kind == "execute" and not sent.delivered and sent.poll_group is not None:
            run_one(co, c.AwaitStream(message.task_id, sent.poll_group))
    finally:
        was_full = outbox.in_flight >= outbox.max_in_flight
        outbox.in_flight -= 1
    if was_full:
        co.signal(Job.SEND_MESSAGES)


def stream_connected(co: Coroutine, req: r.StreamConnected, limits: Limits) -> r.Answer:
    woken = run_one(co, c.WakeGroup(req.group, co.time(), limits.retry_ms, WAKE_BATCH))
    if woken:
        co.signal(Job.SEND_MESSAGES)
    return r.Answer(200, {})
