"""Schedule and lock commands: script arguments out, replies back as typed results."""

from __future__ import annotations

from typing import Any

import orjson

from aio.store.promises import create_args, glob_to_lua_pattern
from kernel.schedule import Schedule
from kernel.t_aio import (
    AcquireLock,
    CreateSchedule,
    CreateScheduleResult,
    DeleteSchedule,
    DueSchedules,
    FireSchedule,
    HeartbeatLocks,
    ReadSchedule,
    ReleaseLock,
    SearchSchedules,
    SearchSchedulesResult,
    TimeoutLocks,
)


def _json_or_empty(tags: dict[str, str]) -> str:
    return orjson.dumps(tags).decode() if tags else ""


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


def create_args_(cmd: CreateSchedule) -> list[Any]:
    s = cmd.schedule
    has_key, key = ("1", s.idempotency_key) if s.idempotency_key is not None else ("0", "")
    return [
        s.id,
        s.description,
        s.cron,
        _json_or_empty(s.tags),
        s.promise_id,
        s.promise_timeout,
        s.promise_param,
        _json_or_empty(s.promise_tags),
        s.next_run_time,
        has_key,
        key,
        s.created_on,
    ]


def create_result(cmd: CreateSchedule, reply: list[Any]) -> CreateScheduleResult:
    if reply[0] == 1:
        return CreateScheduleResult(True, cmd.schedule)
    return CreateScheduleResult(False, schedule_from_hash(reply[1]))


def id_args(cmd: ReadSchedule | DeleteSchedule) -> list[Any]:
    return [cmd.id]


def read_result(cmd: ReadSchedule, reply: Any) -> Schedule | None:
    return schedule_from_hash(reply) if reply else None


def deleted_result(cmd: DeleteSchedule, reply: Any) -> bool:
    return reply == 1


def search_args(cmd: SearchSchedules) -> list[Any]:
    max_score = "+inf" if cmd.before_sort_id is None else f"({cmd.before_sort_id}"
    return [glob_to_lua_pattern(cmd.id_pattern), _json_or_empty(cmd.tags), cmd.limit, max_score, cmd.budget]


def search_result(cmd: SearchSchedules, reply: list[Any]) -> SearchSchedulesResult:
    rows = [(int(reply[i]), schedule_from_hash(reply[i + 1])) for i in range(2, len(reply), 2)]
    last = int(reply[0]) if reply[0] != "" else None
    return SearchSchedulesResult(rows, last, reply[1] == 1)


def due_args(cmd: DueSchedules) -> list[Any]:
    return [cmd.now, cmd.limit]


def due_result(cmd: DueSchedules, reply: list[Any]) -> list[Schedule]:
    return [schedule_from_hash(flat) for flat in reply]


def fire_args(cmd: FireSchedule) -> list[Any]:
    """The schedule's slot, then the promise exactly as create_promise.lua takes it."""
    return [cmd.schedule_id, cmd.slot, cmd.following_slot, *create_args(cmd.promise)]


def fired_result(cmd: FireSchedule, reply: Any) -> bool:
    return reply == 1


def acquire_args(cmd: AcquireLock) -> list[Any]:
    lock = cmd.lock
    return [lock.resource_id, lock.execution_id, lock.process_id, lock.ttl, lock.expires_at]


def acquired_result(cmd: AcquireLock, reply: Any) -> bool:
    return reply == 1


def release_args(cmd: ReleaseLock) -> list[Any]:
    return [cmd.resource_id, cmd.execution_id]


def released_result(cmd: ReleaseLock, reply: Any) -> bool:
    return reply == 1


def heartbeat_locks_args(cmd: HeartbeatLocks) -> list[Any]:
    return [cmd.process_id, cmd.now]


def timeout_locks_args(cmd: TimeoutLocks) -> list[Any]:
    return [cmd.now, cmd.limit]
