"""Schedules (cron that creates promises) and locks: pure values."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Schedule:
    id: str
    cron: str
    promise_id: str  # a template: {{.id}} and {{.timestamp}}
    promise_timeout: int  # relative to each slot's time
    next_run_time: int
    created_on: int
    description: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    promise_param: str = "{}"  # Value JSON text
    promise_tags: dict[str, str] = field(default_factory=dict)
    last_run_time: int | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class Lock:
    resource_id: str
    execution_id: str
    process_id: str
    ttl: int
    expires_at: int
