"""The current protocol's typed requests: one per kind, built from a checked envelope."""

from __future__ import annotations

from dataclasses import dataclass

from kernel.t_current import NewPromise


@dataclass(frozen=True, slots=True)
class GetPromise:
    id: str


@dataclass(frozen=True, slots=True)
class CreatePromise:
    promise: NewPromise


@dataclass(frozen=True, slots=True)
class SettlePromise:
    id: str
    state: str
    value: str  # JSON text of the Value


@dataclass(frozen=True, slots=True)
class RegisterCallback:
    awaited: str
    awaiter: str


@dataclass(frozen=True, slots=True)
class RegisterListener:
    awaited: str
    address: str


@dataclass(frozen=True, slots=True)
class SearchPromises:
    state: str  # a state, or 'all'
    tags: str  # JSON text
    limit: int
    cursor: str
    id: str = "*"  # an id glob: not in the protocol, the dashboard's search


@dataclass(frozen=True, slots=True)
class GetTask:
    id: str


@dataclass(frozen=True, slots=True)
class CreateTask:
    promise: NewPromise
    pid: str
    ttl: int


@dataclass(frozen=True, slots=True)
class AcquireTask:
    id: str
    version: int
    pid: str
    ttl: int


@dataclass(frozen=True, slots=True)
class ReleaseTask:
    id: str
    version: int


@dataclass(frozen=True, slots=True)
class FulfillTask:
    id: str
    version: int
    state: str
    value: str


@dataclass(frozen=True, slots=True)
class SuspendTask:
    id: str
    version: int
    awaited: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FenceTask:
    """A promise create (create set) or settle under the task's fence."""

    id: str
    version: int
    corr_id: str  # echoed in the inner answer's head
    create: NewPromise | None
    settle: SettlePromise | None


@dataclass(frozen=True, slots=True)
class HeartbeatTasks:
    pid: str
    tasks: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class HaltTask:
    id: str


@dataclass(frozen=True, slots=True)
class ContinueTask:
    id: str


@dataclass(frozen=True, slots=True)
class SearchTasks:
    state: str
    limit: int
    cursor: str


@dataclass(frozen=True, slots=True)
class CreateSchedule:
    id: str
    cron: str
    promise_id: str
    promise_timeout: int
    promise_param: str
    promise_tags: str


@dataclass(frozen=True, slots=True)
class GetSchedule:
    id: str


@dataclass(frozen=True, slots=True)
class DeleteSchedule:
    id: str


@dataclass(frozen=True, slots=True)
class SearchSchedules:
    tags: str
    limit: int
    cursor: str


@dataclass(frozen=True, slots=True)
class StreamConnected:
    """A /poll stream of this group connected: tasks waiting for one are sent now."""

    group: str


@dataclass(frozen=True, slots=True)
class Answer:
    """What a coroutine answers: the protocol status and the envelope's data."""

    status: int
    data: object
