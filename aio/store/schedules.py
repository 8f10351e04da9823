"""Schedule and lock commands: script arguments out, replies back as typed results."""

from __future__ import annotations

from typing import Any

import orjson

from aio.store.binding import Binding
from aio.store.promises import CREATE_ARGS as CREATE_PROMISE_ARGS
from aio.store.promises import count_result, glob_parts, ikey_args, json_or_empty, max_score
from aio.store.promises import create_args as create_promise_args
from kernel.schedule import Schedule
from kernel.t_aio import (
    AcquireLock,
    CreateSchedule,
    CreateScheduleResult,
    DeleteSchedule,
    DueSchedules,
    FireSchedule,
    ReadSchedule,
    SearchSchedules,
    SearchSchedulesResult,
    TimeoutLocks,
)


def schedule_from_hash(flat: list[str]) -> Schedule:
    fields = dict(zip(flat[::2], flat[1::2], strict=True))
    last_run = fields.get("last_run")
    return Schedule(
        id=fields["id"],
        description=fields["desc"],
        cron=fields["cron"],
        tags=orjson.loads(fields["tags"]) if "tags" in fields else {},
        promise_id=fields["promise_id"],
        promise_timeout=int(fields["promise_timeout"]),
        promise_param=fields["promise_param"],
        promise_tags=orjson.loads(fields["promise_tags"]) if "promise_tags" in fields else {},
        last_run_time=int(last_run) if last_run is not None else None,
        next_run_time=int(fields["next_run"]),
        idempotency_key=fields.get("ikey"),
        created_on=int(fields["created"]),
    )


def create_args(cmd: CreateSchedule) -> dict[str, Any]:
    s = cmd.schedule
    return {
        "id": s.id,
        "desc": s.description,
        "cron": s.cron,
        "tags": json_or_empty(s.tags),
        "promise_id": s.promise_id,
        "promise_timeout": s.promise_timeout,
        "promise_param": s.promise_param,
        "promise_tags": json_or_empty(s.promise_tags),
        "next_run": s.next_run_time,
        **ikey_args(s.idempotency_key),
        "now": s.created_on,
    }


def create_result(cmd: CreateSchedule, reply: list[Any]) -> CreateScheduleResult:
    return CreateScheduleResult(reply[0] == 1, schedule_from_hash(reply[1]))


CREATE = Binding(
    "create_schedule",
    (
        "id", "desc", "cron", "tags", "promise_id", "promise_timeout", "promise_param", "promise_tags",
        "next_run", "has_ikey", "ikey", "now",
    ),
    create_args,
    create_result,
)  # fmt: skip


def _id(cmd: ReadSchedule | DeleteSchedule) -> dict[str, Any]:
    return {"id": cmd.id}


READ = Binding("read_schedule", ("id",), _id, lambda cmd, reply: schedule_from_hash(reply) if reply else None)
DELETE = Binding("delete_schedule", ("id",), _id, lambda cmd, reply: reply == 1)


def search_args(cmd: SearchSchedules) -> dict[str, Any]:
    return {
        "glob": glob_parts(cmd.id_pattern),
        "tags_json": json_or_empty(cmd.tags),
        "limit": cmd.limit,
        "max_score": max_score(cmd.before_sort_id),
        "budget": cmd.budget,
    }


def search_result(cmd: SearchSchedules, reply: list[Any]) -> SearchSchedulesResult:
    rows = [(int(reply[i]), schedule_from_hash(reply[i + 1])) for i in range(3, len(reply), 2)]
    last = int(reply[0]) if reply[0] != "" else None
    return SearchSchedulesResult(rows, last, reply[1] == 1, int(reply[2]))


SEARCH = Binding("search_schedules", ("glob", "tags_json", "limit", "max_score", "budget"), search_args, search_result)


def _now_limit(cmd: DueSchedules | TimeoutLocks) -> dict[str, Any]:
    return {"now": cmd.now, "limit": cmd.limit}


DUE = Binding("due_schedules", ("now", "limit"), _now_limit, lambda cmd, reply: [schedule_from_hash(f) for f in reply])


def fire_args(cmd: FireSchedule) -> dict[str, Any]:
    """The schedule's slot, then the promise exactly as create_promise.lua takes it."""
    return {
        "schedule_id": cmd.schedule_id,
        "slot": cmd.slot,
        "following": cmd.following_slot,
        **create_promise_args(cmd.promise),
    }


FIRE = Binding(
    "fire_schedule", ("schedule_id", "slot", "following", *CREATE_PROMISE_ARGS), fire_args, lambda cmd, r: r == 1
)


POSTPONE = Binding(
    "postpone_schedule",
    ("schedule_id", "slot", "not_before"),
    lambda cmd: {"schedule_id": cmd.schedule_id, "slot": cmd.slot, "not_before": cmd.not_before},
    lambda cmd, reply: reply == 1,
)


def acquire_args(cmd: AcquireLock) -> dict[str, Any]:
    lock = cmd.lock
    return {
        "rid": lock.resource_id,
        "eid": lock.execution_id,
        "pid": lock.process_id,
        "ttl": lock.ttl,
        "expires_at": lock.expires_at,
    }


ACQUIRE_LOCK = Binding(
    "acquire_lock", ("rid", "eid", "pid", "ttl", "expires_at"), acquire_args, lambda cmd, reply: reply == 1
)
RELEASE_LOCK = Binding(
    "release_lock",
    ("rid", "eid"),
    lambda cmd: {"rid": cmd.resource_id, "eid": cmd.execution_id},
    lambda cmd, reply: reply == 1,
)
HEARTBEAT_LOCKS = Binding(
    "heartbeat_locks", ("pid", "now"), lambda cmd: {"pid": cmd.process_id, "now": cmd.now}, count_result
)
TIMEOUT_LOCKS = Binding("timeout_locks", ("now", "limit"), _now_limit, count_result)
