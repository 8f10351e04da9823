"""Tasks and callbacks: how promises turn into work for worker groups. Pure values."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class TaskState(str, enum.Enum):
    INIT = "INIT"
    ENQUEUED = "ENQUEUED"
    CLAIMED = "CLAIMED"
    COMPLETED = "COMPLETED"
    TIMEDOUT = "TIMEDOUT"


class MessageType(str, enum.Enum):
    INVOKE = "invoke"  # run the root promise's function
    RESUME = "resume"  # a promise the root waits on (the leaf) has completed
    NOTIFY = "notify"  # a subscribed promise has completed (sent at most once)


@dataclass(frozen=True, slots=True)
class Task:
    id: str
    state: TaskState
    message_type: MessageType
    root_promise_id: str
    leaf_promise_id: str
    counter: int
    timeout: int
    process_id: str | None = None
    created_on: int | None = None
    completed_on: int | None = None


@dataclass(frozen=True, slots=True)
class Callback:
    id: str
    promise_id: str
    root_promise_id: str
    timeout: int
    created_on: int


def callback_id(promise_id: str, request_id: str) -> str:
    """Callbacks and subscriptions are keyed per promise: '<promiseId>.<id>'."""
    return f"{promise_id}.{request_id}"
