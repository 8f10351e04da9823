"""The durable promise and the rules about it that need no store: pure values."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

EMPTY_VALUE = "{}"  # a Value with no headers and no data, as JSON text
TIMEOUT_RESOLVES_TAG = "resonate:timeout"


class State(str, enum.Enum):
    PENDING = "PENDING"
    RESOLVED = "RESOLVED"
    REJECTED = "REJECTED"
    REJECTED_CANCELED = "REJECTED_CANCELED"
    REJECTED_TIMEDOUT = "REJECTED_TIMEDOUT"


@dataclass(slots=True)
class Promise:
    """A promise as stored. param and value are Value JSON texts the server never reads."""

    id: str
    state: State
    param: str = EMPTY_VALUE
    value: str = EMPTY_VALUE
    timeout: int = 0
    idempotency_key_for_create: str | None = None
    idempotency_key_for_complete: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    created_on: int = 0
    completed_on: int | None = None


def timeout_resolves(tags: dict[str, str]) -> bool:
    """A promise tagged resonate:timeout=true resolves, rather than rejects, on timeout."""
    return tags.get(TIMEOUT_RESOLVES_TAG) == "true"


def keys_match(stored: str | None, given: str | None) -> bool:
    """Idempotency keys match only when both are present and equal."""
    return stored is not None and given is not None and stored == given
