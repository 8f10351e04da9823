"""Putting a promise into a given state over HTTP, for the decision-table tests."""

from __future__ import annotations

import time

from tests.conftest import Api

NEVER = 2**63 - 1
COMPLETE_KEY = "complete-key"
CREATE_KEY = "create-key"


def prepare(api: Api, promise_id: str, stored: str) -> None:
    """stored: pending, resolved, rejected, canceled, timedout, expired (pending past
    its timeout, not yet timed out) or sleep_expired (same, tagged resonate:timeout)."""
    if stored == "none":
        return
    if stored in ("expired", "sleep_expired"):
        tags = {"resonate:timeout": "true"} if stored == "sleep_expired" else {}
        reply = api.create(promise_id, timeout=now_ms() + 200, key=CREATE_KEY, tags=tags)
        assert reply.status_code == 201
        time.sleep(0.25)  # now due; only a touch or the next sweep will time it out
        return
    timeout = 0 if stored == "timedout" else NEVER
    assert api.create(promise_id, timeout=timeout, key=CREATE_KEY).status_code == 201
    if stored == "timedout":
        assert api.read(promise_id).json()["state"] == "REJECTED_TIMEDOUT"
        return
    target = {"resolved": "RESOLVED", "rejected": "REJECTED", "canceled": "REJECTED_CANCELED"}
    if stored in target:
        assert api.complete(promise_id, target[stored], key=COMPLETE_KEY).status_code == 201


def now_ms() -> int:
    return time.time_ns() // 1_000_000
