"""The current protocol's (2026-04-01) records and store commands.

Field names of a command are the argument names of its Lua script (the binding
passes them by name), so a command reads like the call it makes. Every command
that touches promises carries `now` and the task retry period, because any of them
may time a promise out and resume its awaiters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

# -- records ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PromiseRecord:
    """A promise as stored; param, value and tags are the JSON texts the server wrote."""

    id: str
    state: str
    param: str
    value: str
    tags: str
    timeout_at: int
    created_at: int
    settled_at: int | None

    def to_json(self) -> dict[str, Any]:
        """The wire record (§3.2): objects for param, value and tags, settledAt only when
        settled, never a null."""
        record: dict[str, Any] = {
            "id": self.id,
            "state": self.state,
            "param": orjson.Fragment(self.param),
            "value": orjson.Fragment(self.value),
            "tags": orjson.Fragment(self.tags),
            "timeoutAt": self.timeout_at,
            "createdAt": self.created_at,
        }
        if self.settled_at is not None:
            record["settledAt"] = self.settled_at
        return record


@dataclass(frozen=True, slots=True)
class TaskRecord:
    id: str
    state: str
    version: int
    resumes: int
    ttl: int | None
    pid: str | None

    def to_json(self) -> dict[str, Any]:
        """The wire record (§3.3): ttl and pid only while acquired."""
        record: dict[str, Any] = {"id": self.id, "state": self.state, "version": self.version, "resumes": self.resumes}
        if self.ttl is not None:
            record["ttl"] = self.ttl
        if self.pid is not None:
            record["pid"] = self.pid
        return record


@dataclass(frozen=True, slots=True)
class ScheduleRecord:
    id: str
    cron: str
    promise_id: str
    promise_timeout: int
    promise_param: str
    promise_tags: str
    created_at: int
    next_run_at: int
    last_run_at: int | None

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "id": self.id,
            "cron": self.cron,
            "promiseId": self.promise_id,
            "promiseTimeout": self.promise_timeout,
            "promiseParam": orjson.Fragment(self.promise_param),
            "promiseTags": orjson.Fragment(self.promise_tags),
            "createdAt": self.created_at,
            "nextRunAt": self.next_run_at,
        }
        if self.last_run_at is not None:
            record["lastRunAt"] = self.last_run_at
        return record


# -- what a new promise is made of ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewPromise:
    """The data of a promise create, with the tags the model acts on taken out."""

    id: str
    timeout: int
    param: str  # JSON text of the Value
    tags: str  # JSON text of the tags
    target: str  # '' when untargeted
    branch: str  # '' when absent
    timer: bool
    delay: str  # absolute ms as text, '' when absent
    external: bool = False  # resonate:external: settled by someone outside, timed out actively

    @classmethod
    def from_tags(cls, promise_id: str, timeout: int, param: str, tags: dict[str, str]) -> NewPromise:
        """A create of these tags, with the ones the model acts on taken out."""
        return cls(
            id=promise_id,
            timeout=timeout,
            param=param,
            tags=orjson.dumps(tags).decode(),
            target=tags.get("resonate:target", ""),
            branch=tags.get("resonate:branch", ""),
            timer=tags.get("resonate:timer") == "true",
            delay=tags.get("resonate:delay", ""),
            external=tags.get("resonate:external") == "true",
        )


# -- commands --------------------------------------------------------------------------
# Results: a status (200, 300, 404, 409, 422) and what the script returned with it.


@dataclass(frozen=True, slots=True)
class Outcome:
    status: int
    promise: PromiseRecord | None = None
    task: TaskRecord | None = None
    preload: tuple[PromiseRecord, ...] = ()
    reason: str = ""
    inner_status: int = 200  # task.fence: the inner action's status
    created: bool = False  # promise.create: the promise is new


@dataclass(frozen=True, slots=True)
class Page:
    records: tuple[Any, ...]
    cursor: str | None


@dataclass(frozen=True, slots=True)
class GetPromise:
    id: str
    now: int
    retry: int


@dataclass(frozen=True, slots=True)
class CreatePromise:
    promise: NewPromise
    now: int
    retry: int


@dataclass(frozen=True, slots=True)
class SettlePromise:
    id: str
    state: str
    value: str
    now: int
    retry: int


@dataclass(frozen=True, slots=True)
class RegisterCallback:
    awaited: str
    awaiter: str
    now: int
    retry: int
    max_callbacks: int


@dataclass(frozen=True, slots=True)
class RegisterListener:
    awaited: str
    address: str
    now: int
    retry: int
    max_listeners: int


@dataclass(frozen=True, slots=True)
class SearchPromises:
    state: str  # a state, or 'all'
    tags: str  # JSON text
    cursor: str
    limit: int
    budget: int
    glob: str = "*"  # an id glob, '*' its only wildcard


@dataclass(frozen=True, slots=True)
class GetTask:
    id: str
    now: int
    retry: int


@dataclass(frozen=True, slots=True)
class CreateTask:
    promise: NewPromise
    pid: str
    ttl: int
    now: int
    retry: int
    max_preload: int


@dataclass(frozen=True, slots=True)
class AcquireTask:
    id: str
    version: int
    pid: str
    ttl: int
    now: int
    retry: int
    max_preload: int


@dataclass(frozen=True, slots=True)
class ReleaseTask:
    id: str
    version: int
    now: int
    retry: int


@dataclass(frozen=True, slots=True)
class FulfillTask:
    id: str
    version: int
    state: str
    value: str
    now: int
    retry: int


@dataclass(frozen=True, slots=True)
class SuspendTask:
    id: str
    version: int
    awaited: str  # JSON array of distinct ids
    now: int
    retry: int
    max_preload: int


@dataclass(frozen=True, slots=True)
class FenceTask:
    """A create (promise set) or a settle (settle_id, settle_state, value) under the fence."""

    id: str
    version: int
    create: NewPromise | None
    settle_id: str
    settle_state: str
    value: str
    now: int
    retry: int
    max_preload: int


@dataclass(frozen=True, slots=True)
class HeartbeatTasks:
    pid: str
    tasks: str  # JSON [[id, version], ...]
    now: int


@dataclass(frozen=True, slots=True)
class HaltTask:
    id: str
    now: int
    retry: int


@dataclass(frozen=True, slots=True)
class ContinueTask:
    id: str
    now: int
    retry: int


@dataclass(frozen=True, slots=True)
class SearchTasks:
    state: str  # a state, or 'all'
    cursor: str
    limit: int


@dataclass(frozen=True, slots=True)
class CreateSchedule:
    id: str
    cron: str
    promise_id: str
    promise_timeout: int
    promise_param: str
    promise_tags: str
    now: int
    next_run: int


@dataclass(frozen=True, slots=True)
class GetSchedule:
    id: str


@dataclass(frozen=True, slots=True)
class DeleteSchedule:
    id: str


@dataclass(frozen=True, slots=True)
class SearchSchedules:
    tags: str
    cursor: str
    limit: int
    budget: int


# -- background commands ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimeoutPromises:
    now: int
    retry: int
    limit: int


@dataclass(frozen=True, slots=True)
class FireTaskTimers:
    now: int
    retry: int
    limit: int


@dataclass(frozen=True, slots=True)
class TakeMessages:
    limit: int


@dataclass(frozen=True, slots=True)
class Message:
    """An outbox message to send: execute (task id, version) or unblock (promise)."""

    kind: str
    address: str
    task_id: str = ""
    version: int = 0
    promise: PromiseRecord | None = None


@dataclass(frozen=True, slots=True)
class AwaitStream:
    id: str
    group: str


@dataclass(frozen=True, slots=True)
class WakeGroup:
    group: str
    now: int
    retry: int
    limit: int


@dataclass(frozen=True, slots=True)
class DueSchedules:
    now: int
    limit: int


@dataclass(frozen=True, slots=True)
class FireSchedule:
    schedule_id: str
    at: int
    next_run: int
    promise: NewPromise
    now: int
    retry: int
