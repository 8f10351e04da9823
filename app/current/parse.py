"""From an envelope's data to the kind's typed request, with the protocol's checks.

Shape errors (a missing field, a wrong type, an unknown state) answer
"Invalid request: …"; the kinds' rules answer their own messages, joined by "; ".
Ids are checked as the lenient server of §5.4 does: non-empty, no NUL; lineage tags
are stored as given, so the `.` ids of resonate-sdk 0.7.x work beside the `:` ones.
Strings, tags and arrays have the legacy API's bounds (app/http/limits.py), so no
client stores megabytes in a name or makes one script touch unbounded records.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import orjson

from app.cron import InvalidCron, parse_cron
from app.current import requests as r
from app.http.limits import MAX_STRING, MAX_TAG_KEY, MAX_TAG_VALUE, MAX_TAGS
from kernel.t_current import NewPromise

MAX_INT64 = 2**63 - 1
MAX_LIMIT = 1000
MAX_AWAITED = 1000  # promises one task.suspend may wait on: one script touches each
MAX_HEARTBEAT_TASKS = 10_000  # tasks one heartbeat may renew
SETTLE_STATES = ("resolved", "rejected", "rejected_canceled")
PROMISE_STATES = ("pending", "resolved", "rejected", "rejected_canceled", "rejected_timedout")
TASK_STATES = ("pending", "acquired", "suspended", "halted", "fulfilled")
_POLL_ADDRESS = re.compile(r"^poll://(uni|any)@([^/]+)(?:/(.*))?$", re.DOTALL)
_HTTP_ADDRESS = re.compile(r"^https?://[^/\s]+", re.IGNORECASE)


class Invalid(Exception):
    """The data does not fit the kind: a 400 with this message."""


def shape(detail: str) -> Invalid:
    return Invalid(f"Invalid request: {detail}")


class Data:
    """Typed reads of one data object; a wrong shape raises at once, broken rules
    are collected and raised together by check()."""

    def __init__(self, data: Any, where: str = "") -> None:
        if not isinstance(data, dict):
            raise shape(f"{where or 'data'} must be an object")
        self._data = data
        self._where = where
        self.broken: list[str] = []

    def _name(self, name: str) -> str:
        return f"{self._where}.{name}" if self._where else name

    def _get(self, name: str, required: bool) -> Any:
        value = self._data.get(name)
        if value is None and required:
            raise shape(f"missing field `{self._name(name)}`")
        return value

    def string(self, name: str, required: bool = True) -> str:
        value = self._get(name, required)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise shape(f"`{self._name(name)}` must be a string")
        if len(value) > MAX_STRING:
            raise shape(f"`{self._name(name)}` must be at most {MAX_STRING} characters long")
        return value

    def int64(self, name: str, required: bool = True, default: int = 0) -> int:
        value = self._get(name, required)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or not -(2**63) <= value <= MAX_INT64:
            raise shape(f"`{self._name(name)}` must be a 64-bit integer")
        return value

    def choice(self, name: str, choices: tuple[str, ...], required: bool = True) -> str:
        value = self.string(name, required)
        if value and value not in choices:
            raise shape(f"unknown variant `{value}` for `{self._name(name)}`, expected one of {', '.join(choices)}")
        return value

    def value(self, name: str) -> str:
        """A Value as canonical JSON text: `{}` when absent; null members dropped."""
        if name in self._data and self._data[name] is None:
            raise shape(f"`{self._name(name)}` must be an object, not null")
        value = self._data.get(name, {})
        if not isinstance(value, dict):
            raise shape(f"`{self._name(name)}` must be an object")
        stored: dict[str, Any] = {}
        headers = value.get("headers")
        if headers is not None:
            stored["headers"] = _string_map(headers, f"{self._name(name)}.headers")
        data = value.get("data")
        if data is not None:
            if not isinstance(data, str):
                raise shape(f"`{self._name(name)}.data` must be a string")
            stored["data"] = data
        return orjson.dumps(stored).decode()

    def string_map(self, name: str) -> dict[str, str]:
        if name in self._data and self._data[name] is None:
            raise shape(f"`{self._name(name)}` must be an object, not null")
        return _string_map(self._data.get(name, {}), self._name(name))

    def object(self, name: str) -> Data:
        return Data(self._get(name, True), self._name(name))

    def array(self, name: str, most: int) -> list[Any]:
        value = self._get(name, True)
        if not isinstance(value, list):
            raise shape(f"`{self._name(name)}` must be an array")
        if len(value) > most:
            raise shape(f"`{self._name(name)}` may hold at most {most} items, not {len(value)}")
        return value

    def rule(self, holds: bool, message: str) -> None:
        if not holds:
            self.broken.append(message)

    def check(self) -> None:
        if self.broken:
            raise Invalid("; ".join(self.broken))


def _string_map(value: Any, name: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise shape(f"`{name}` must be an object of strings")
    if len(value) > MAX_TAGS:
        raise shape(f"`{name}` may hold at most {MAX_TAGS} entries, not {len(value)}")
    for key, text in value.items():
        if len(key) > MAX_TAG_KEY or len(text) > MAX_TAG_VALUE:
            raise shape(f"`{name}` keys may be {MAX_TAG_KEY} and values {MAX_TAG_VALUE} characters long at most")
    return value


def valid_address(address: str) -> bool:
    """poll://uni@group/id, poll://any@group[/id], or an http(s) URL (§6.3)."""
    return bool(_POLL_ADDRESS.match(address) or _HTTP_ADDRESS.match(address))


