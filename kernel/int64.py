"""Times and durations are signed 64-bit milliseconds; sums are clamped, not wrapped."""

from __future__ import annotations

MAX_INT64 = 2**63 - 1


def add_ms(time_ms: int, duration_ms: int) -> int:
    """time + duration, clamped to the int64 range (clients send 2^63-1 for never)."""
    return max(-(2**63), min(time_ms + duration_ms, MAX_INT64))
