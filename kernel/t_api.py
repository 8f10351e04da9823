"""API request and response kinds, and the status codes results carry.

Codes are the Resonate server's 4-digit ones: the HTTP status is code // 10.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from kernel.promise import Promise, State
from kernel.schedule import Schedule
from kernel.task import Callback, MessageType, Task


class Status(enum.IntEnum):
    OK = 2000
    CREATED = 2010
    NO_CONTENT = 2040
    FIELD_VALIDATION_ERROR = 4000
    UNAUTHORIZED = 4010
    PROMISE_ALREADY_RESOLVED = 4030
    PROMISE_ALREADY_REJECTED = 4031
    PROMISE_ALREADY_CANCELED = 4032
    PROMISE_ALREADY_TIMEDOUT = 4033
    LOCK_ALREADY_ACQUIRED = 4034
    TASK_ALREADY_CLAIMED = 4035
    TASK_ALREADY_COMPLETED = 4036
    TASK_INVALID_COUNTER = 4037
    TASK_INVALID_STATE = 4038
    PROMISE_NOT_FOUND = 4040
    SCHEDULE_NOT_FOUND = 4041
    LOCK_NOT_FOUND = 4042
    TASK_NOT_FOUND = 4043
    PROMISE_RECV_NOT_FOUND = 4044
    PROMISE_ALREADY_EXISTS = 4090
    SCHEDULE_ALREADY_EXISTS = 4091
    REQUEST_TOO_LARGE = 4130
    INTERNAL_SERVER_ERROR = 5000
    STORE_UNAVAILABLE = 5030
    SHUTTING_DOWN = 5031

    @property
    def http(self) -> int:
        return self.value // 10

    @property
    def is_error(self) -> bool:
        return self.value >= 4000


MESSAGES: dict[Status, str] = {
    Status.OK: "OK",
    Status.CREATED: "Created",
    Status.NO_CONTENT: "No content",
    Status.FIELD_VALIDATION_ERROR: "The request is invalid",
    Status.UNAUTHORIZED: "The request is unauthorized",
    Status.PROMISE_ALREADY_RESOLVED: "The promise has already been resolved",
    Status.PROMISE_ALREADY_REJECTED: "The promise has already been rejected",
    Status.PROMISE_ALREADY_CANCELED: "The promise has already been canceled",
    Status.PROMISE_ALREADY_TIMEDOUT: "The promise has already timedout",
    Status.LOCK_ALREADY_ACQUIRED: "The lock is already acquired",
    Status.TASK_ALREADY_CLAIMED: "The task is already claimed",
    Status.TASK_ALREADY_COMPLETED: "The task is already completed",
    Status.TASK_INVALID_COUNTER: "The task counter is invalid",
    Status.TASK_INVALID_STATE: "The task state is invalid",
    Status.PROMISE_NOT_FOUND: "The specified promise was not found",
    Status.SCHEDULE_NOT_FOUND: "The specified schedule was not found",
    Status.LOCK_NOT_FOUND: "The specified lock was not found",
    Status.TASK_NOT_FOUND: "The specified task was not found",
    Status.PROMISE_RECV_NOT_FOUND: "The specified recv couldn't be found",
    Status.PROMISE_ALREADY_EXISTS: "The specified promise already exists",
    Status.SCHEDULE_ALREADY_EXISTS: "The specified schedule already exists",
    Status.REQUEST_TOO_LARGE: "The request body is too large",
    Status.INTERNAL_SERVER_ERROR: "There was an internal server error",
    Status.STORE_UNAVAILABLE: "The store is unavailable",
    Status.SHUTTING_DOWN: "The server is shutting down",
}

ALREADY_COMPLETED: dict[State, Status] = {
    State.RESOLVED: Status.PROMISE_ALREADY_RESOLVED,
    State.REJECTED: Status.PROMISE_ALREADY_REJECTED,
    State.REJECTED_CANCELED: Status.PROMISE_ALREADY_CANCELED,
    State.REJECTED_TIMEDOUT: Status.PROMISE_ALREADY_TIMEDOUT,
}


# -- requests -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CreatePromiseRequest:
    id: str
    param: str
    timeout: int
    tags: dict[str, str]
    idempotency_key: str | None
    strict: bool


@dataclass(frozen=True, slots=True)
class ReadPromiseRequest:
    id: str


@dataclass(frozen=True, slots=True)
class CompletePromiseRequest:
    id: str
    state: State
    value: str
    idempotency_key: str | None
    strict: bool


class SearchClass(str, enum.Enum):
    """What the search `state` filter selects; ALL when absent."""

    ALL = "all"
    PENDING = "pending"
    RESOLVED = "resolved"
    REJECTED = "rejected"  # REJECTED, REJECTED_CANCELED and REJECTED_TIMEDOUT


@dataclass(frozen=True, slots=True)
class SearchPromisesRequest:
    id: str
    search_class: SearchClass
    tags: dict[str, str]
    limit: int
    before_sort_id: int | None = None  # set by a cursor: continue below this row


@dataclass(frozen=True, slots=True)
class CreatePromiseAndTaskRequest:
    """Create a promise and, when it is new, a task already claimed by process_id."""

    promise: CreatePromiseRequest
    process_id: str
    ttl: int


@dataclass(frozen=True, slots=True)
class CreateCallbackRequest:
    """Resume root_promise_id's task when promise_id completes."""

    id: str
    promise_id: str
    root_promise_id: str
    timeout: int
    recv: str  # JSON text, resolved only when the message is sent
    callback_id: str | None = None  # the whole id (v0.7.8 routes); else '<promiseId>.<id>'


