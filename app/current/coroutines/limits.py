"""The settings the current protocol's coroutines need, in one value."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    retry_ms: int  # between sends of a pending task's execute
    max_preload: int  # promises sent with a task at most
    max_callbacks: int  # callbacks (and listeners) one promise holds at most
    scan_limit: int  # index entries one search reads at most
