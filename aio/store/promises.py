"""Promise commands: how each becomes script arguments and how its reply is read back."""

from __future__ import annotations

from typing import Any

import orjson

from kernel.int64 import add_ms
from kernel.promise import Promise, State, timeout_resolves
from kernel.t_aio import (
    CompleteOutcome,
    CompletePromise,
    CompletePromiseResult,
    CreatePromise,
    CreatePromiseResult,
    ReadPromise,
    SearchPromises,
    SearchPromisesResult,
    TimeoutPromises,
)
from kernel.task import MessageType, Task, TaskState

_STATES = {state.value: state for state in State}


def promise_from_hash(flat: list[str]) -> Promise:
    """A promise from the HGETALL reply of its hash."""
    fields = dict(zip(flat[::2], flat[1::2], strict=True))
    tags = fields.get("tags")
    completed = fields.get("completed")
    return Promise(
        id=fields["id"],
        state=_STATES[fields["state"]],
        param=fields["param"],
        value=fields["value"],
        timeout=int(fields["timeout"]),
        idempotency_key_for_create=fields.get("ikey_create"),
        idempotency_key_for_complete=fields.get("ikey_complete"),
        tags=orjson.loads(tags) if tags else {},
        created_on=int(fields["created"]),
        completed_on=int(completed) if completed is not None else None,
    )


def _key_args(idempotency_key: str | None) -> tuple[str, str]:
    return ("1", idempotency_key) if idempotency_key is not None else ("0", "")


def _tags_arg(tags: dict[str, str]) -> str:
    return orjson.dumps(tags).decode() if tags else ""


def glob_to_lua_pattern(glob: str) -> str:
    """`*` matches any run of characters; everything else matches itself ('' = any)."""
    if glob == "*":
        return ""
    parts = [".*" if ch == "*" else ch if ch.isalnum() else "%" + ch for ch in glob]
    return "^" + "".join(parts) + "$"


# -- read ---------------------------------------------------------------------------


def read_args(cmd: ReadPromise) -> list[Any]:
    return [cmd.id, cmd.now]


def read_result(cmd: ReadPromise, reply: Any) -> Promise | None:
    return promise_from_hash(reply) if reply else None


# -- create -------------------------------------------------------------------------


def create_args(cmd: CreatePromise) -> list[Any]:
    has_key, key = _key_args(cmd.idempotency_key)
    resolves = "1" if timeout_resolves(cmd.tags) else "0"
    args = [cmd.id, cmd.param, cmd.timeout, has_key, key, _tags_arg(cmd.tags), resolves, cmd.now]
    task = cmd.task
    if task is None:
        return [*args, "", "", 0, 0]
    expires_at = add_ms(cmd.now, task.ttl)
    return [*args, task.recv, task.process_id or "", task.ttl, expires_at]


def create_result(cmd: CreatePromise, reply: list[Any]) -> CreatePromiseResult:
    if reply[0] == 1:
        promise = Promise(
            id=cmd.id,
            state=State.PENDING,
            param=cmd.param,
            timeout=cmd.timeout,
            idempotency_key_for_create=cmd.idempotency_key,
            tags=cmd.tags,
            created_on=cmd.now,
        )
        task = None
        if reply[2] != "" and cmd.task is not None:
            task = Task(
                id=reply[2],
                state=TaskState.CLAIMED if cmd.task.process_id else TaskState.INIT,
                message_type=MessageType.INVOKE,
                root_promise_id=cmd.id,
                leaf_promise_id=cmd.id,
                counter=1,
                timeout=cmd.timeout,
                process_id=cmd.task.process_id,
                created_on=cmd.now,
            )
        return CreatePromiseResult(True, promise, task)
    return CreatePromiseResult(False, promise_from_hash(reply[1]))


# -- complete -----------------------------------------------------------------------


def complete_args(cmd: CompletePromise) -> list[Any]:
    has_key, key = _key_args(cmd.idempotency_key)
    return [cmd.id, cmd.state.value, cmd.value, has_key, key, cmd.now]


def complete_result(cmd: CompletePromise, reply: list[Any]) -> CompletePromiseResult:
    outcome = CompleteOutcome(reply[0])
    if len(reply) == 1:
        return CompletePromiseResult(outcome, None)
    return CompletePromiseResult(outcome, promise_from_hash(reply[1]), int(reply[2]))


# -- search -------------------------------------------------------------------------


def search_args(cmd: SearchPromises) -> list[Any]:
    max_score = "+inf" if cmd.before_sort_id is None else f"({cmd.before_sort_id}"
    return [
        cmd.search_class.value,
        glob_to_lua_pattern(cmd.id_pattern),
        _tags_arg(cmd.tags),
        cmd.limit,
        max_score,
        cmd.now,
        cmd.budget,
    ]


def search_result(cmd: SearchPromises, reply: list[Any]) -> SearchPromisesResult:
    rows = [(int(reply[i]), promise_from_hash(reply[i + 1])) for i in range(2, len(reply), 2)]
    last = int(reply[0]) if reply[0] != "" else None
    return SearchPromisesResult(rows, last, reply[1] == 1)


# -- timeouts -----------------------------------------------------------------------


def timeout_args(cmd: TimeoutPromises) -> list[Any]:
    return [cmd.now, cmd.limit]


def timeout_result(cmd: TimeoutPromises, reply: Any) -> int:
    return int(reply)
