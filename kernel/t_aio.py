"""AIO submission and completion kinds: the store commands coroutines yield.

Each command is one atomic, conditional step in the store; its result says what
happened so the coroutine can decide the response without a second round trip.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, ClassVar

from kernel.promise import Promise, State
from kernel.schedule import Lock, Schedule
from kernel.t_api import SearchClass
from kernel.task import Callback, MessageType, Task


@dataclass(frozen=True, slots=True)
class StoreSubmission:
    """Commands for the store, executed in order; each one is atomic on its own."""

    kind: ClassVar[str] = "store"
    commands: tuple[Any, ...]


# -- commands -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReadPromise:
    """Read a promise, first timing it out if it is pending past its timeout."""

    id: str
    now: int


@dataclass(frozen=True, slots=True)
class NewTask:
    """The invoke task inserted with a new promise: INIT, or CLAIMED by process_id."""

    recv: str  # JSON text
    process_id: str | None = None
    ttl: int = 0


@dataclass(frozen=True, slots=True)
class CreatePromise:
    """Insert a pending promise (and its task, if any) if the id is free; else time
    out the stored one if due. The task is inserted only with a new promise."""

    id: str
    param: str
    timeout: int
    idempotency_key: str | None
    tags: dict[str, str]
    now: int
    task: NewTask | None = None


@dataclass(frozen=True, slots=True)
class CompletePromise:
    """Complete a promise if it is pending and not yet due; time it out if it is due."""

    id: str
    state: State
    value: str
    idempotency_key: str | None
    now: int


@dataclass(frozen=True, slots=True)
class SearchPromises:
    """Scan at most `budget` index rows below `before_sort_id`, newest first."""

    id_pattern: str
    search_class: SearchClass
    tags: dict[str, str]
    limit: int
    before_sort_id: int | None
    now: int
    budget: int = 1000  # index rows one call may scan


@dataclass(frozen=True, slots=True)
class TimeoutPromises:
    """Time out up to `limit` pending promises whose timeout has passed."""

    now: int
    limit: int


@dataclass(frozen=True, slots=True)
class CreateCallback:
    """Register a callback (resume) or subscription (notify) on a pending promise."""

    promise_id: str
    callback_id: str
    message_type: MessageType
    root_promise_id: str
    recv: str
    timeout: int
    now: int
    max_callbacks: int = 1000  # callbacks one promise may hold: past it, TOO_MANY


@dataclass(frozen=True, slots=True)
class ClaimTask:
    id: str
    counter: int
    process_id: str
    ttl: int
    now: int


@dataclass(frozen=True, slots=True)
class CompleteTask:
    id: str
    counter: int
    now: int


@dataclass(frozen=True, slots=True)
class HeartbeatTasks:
    """Extend the lease of every task the process holds by that task's own ttl."""

    process_id: str
    now: int


class Lane(enum.Enum):
    """Tasks are sent in two lanes, so slow HTTP receivers never hold up poll streams."""

    POLL = "poll"
    HTTP = "http"


@dataclass(frozen=True, slots=True)
class ReserveTasks:
    """Take up to `limit` tasks of a lane whose time to be sent has come (at most one
    invoke/resume per root, none for a root with a message in flight) and hold them
    until `sending_until`, so that no other server process sends them meanwhile."""

    now: int
    lane: Lane
    limit: int
    sending_until: int


@dataclass(frozen=True, slots=True)
class RecordSendOutcome:
    """A delivered invoke/resume becomes ENQUEUED; a failed one waits out a backoff
    that doubles per attempt. A notify is done once delivered, or once it has failed
    for longer than the grace period. Skips a task claimed or re-issued meanwhile."""

    task_id: str
    counter: int
    delivered: bool
    now: int
    enqueue_delay_ms: int
    notify_grace_ms: int
    poll_group: str | None = None  # a failed send's group: its next stream wakes the task
    undeliverable: bool = False  # the receiver can never be reached: the task is done


@dataclass(frozen=True, slots=True)
class TimeoutTasks:
    """Re-issue enqueued or claimed tasks whose lease lapsed (counter + 1), and time
    out those past their own timeout."""

    now: int
    limit: int


@dataclass(frozen=True, slots=True)
class WakePollGroup:
    """Make up to `limit` tasks whose send to this poll group failed ready to send
    now (a stream of the group has connected), instead of at the end of their backoff."""

    group: str
    now: int
    limit: int


@dataclass(frozen=True, slots=True)
class ExpireTasks:
    """Delete up to `limit` finished task records completed before `completed_before`."""

    completed_before: int
    limit: int


@dataclass(frozen=True, slots=True)
class ExpirePromises:
    """Delete up to `limit` completed promises completed before `completed_before`."""

    completed_before: int
    limit: int


@dataclass(frozen=True, slots=True)
class MigrateTaskIndexes:
    """Move up to `limit` INIT tasks from the index of earlier versions into the ready
    indexes; returns how many moved (0 when nothing is left)."""

    limit: int


