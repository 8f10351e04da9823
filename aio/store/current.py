"""The current protocol's store commands: their scripts (lua/current/) and replies.

Arguments are the commands' fields by name; a NewPromise spreads into the fields of
the promise create it describes. Integers travel as decimal text, booleans as '1' or
'', absent values as ''.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from aio.store.binding import Binding
from aio.store.promises import glob_parts
from kernel import t_current as c

PROMISE_ARGS = ("id", "timeout", "param", "tags", "target", "branch", "timer", "delay", "external")
_EMPTY_PROMISE = dict.fromkeys(PROMISE_ARGS, "")


def _text(value: Any) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    return str(value)


def _promise_args(promise: c.NewPromise) -> dict[str, str]:
    return {name: _text(getattr(promise, name)) for name in PROMISE_ARGS}


def _fields(command: Any) -> dict[str, str]:
    args: dict[str, str] = {}
    for field in dataclasses.fields(command):
        value = getattr(command, field.name)
        if isinstance(value, c.NewPromise):
            args.update(_promise_args(value))
        elif field.name == "glob":
            args["glob"] = glob_parts(value)
        else:
            args[field.name] = _text(value)
    return args


def _names(command_type: type) -> tuple[str, ...]:
    names: list[str] = []
    for field in dataclasses.fields(command_type):
        names.extend(PROMISE_ARGS if field.name in ("promise", "create") else (field.name,))
    return tuple(names)


_FENCE_ARGS = (
    "id",
    "version",
    "action",
    "action_id",
    *PROMISE_ARGS[1:],
    "settle_state",
    "value",
    "now",
    "retry",
    "max_preload",
)


def _fence_args(command: c.FenceTask) -> dict[str, str]:
    """The fence's own id beside the inner action's: a create or a settle."""
    inner = _promise_args(command.create) if command.create is not None else dict(_EMPTY_PROMISE)
    action_id = inner.pop("id") or command.settle_id
    return {
        **inner,
        "id": command.id,
        "version": str(command.version),
        "action": "create" if command.create is not None else "settle",
        "action_id": action_id,
        "settle_state": command.settle_state,
        "value": command.value,
        "now": str(command.now),
        "retry": str(command.retry),
        "max_preload": str(command.max_preload),
    }


def _bind(script: str, command_type: type, result: Callable[[Any], Any]) -> Binding:
    return Binding(f"current/{script}", _names(command_type), _fields, lambda _command, reply: result(reply))


# -- replies -------------------------------------------------------------------------------


def promise_record(v: list[str]) -> c.PromiseRecord:
    return c.PromiseRecord(v[0], v[1], v[2], v[3], v[4], int(v[5]), int(v[6]), int(v[7]) if v[7] else None)


def task_record(v: list[str]) -> c.TaskRecord:
    return c.TaskRecord(v[0], v[1], int(v[2]), int(v[3] or 0), int(v[4]) if v[4] else None, v[5] or None)


def schedule_record(flat: list[str]) -> c.ScheduleRecord:
    f = dict(zip(flat[::2], flat[1::2], strict=True))
    return c.ScheduleRecord(
        f["id"],
        f["cron"],
        f["promise_id"],
        int(f["promise_timeout"]),
        f["promise_param"],
        f["promise_tags"],
        int(f["created"]),
        int(f["next"]),
        int(f["last"]) if f.get("last") else None,
    )


def _preload(records: list[list[str]]) -> tuple[c.PromiseRecord, ...]:
    return tuple(promise_record(v) for v in records)


def _with_promise(reply: list[Any]) -> c.Outcome:
    """{status, promise?} or {status, reason}."""
    status = int(reply[0])
    if status == 200:
        return c.Outcome(200, promise=promise_record(reply[1]))
    return c.Outcome(status, reason=str(reply[1]) if len(reply) > 1 else "")


def _created(reply: list[Any]) -> c.Outcome:
    """{200, promise, 1 when new}."""
    return c.Outcome(200, promise=promise_record(reply[1]), created=int(reply[2]) == 1)


def _status(reply: list[Any]) -> c.Outcome:
    return c.Outcome(int(reply[0]), reason=str(reply[1]) if len(reply) > 1 else "")


def _task_outcome(reply: list[Any]) -> c.Outcome:
    """{200, task, promise, preload} or {status, reason?}."""
    status = int(reply[0])
    if status != 200:
        return _status(reply)
    created = len(reply) > 4 and int(reply[4]) == 1  # task.create says whether the promise is new
    return c.Outcome(
        200, task=task_record(reply[1]), promise=promise_record(reply[2]), preload=_preload(reply[3]), created=created
    )


def _task_only(reply: list[Any]) -> c.Outcome:
    if int(reply[0]) != 200:
        return _status(reply)
    return c.Outcome(200, task=task_record(reply[1]))


def _fulfill(reply: list[Any]) -> c.Outcome:
    if int(reply[0]) != 200:
        return _status(reply)
    return c.Outcome(200, promise=promise_record(reply[1]))


def _suspend(reply: list[Any]) -> c.Outcome:
    status = int(reply[0])
    if status == 300:
        return c.Outcome(300, preload=_preload(reply[1]))
    return c.Outcome(status)


def _fence(reply: list[Any]) -> c.Outcome:
    status = int(reply[0])
    if status != 200:
        return c.Outcome(status)
    inner = int(reply[1])
    promise = promise_record(reply[2]) if inner == 200 else None
    return c.Outcome(200, promise=promise, preload=_preload(reply[3]), inner_status=inner, created=int(reply[4]) == 1)


def _page(record: Callable[[Any], Any]) -> Callable[[list[Any]], c.Page]:
    return lambda reply: c.Page(tuple(record(v) for v in reply[0]), reply[1] or None)


def _schedule_or_none(flat: list[str]) -> c.ScheduleRecord | None:
    return schedule_record(flat) if flat else None


def _message(v: list[Any]) -> c.Message:
    if v[0] == "execute":
        return c.Message("execute", v[1], task_id=v[2], version=int(v[3]))
    return c.Message("unblock", v[1], promise=promise_record(v[2]))


BINDINGS: dict[type, Binding] = {
    c.GetPromise: _bind("promise_get", c.GetPromise, _with_promise),
    c.CreatePromise: _bind("promise_create", c.CreatePromise, _created),
    c.SettlePromise: _bind("promise_settle", c.SettlePromise, _with_promise),
    c.RegisterCallback: _bind("register_callback", c.RegisterCallback, _with_promise),
    c.RegisterListener: _bind("register_listener", c.RegisterListener, _with_promise),
    c.SearchPromises: _bind("promise_search", c.SearchPromises, _page(promise_record)),
    c.GetTask: _bind("task_get", c.GetTask, _task_only),
    c.CreateTask: _bind("task_create", c.CreateTask, _task_outcome),
    c.AcquireTask: _bind("task_acquire", c.AcquireTask, _task_outcome),
    c.ReleaseTask: _bind("task_release", c.ReleaseTask, _status),
    c.FulfillTask: _bind("task_fulfill", c.FulfillTask, _fulfill),
    c.SuspendTask: _bind("task_suspend", c.SuspendTask, _suspend),
    c.FenceTask: Binding("current/task_fence", _FENCE_ARGS, _fence_args, lambda _command, reply: _fence(reply)),
    c.HeartbeatTasks: _bind("task_heartbeat", c.HeartbeatTasks, int),
    c.HaltTask: _bind("task_halt", c.HaltTask, _status),
    c.ContinueTask: _bind("task_continue", c.ContinueTask, _status),
    c.SearchTasks: _bind("task_search", c.SearchTasks, _page(task_record)),
    c.CreateSchedule: _bind("schedule_create", c.CreateSchedule, schedule_record),
    c.GetSchedule: _bind("schedule_get", c.GetSchedule, _schedule_or_none),
    c.DeleteSchedule: _bind("schedule_delete", c.DeleteSchedule, lambda reply: int(reply) == 1),
    c.SearchSchedules: _bind("schedule_search", c.SearchSchedules, _page(schedule_record)),
    c.TimeoutPromises: _bind("timeout_promises", c.TimeoutPromises, int),
    c.FireTaskTimers: _bind("fire_task_timers", c.FireTaskTimers, int),
    c.TakeMessages: _bind("take_messages", c.TakeMessages, lambda reply: [_message(v) for v in reply]),
    c.AwaitStream: _bind("await_stream", c.AwaitStream, int),
    c.WakeGroup: _bind("wake_group", c.WakeGroup, int),
    c.DueSchedules: _bind("due_schedules", c.DueSchedules, lambda reply: [schedule_record(v) for v in reply]),
    c.FireSchedule: _bind("fire_schedule", c.FireSchedule, lambda reply: int(reply) == 1),
}
