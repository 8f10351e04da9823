"""Task and callback commands: script arguments out, replies back as typed results."""

from __future__ import annotations

from typing import Any

import orjson

from aio.store.binding import Binding
from aio.store.promises import count_result, promise_from_hash, task_from_hash
from kernel.int64 import add_ms
from kernel.t_aio import (
    CallbackOutcome,
    ClaimTask,
    CompleteTask,
    CreateCallback,
    CreateCallbackResult,
    RecordSendOutcome,
    ReserveTasks,
    TaskOutcome,
    TaskResult,
    TaskToSend,
)
from kernel.task import Callback

# A failed send waits RETRY_BASE_MS, doubling per attempt up to RETRY_CAP_MS; a notify
# whose stream is not there yet is tried again every NOTIFY_RETRY_MS within its grace.
RETRY_BASE_MS = 1_000
RETRY_CAP_MS = 60_000
NOTIFY_RETRY_MS = 500


def task_recv(flat: list[str]) -> str:
    return flat[flat.index("recv") + 1]


# -- callbacks ------------------------------------------------------------------------


def create_callback_args(cmd: CreateCallback) -> dict[str, Any]:
    record = {
        "type": cmd.message_type.value,
        "root": cmd.root_promise_id,
        "recv": cmd.recv,
        "timeout": str(cmd.timeout),  # a string: Lua numbers are doubles
        "createdOn": str(cmd.now),
    }
    return {
        "promise_id": cmd.promise_id,
        "callback_id": cmd.callback_id,
        "record": orjson.dumps(record).decode(),
        "max_callbacks": cmd.max_callbacks,
    }


def create_callback_result(cmd: CreateCallback, reply: list[Any]) -> CreateCallbackResult:
    outcome = CallbackOutcome(reply[0])
    promise = promise_from_hash(reply[1]) if len(reply) > 1 else None
    callback = None
    if outcome is CallbackOutcome.CREATED:
        callback = Callback(cmd.callback_id, cmd.promise_id, cmd.root_promise_id, cmd.timeout, cmd.now)
    return CreateCallbackResult(outcome, promise, callback)


CREATE_CALLBACK = Binding(
    "create_callback",
    ("promise_id", "callback_id", "record", "max_callbacks"),
    create_callback_args,
    create_callback_result,
)


# -- claim, complete, heartbeat -------------------------------------------------------


def claim_args(cmd: ClaimTask) -> dict[str, Any]:
    return {
        "tid": cmd.id,
        "counter": cmd.counter,
        "pid": cmd.process_id,
        "ttl": cmd.ttl,
        "expires_at": add_ms(cmd.now, cmd.ttl),
    }


def claim_result(cmd: ClaimTask, reply: list[Any]) -> TaskResult:
    outcome = TaskOutcome(reply[0])
    if outcome is not TaskOutcome.CLAIMED:
        return TaskResult(outcome)
    root = promise_from_hash(reply[2]) if reply[2] else None
    leaf = promise_from_hash(reply[3]) if reply[3] else None
    return TaskResult(outcome, task_from_hash(reply[1]), root, leaf)


CLAIM = Binding("claim_task", ("tid", "counter", "pid", "ttl", "expires_at"), claim_args, claim_result)


def complete_task_result(cmd: CompleteTask, reply: list[Any]) -> TaskResult:
    outcome = TaskOutcome(reply[0])
    task = task_from_hash(reply[1]) if len(reply) > 1 else None
    return TaskResult(outcome, task)


COMPLETE_TASK = Binding(
    "complete_task",
    ("tid", "counter", "now"),
    lambda cmd: {"tid": cmd.id, "counter": cmd.counter, "now": cmd.now},
    complete_task_result,
)
HEARTBEAT = Binding(
    "heartbeat_tasks", ("pid", "now"), lambda cmd: {"pid": cmd.process_id, "now": cmd.now}, count_result
)


# -- sending, timeouts and retention --------------------------------------------------


def reserve_args(cmd: ReserveTasks) -> dict[str, Any]:
    return {"now": cmd.now, "lane": cmd.lane.value, "limit": cmd.limit, "sending_until": cmd.sending_until}


def reserve_result(cmd: ReserveTasks, reply: list[Any]) -> list[TaskToSend]:
    return [
        TaskToSend(
            task_from_hash(reply[i]),
            task_recv(reply[i]),
            promise_from_hash(reply[i + 1]) if reply[i + 1] else None,
        )
        for i in range(0, len(reply), 2)
    ]


RESERVE = Binding("reserve_tasks", ("now", "lane", "limit", "sending_until"), reserve_args, reserve_result)


def record_outcome_args(cmd: RecordSendOutcome) -> dict[str, Any]:
    return {
        "tid": cmd.task_id,
        "counter": cmd.counter,
        "delivered": "1" if cmd.delivered else "0",
        "now": cmd.now,
        "enqueue_delay": cmd.enqueue_delay_ms,
        "notify_grace": cmd.notify_grace_ms,
        "retry_base": RETRY_BASE_MS,
        "retry_cap": RETRY_CAP_MS,
        "notify_retry": NOTIFY_RETRY_MS,
        "poll_group": cmd.poll_group or "",
        "undeliverable": "1" if cmd.undeliverable else "0",
    }


RECORD_OUTCOME = Binding(
    "record_send_outcome",
    (
        "tid", "counter", "delivered", "now", "enqueue_delay", "notify_grace", "retry_base", "retry_cap",
        "notify_retry", "poll_group", "undeliverable",
    ),
    record_outcome_args,
    lambda cmd, reply: None,
)  # fmt: skip
TIMEOUT_TASKS = Binding(
    "timeout_tasks", ("now", "limit"), lambda cmd: {"now": cmd.now, "limit": cmd.limit}, count_result
)
EXPIRE_TASKS = Binding(
    "expire_tasks",
    ("completed_before", "limit"),
    lambda cmd: {"completed_before": cmd.completed_before, "limit": cmd.limit},
    count_result,
)
WAKE_POLL_GROUP = Binding(
    "wake_poll_group",
    ("group", "now", "limit"),
    lambda cmd: {"group": cmd.group, "now": cmd.now, "limit": cmd.limit},
    count_result,
)
MIGRATE_TASKS = Binding("migrate_task_indexes", ("limit",), lambda cmd: {"limit": cmd.limit}, count_result)
