"""Promise commands: how each becomes script arguments and how its reply is read back."""

from __future__ import annotations

from typing import Any

import orjson

from aio.store.binding import Binding
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
)
from kernel.task import MessageType, Task, TaskState

_STATES = {state.value: state for state in State}
_TASK_STATES = {state.value: state for state in TaskState}
_TYPES = {kind.value: kind for kind in MessageType}


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


def task_from_hash(flat: list[str]) -> Task:
    """A task from the HGETALL reply of its hash."""
    fields = dict(zip(flat[::2], flat[1::2], strict=True))
    completed = fields.get("completed")
    return Task(
        id=fields["id"],
        state=_TASK_STATES[fields["state"]],
        message_type=_TYPES[fields["type"]],
        root_promise_id=fields["root"],
        leaf_promise_id=fields["leaf"],
        counter=int(fields["counter"]),
        timeout=int(fields["timeout"]),
        process_id=fields.get("process_id"),
        created_on=int(fields["created"]),
        completed_on=int(completed) if completed is not None else None,
    )


def ikey_args(idempotency_key: str | None) -> dict[str, str]:
    return {"has_ikey": "1" if idempotency_key is not None else "0", "ikey": idempotency_key or ""}


def json_or_empty(tags: dict[str, str]) -> str:
    return orjson.dumps(tags).decode() if tags else ""


def glob_parts(glob: str) -> str:
    """An id glob for the scripts' linear-time matcher: the literal parts between
    stars as a JSON list ('[]' matches any id)."""
    if glob == "*":
        return "[]"
    return orjson.dumps(glob.split("*")).decode()


def max_score(before_sort_id: int | None) -> str:
    return "+inf" if before_sort_id is None else f"({before_sort_id}"


# -- read ---------------------------------------------------------------------------


def read_result(cmd: ReadPromise, reply: Any) -> Promise | None:
    return promise_from_hash(reply) if reply else None


READ = Binding("read_promise", ("id", "now"), lambda cmd: {"id": cmd.id, "now": cmd.now}, read_result)


# -- create -------------------------------------------------------------------------

CREATE_ARGS = (
    "id", "param", "timeout", "has_ikey", "ikey", "tags", "timeout_resolves", "now",
    "task_recv", "task_pid", "task_ttl", "task_expires_at",
)  # fmt: skip


def create_args(cmd: CreatePromise) -> dict[str, Any]:
    args = {
        "id": cmd.id,
        "param": cmd.param,
        "timeout": cmd.timeout,
        **ikey_args(cmd.idempotency_key),
        "tags": json_or_empty(cmd.tags),
        "timeout_resolves": "1" if timeout_resolves(cmd.tags) else "0",
        "now": cmd.now,
        "task_recv": "",
        "task_pid": "",
        "task_ttl": 0,
        "task_expires_at": 0,
    }
    task = cmd.task
    if task is not None:
        args.update(
            task_recv=task.recv,
            task_pid=task.process_id or "",
            task_ttl=task.ttl,
            task_expires_at=add_ms(cmd.now, task.ttl),
        )
    return args


def create_result(cmd: CreatePromise, reply: list[Any]) -> CreatePromiseResult:
    """{created 0|1, promise hash, task hash or false}: the records as stored."""
    task = task_from_hash(reply[2]) if reply[0] == 1 and reply[2] else None
    return CreatePromiseResult(reply[0] == 1, promise_from_hash(reply[1]), task)


CREATE = Binding("create_promise", CREATE_ARGS, create_args, create_result)


# -- complete -----------------------------------------------------------------------


def complete_args(cmd: CompletePromise) -> dict[str, Any]:
    return {
        "id": cmd.id,
        "state": cmd.state.value,
        "value": cmd.value,
        **ikey_args(cmd.idempotency_key),
        "now": cmd.now,
    }


def complete_result(cmd: CompletePromise, reply: list[Any]) -> CompletePromiseResult:
    outcome = CompleteOutcome(reply[0])
    if len(reply) == 1:
        return CompletePromiseResult(outcome, None)
    return CompletePromiseResult(outcome, promise_from_hash(reply[1]), int(reply[2]))


COMPLETE = Binding(
    "complete_promise", ("id", "state", "value", "has_ikey", "ikey", "now"), complete_args, complete_result
)


# -- search -------------------------------------------------------------------------


def search_args(cmd: SearchPromises) -> dict[str, Any]:
    return {
        "class": cmd.search_class.value,
        "glob": glob_parts(cmd.id_pattern),
        "tags_json": json_or_empty(cmd.tags),
        "limit": cmd.limit,
        "max_score": max_score(cmd.before_sort_id),
        "now": cmd.now,
        "budget": cmd.budget,
    }


def search_result(cmd: SearchPromises, reply: list[Any]) -> SearchPromisesResult:
    """{last scanned sort id or '', exhausted 0|1, scanned, sort, hash, ...}"""
    rows = [(int(reply[i]), promise_from_hash(reply[i + 1])) for i in range(3, len(reply), 2)]
    last = int(reply[0]) if reply[0] != "" else None
    return SearchPromisesResult(rows, last, reply[1] == 1, int(reply[2]))


SEARCH = Binding(
    "search_promises",
    ("class", "glob", "tags_json", "limit", "max_score", "now", "budget"),
    search_args,
    search_result,
)


# -- timeouts and retention ---------------------------------------------------------


def count_result(cmd: Any, reply: Any) -> int:
    return int(reply)


TIMEOUT = Binding("timeout_promises", ("now", "limit"), lambda cmd: {"now": cmd.now, "limit": cmd.limit}, count_result)
EXPIRE = Binding(
    "expire_promises",
    ("completed_before", "limit"),
    lambda cmd: {"completed_before": cmd.completed_before, "limit": cmd.limit},
    count_result,
)