# -- pieces shared by several kinds --------------------------------------------------------


def id_rules(d: Data, promise_id: str, message: str = "Promise ID is required") -> None:
    d.rule(promise_id != "", message)


def new_promise(d: Data) -> NewPromise:
    """promise.create data (§2.3) and its rules."""
    promise_id = d.string("id")
    timeout = d.int64("timeoutAt")
    param = d.value("param")
    tags = d.string_map("tags")
    id_rules(d, promise_id)
    d.rule("\x00" not in promise_id, "Promise ID must not contain null bytes")
    d.rule(timeout >= 0, "TimeoutAt must be a non-negative integer")
    target = tags.get("resonate:target", "")
    if "resonate:target" in tags:
        d.rule(valid_address(target), "Invalid resonate:target address")
    delay = tags.get("resonate:delay", "")
    if "resonate:delay" in tags:
        if not delay.isdigit():
            d.rule(False, "resonate:delay must be a non-negative integer")
        else:
            d.rule(int(delay) < timeout, "resonate:delay must be less than timeoutAt")
            d.rule(int(delay) <= MAX_INT64, "resonate:delay must be a non-negative integer")
        d.rule(target != "", "resonate:delay requires a resonate:target tag")
    return NewPromise.from_tags(promise_id, timeout, param, tags)


def settle_data(d: Data) -> r.SettlePromise:
    promise_id = d.string("id")
    state = d.choice("state", SETTLE_STATES)
    value = d.value("value")
    id_rules(d, promise_id)
    return r.SettlePromise(promise_id, state, value)


def task_ref(d: Data) -> tuple[str, int]:
    task_id = d.string("id")
    version = d.int64("version")
    d.rule(task_id != "", "Task ID is required")
    d.rule(version >= 0, "Version must be a non-negative integer")
    return task_id, version


def lease(d: Data) -> tuple[str, int]:
    pid = d.string("pid")
    ttl = d.int64("ttl")
    d.rule(pid != "", "Process ID is required")
    d.rule(ttl >= 1, "TTL must be a positive integer")
    return pid, ttl


def paging(d: Data, default_limit: int) -> tuple[int, str]:
    limit = d.int64("limit", required=False, default=default_limit)
    cursor = d.string("cursor", required=False)
    d.rule(limit >= 1, "Limit must be a positive integer")
    d.rule(limit <= MAX_LIMIT, f"Invalid 'limit' — must be between 1 and {MAX_LIMIT}")
    return limit, cursor


def action(d: Data) -> Data:
    """A sub-envelope's data (§1.1): `data` required, `head` not checked."""
    return d.object("action").object("data")


# -- the kinds -------------------------------------------------------------------------------


