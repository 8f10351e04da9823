"""Task and callback commands: script arguments out, replies back as typed results."""

from __future__ import annotations

from typing import Any

import orjson

from aio.store.promises import promise_from_hash
from kernel.int64 import add_ms
from kernel.t_aio import (
    CallbackOutcome,
    ClaimTask,
    CompleteTask,
    CreateCallback,
    CreateCallbackResult,
    HeartbeatTasks,
    RecordSendOutcomes,
    ReserveTasks,
    TaskOutcome,
    TaskResult,
    TaskToSend,
    TimeoutTasks,
)
from kernel.task import Callback, MessageType, Task, TaskState

_STATES = {state.value: state for state in TaskState}
_TYPES = {kind.value: kind for kind in MessageType}


def task_from_hash(flat: list[str]) -> Task:
    fields = dict(zip(flat[::2], flat[1::2], strict=True))
    completed = fields.get("completed")
    return Task(
        id=fields["id"],
        state=_STATES[fields["state"]],
        message_type=_TYPES[fields["type"]],
        root_promise_id=fields["root"],
        leaf_promise_id=fields["leaf"],
        counter=int(fields["counter"]),
        timeout=int(fields["timeout"]),
        process_id=fields.get("process_id"),
        created_on=int(fields["created"]),
        completed_on=int(completed) if completed is not None else None,
    )


def task_recv(flat: list[str]) -> str:
    return flat[flat.index("recv") + 1]


# -- callbacks ------------------------------------------------------------------------


def create_callback_args(cmd: CreateCallback) -> list[Any]:
    record = {
        "type": cmd.message_type.value,
        "root": cmd.root_promise_id,
        "recv": cmd.recv,
        "timeout": str(cmd.timeout),  # a string: Lua numbers are doubles
        "createdOn": str(cmd.now),
    }
    return [cmd.promise_id, cmd.callback_id, orjson.dumps(record).decode()]


def create_callback_result(cmd: CreateCallback, reply: list[Any]) -> CreateCallbackResult:
    outcome = CallbackOutcome(reply[0])
    promise = promise_from_hash(reply[1]) if len(reply) > 1 else None
    callback = None
    if outcome is CallbackOutcome.CREATED:
        callback = Callback(cmd.callback_id, cmd.promise_id, cmd.root_promise_id, cmd.timeout, cmd.now)
    return CreateCallbackResult(outcome, promise, callback)


# -- claim, complete, heartbeat -------------------------------------------------------


def claim_args(cmd: ClaimTask) -> list[Any]:
    return [cmd.id, cmd.counter, cmd.process_id, cmd.ttl, add_ms(cmd.now, cmd.ttl)]


def claim_result(cmd: ClaimTask, reply: list[Any]) -> TaskResult:
    outcome = TaskOutcome(reply[0])
    if outcome is not TaskOutcome.CLAIMED:
        return TaskResult(outcome)
    root = promise_from_hash(reply[2]) if reply[2] else None
    leaf = promise_from_hash(reply[3]) if reply[3] else None
    return TaskResult(outcome, task_from_hash(reply[1]), root, leaf)


def complete_task_args(cmd: CompleteTask) -> list[Any]:
    return [cmd.id, cmd.counter, cmd.now]


def complete_task_result(cmd: CompleteTask, reply: list[Any]) -> TaskResult:
    outcome = TaskOutcome(reply[0])
    task = task_from_hash(reply[1]) if outcome is TaskOutcome.COMPLETED else None
    return TaskResult(outcome, task)


def heartbeat_args(cmd: HeartbeatTasks) -> list[Any]:
    return [cmd.process_id, cmd.now]


def count_result(cmd: Any, reply: Any) -> int:
    return int(reply)


# -- sending and timeouts -------------------------------------------------------------


def reserve_args(cmd: ReserveTasks) -> list[Any]:
    return [cmd.now, cmd.limit, cmd.send_window_ms]


def reserve_result(cmd: ReserveTasks, reply: list[Any]) -> list[TaskToSend]:
    return [
        TaskToSend(
            task_from_hash(reply[i]),
            task_recv(reply[i]),
            promise_from_hash(reply[i + 1]) if reply[i + 1] else None,
        )
        for i in range(0, len(reply), 2)
    ]


def record_outcomes_args(cmd: RecordSendOutcomes) -> list[Any]:
    args: list[Any] = [cmd.now, cmd.enqueue_delay_ms]
    for outcome in cmd.outcomes:
        args += [outcome.task_id, outcome.counter, "1" if outcome.delivered else "0"]
    return args


def done_result(cmd: Any, reply: Any) -> None:
    return None


def timeout_tasks_args(cmd: TimeoutTasks) -> list[Any]:
    return [cmd.now, cmd.limit]