@dataclass(frozen=True, slots=True)
class CreateSubscriptionRequest:
    """Notify recv (at most once) when promise_id completes."""

    id: str
    promise_id: str
    timeout: int
    recv: str
    callback_id: str | None = None  # the whole id (v0.7.8 routes); else '<promiseId>.<id>'


@dataclass(frozen=True, slots=True)
class ClaimTaskRequest:
    id: str
    counter: int
    process_id: str
    ttl: int


@dataclass(frozen=True, slots=True)
class CompleteTaskRequest:
    id: str
    counter: int


@dataclass(frozen=True, slots=True)
class HeartbeatTasksRequest:
    process_id: str


@dataclass(frozen=True, slots=True)
class CreateScheduleRequest:
    id: str
    description: str
    cron: str
    tags: dict[str, str]
    promise_id: str
    promise_timeout: int
    promise_param: str
    promise_tags: dict[str, str]
    idempotency_key: str | None


@dataclass(frozen=True, slots=True)
class ReadScheduleRequest:
    id: str


@dataclass(frozen=True, slots=True)
class DeleteScheduleRequest:
    id: str


@dataclass(frozen=True, slots=True)
class SearchSchedulesRequest:
    id: str
    tags: dict[str, str]
    limit: int
    before_sort_id: int | None = None


@dataclass(frozen=True, slots=True)
class AcquireLockRequest:
    resource_id: str
    execution_id: str
    process_id: str
    ttl: int


@dataclass(frozen=True, slots=True)
class ReleaseLockRequest:
    resource_id: str
    execution_id: str


@dataclass(frozen=True, slots=True)
class HeartbeatLocksRequest:
    process_id: str


@dataclass(frozen=True, slots=True)
class StreamConnectedRequest:
    """A poll stream of this group connected (from the poll listener, not a client)."""

    group: str


@dataclass(frozen=True, slots=True)
class PingRequest:
    """Health check: answered OK only when the store answers."""


# -- responses ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchPromisesPage:
    promises: list[Promise]
    next: SearchPromisesRequest | None  # the request for the next page, if any


@dataclass(frozen=True, slots=True)
class SearchSchedulesPage:
    schedules: list[Schedule]
    next: SearchSchedulesRequest | None


@dataclass(frozen=True, slots=True)
class PromiseAndTask:
    promise: Promise
    task: Task | None


@dataclass(frozen=True, slots=True)
class CallbackAndPromise:
    callback: Callback | None  # None: the promise is complete, or the callback exists
    promise: Promise


@dataclass(frozen=True, slots=True)
class ClaimedMessage:
    """What a claim returns: the task's message with its promises, read fresh."""

    type: MessageType
    root_promise_id: str
    root: Promise | None
    leaf_promise_id: str | None  # only for resume
    leaf: Promise | None


@dataclass(frozen=True, slots=True)
class Response:
    status: Status
    body: Any = None
    details: list[str] = field(default_factory=list)