def promise_get(d: Data, _corr: str) -> Any:
    return r.GetPromise(required_id(d, "Promise ID is required"))


def promise_create(d: Data, _corr: str) -> Any:
    return r.CreatePromise(new_promise(d))


def promise_settle(d: Data, _corr: str) -> Any:
    return settle_data(d)


def register_callback(d: Data, _corr: str) -> Any:
    awaited, awaiter = d.string("awaited"), d.string("awaiter")
    d.rule(awaited != "", "Awaited promise ID is required")
    d.rule(awaiter != "", "Awaiter promise ID is required")
    d.rule(awaited == "" or awaited != awaiter, "Awaited and awaiter must be different promises")
    return r.RegisterCallback(awaited, awaiter)


def register_listener(d: Data, _corr: str) -> Any:
    awaited, address = d.string("awaited"), d.string("address")
    d.rule(awaited != "", "Awaited promise ID is required")
    d.rule(address != "", "Address is required")
    if address:
        d.rule(valid_address(address), "Invalid listener address")
    return r.RegisterListener(awaited, address)


def promise_search(d: Data, _corr: str) -> Any:
    state = d.choice("state", PROMISE_STATES, required=False) or "all"
    tags = d.string_map("tags")
    limit, cursor = paging(d, 100)
    return r.SearchPromises(state, orjson.dumps(tags).decode(), limit, cursor)


def required_id(d: Data, message: str) -> str:
    value = d.string("id")
    d.rule(value != "", message)
    return value


def task_get(d: Data, _corr: str) -> Any:
    return r.GetTask(required_id(d, "Task ID is required"))


def task_create(d: Data, _corr: str) -> Any:
    pid, ttl = lease(d)
    inner = action(d)
    promise = new_promise(inner)
    d.broken.extend(inner.broken)
    tags = orjson.loads(promise.tags)
    d.rule("resonate:target" in tags, "Action must have a resonate:target tag")
    d.rule("resonate:delay" not in tags, "Action must not have a resonate:delay tag")
    return r.CreateTask(promise, pid, ttl)


def task_acquire(d: Data, _corr: str) -> Any:
    task_id, version = task_ref(d)
    pid, ttl = lease(d)
    return r.AcquireTask(task_id, version, pid, ttl)


def task_release(d: Data, _corr: str) -> Any:
    return r.ReleaseTask(*task_ref(d))


def task_fulfill(d: Data, _corr: str) -> Any:
    task_id, version = task_ref(d)
    inner = action(d)
    settle = settle_data(inner)
    d.broken.extend(inner.broken)
    d.rule(settle.id == task_id, "Action ID must match the task ID")
    return r.FulfillTask(task_id, version, settle.state, settle.value)


def task_suspend(d: Data, _corr: str) -> Any:
    task_id, version = task_ref(d)
    actions = d.array("actions", MAX_AWAITED)
    d.rule(len(actions) > 0, "Actions array cannot be empty")
    awaited: list[str] = []
    for number, item in enumerate(actions):
        inner = Data(item, f"actions[{number}]").object("data")
        other, awaiter = inner.string("awaited"), inner.string("awaiter")
        d.rule(awaiter == task_id, "All action awaiter IDs must match the task ID")
        d.rule(other != task_id, "Action awaited promise must not equal the task ID")
        d.rule(other != "", "Awaited promise ID is required")
        if other not in awaited:
            awaited.append(other)
    d.broken[:] = list(dict.fromkeys(d.broken))
    return r.SuspendTask(task_id, version, tuple(awaited))


def task_fence(d: Data, corr_id: str) -> Any:
    task_id, version = task_ref(d)
    outer = d.object("action")
    kind = outer.string("kind")
    if kind not in ("promise.create", "promise.settle"):
        raise Invalid("Invalid fence action kind")
    try:
        inner = outer.object("data")
        create = new_promise(inner) if kind == "promise.create" else None
        settle = settle_data(inner) if kind == "promise.settle" else None
    except Invalid as exc:
        raise Invalid(f"Invalid action data: {exc}") from None
    d.broken.extend(inner.broken)
    action_id = create.id if create is not None else settle.id if settle is not None else ""
    d.rule(action_id != task_id, "Action ID must not equal the task ID")
    return r.FenceTask(task_id, version, corr_id, create, settle)


