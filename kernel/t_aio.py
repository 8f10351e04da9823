"""AIO submission and completion kinds: the store commands coroutines yield.

Each command is one atomic, conditional step in the store; its result says what
happened so the coroutine can decide the response without a second round trip.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, ClassVar

from kernel.promise import Promise, State
from kernel.t_api import SearchClass


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
class CreatePromise:
    """Insert a pending promise if the id is free; else time out the stored one if due."""

    id: str
    param: str
    timeout: int
    idempotency_key: str | None
    tags: dict[str, str]
    now: int


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
    budget: int = 1000


@dataclass(frozen=True, slots=True)
class TimeoutPromises:
    """Time out up to `limit` pending promises whose timeout has passed."""

    now: int
    limit: int


@dataclass(frozen=True, slots=True)
class Ping:
    """Ask the store whether it answers."""


# -- results --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CreatePromiseResult:
    created: bool
    promise: Promise


class CompleteOutcome(enum.Enum):
    NOT_FOUND = "not_found"
    COMPLETED = "completed"  # completed by this command
    TIMED_OUT = "timed_out"  # was pending past its timeout: timed out by this command
    ALREADY_COMPLETED = "already_completed"


@dataclass(frozen=True, slots=True)
class CompletePromiseResult:
    outcome: CompleteOutcome
    promise: Promise | None


@dataclass(frozen=True, slots=True)
class SearchPromisesResult:
    promises: list[tuple[int, Promise]]  # (sort id, promise), newest first
    last_scanned_sort_id: int | None
    exhausted: bool  # no index rows remain below the last scanned one