@dataclass(frozen=True, slots=True)
class Ping:
    """Ask the store whether it answers."""


# -- results --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CreatePromiseResult:
    created: bool
    promise: Promise
    task: Task | None = None


class CompleteOutcome(enum.Enum):
    NOT_FOUND = "not_found"
    COMPLETED = "completed"  # completed by this command
    TIMED_OUT = "timed_out"  # was pending past its timeout: timed out by this command
    ALREADY_COMPLETED = "already_completed"


@dataclass(frozen=True, slots=True)
class CompletePromiseResult:
    outcome: CompleteOutcome
    promise: Promise | None
    tasks_created: int = 0


class CallbackOutcome(enum.Enum):
    CREATED = "created"
    EXISTS = "exists"
    PROMISE_COMPLETED = "completed"
    PROMISE_NOT_FOUND = "not_found"
    TOO_MANY = "too_many"


@dataclass(frozen=True, slots=True)
class CreateCallbackResult:
    outcome: CallbackOutcome
    promise: Promise | None
    callback: Callback | None


class TaskOutcome(enum.Enum):
    CLAIMED = "claimed"
    COMPLETED = "completed"
    NOT_FOUND = "not_found"
    ALREADY_CLAIMED = "already_claimed"
    ALREADY_COMPLETED = "already_completed"
    INVALID_COUNTER = "invalid_counter"
    INVALID_STATE = "invalid_state"


@dataclass(frozen=True, slots=True)
class TaskResult:
    """Of claim and complete; root and leaf are read fresh by a successful claim."""

    outcome: TaskOutcome
    task: Task | None = None
    root: Promise | None = None
    leaf: Promise | None = None


@dataclass(frozen=True, slots=True)
class TaskToSend:
    task: Task
    recv: str
    promise: Promise | None  # the completed promise, for notify messages


@dataclass(frozen=True, slots=True)
class SearchPromisesResult:
    rows: list[tuple[int, Promise]]  # (sort id, promise), newest first
    last_scanned_sort_id: int | None
    exhausted: bool  # no index rows remain below the last scanned one
    scanned: int  # index rows looked at


@dataclass(frozen=True, slots=True)
class SendResult:
    """What a send did: delivered or not, and the poll group it was for (a failed
    poll send waits for one of the group's streams to connect)."""

    delivered: bool
    poll_group: str | None = None
    undeliverable: bool = False  # the receiver can never be reached: do not try again


@dataclass(frozen=True, slots=True)
class SendMessage:
    """A network submission: deliver body to recv. Completes with a SendResult,
    delivered when queued on a live poll connection or answered 200 over HTTP."""

    kind: ClassVar[str] = "sender"
    recv: str  # JSON text: a logical name, a URL string, or {"type", "data"}
    body: bytes
    exact_only: bool = False  # notify: only the exact (group, id) poll connection
    current: bool = False  # a current-protocol message: to /poll streams, never the legacy ones


# -- schedules and locks ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CreateSchedule:
    """Insert the schedule if the id is free; else report the stored one."""

    schedule: Schedule


@dataclass(frozen=True, slots=True)
class CreateScheduleResult:
    created: bool
    schedule: Schedule


@dataclass(frozen=True, slots=True)
class ReadSchedule:
    id: str


@dataclass(frozen=True, slots=True)
class DeleteSchedule:
    id: str


@dataclass(frozen=True, slots=True)
class SearchSchedules:
    id_pattern: str
    tags: dict[str, str]
    limit: int
    before_sort_id: int | None
    budget: int = 1000


@dataclass(frozen=True, slots=True)
class SearchSchedulesResult:
    rows: list[tuple[int, Schedule]]  # (sort id, schedule), newest first
    last_scanned_sort_id: int | None
    exhausted: bool
    scanned: int


@dataclass(frozen=True, slots=True)
class DueSchedules:
    now: int
    limit: int


@dataclass(frozen=True, slots=True)
class FireSchedule:
    """Create the slot's promise (if its id is free) and advance the schedule to the
    following slot, only if the schedule is still at this slot: once per slot."""

    schedule_id: str
    slot: int
    following_slot: int
    promise: CreatePromise


@dataclass(frozen=True, slots=True)
class PostponeSchedule:
    """Move a schedule that cannot fire now (its cron no longer parses) to the back of
    the due index until `not_before`, if it is still at `slot`; its slot is kept."""

    schedule_id: str
    slot: int
    not_before: int


@dataclass(frozen=True, slots=True)
class AcquireLock:
    lock: Lock


@dataclass(frozen=True, slots=True)
class ReleaseLock:
    resource_id: str
    execution_id: str


@dataclass(frozen=True, slots=True)
class HeartbeatLocks:
    process_id: str
    now: int


@dataclass(frozen=True, slots=True)
class TimeoutLocks:
    now: int
    limit: int