def task_heartbeat(d: Data, _corr: str) -> Any:
    pid = d.string("pid")
    entries = d.array("tasks", MAX_HEARTBEAT_TASKS)
    d.rule(pid != "", "Process ID is required")
    d.rule(len(entries) > 0, "Tasks array cannot be empty")
    tasks = []
    for number, item in enumerate(entries):
        entry = Data(item, f"tasks[{number}]")
        tasks.append((entry.string("id"), entry.int64("version")))
    return r.HeartbeatTasks(pid, tuple(tasks))


def task_halt(d: Data, _corr: str) -> Any:
    return r.HaltTask(required_id(d, "Task ID is required"))


def task_continue(d: Data, _corr: str) -> Any:
    return r.ContinueTask(required_id(d, "Task ID is required"))


def task_search(d: Data, _corr: str) -> Any:
    state = d.choice("state", TASK_STATES, required=False) or "all"
    limit, cursor = paging(d, 100)
    return r.SearchTasks(state, limit, cursor)


def utc_cron(expression: str) -> str:
    """Cron of the current protocol is read in UTC unless it names a zone (§7.2)."""
    return expression if expression.startswith(("TZ=", "CRON_TZ=")) else f"CRON_TZ=UTC {expression}"


def schedule_create(d: Data, _corr: str) -> Any:
    schedule_id = d.string("id")
    cron = d.string("cron")
    template = d.string("promiseId")
    timeout = d.int64("promiseTimeout")
    param = d.value("promiseParam")
    tags = d.string_map("promiseTags")
    d.rule(schedule_id != "", "Schedule ID is required")
    d.rule("\x00" not in schedule_id, "Schedule ID must not contain null bytes")
    d.rule(cron.strip() != "", "Cron expression is required")
    if cron.strip():
        try:
            parse_cron(utc_cron(cron))
        except InvalidCron:
            d.rule(False, "Invalid cron expression")
    d.rule(template != "", "Promise ID template is required")
    d.rule(timeout >= 0, "Promise timeout must be a non-negative integer")
    d.rule("resonate:target" in tags, "promiseTags must include a resonate:target tag")
    if "resonate:target" in tags:
        d.rule(valid_address(tags["resonate:target"]), "Invalid resonate:target address")
    return r.CreateSchedule(schedule_id, cron, template, timeout, param, orjson.dumps(tags).decode())


def schedule_get(d: Data, _corr: str) -> Any:
    return r.GetSchedule(required_id(d, "Schedule ID is required"))


def schedule_delete(d: Data, _corr: str) -> Any:
    return r.DeleteSchedule(required_id(d, "Schedule ID is required"))


def schedule_search(d: Data, _corr: str) -> Any:
    tags = d.string_map("tags")
    limit, cursor = paging(d, 10)
    return r.SearchSchedules(orjson.dumps(tags).decode(), limit, cursor)


KINDS: dict[str, Callable[[Data, str], Any]] = {
    "promise.get": promise_get,
    "promise.create": promise_create,
    "promise.settle": promise_settle,
    "promise.register_callback": register_callback,
    "promise.register_listener": register_listener,
    "promise.search": promise_search,
    "task.get": task_get,
    "task.create": task_create,
    "task.acquire": task_acquire,
    "task.release": task_release,
    "task.fulfill": task_fulfill,
    "task.suspend": task_suspend,
    "task.fence": task_fence,
    "task.heartbeat": task_heartbeat,
    "task.halt": task_halt,
    "task.continue": task_continue,
    "task.search": task_search,
    "schedule.create": schedule_create,
    "schedule.get": schedule_get,
    "schedule.delete": schedule_delete,
    "schedule.search": schedule_search,
}


def parse_request(kind: str, data: dict[str, Any], corr_id: str) -> Any:
    """The typed request of a known kind; Invalid when the data breaks the kind."""
    d = Data(data)
    request = KINDS[kind](d, corr_id)
    d.check()
    return request
