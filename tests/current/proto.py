"""A client of the current protocol for tests: every answer is checked for what the
published clients check (kind and corrId echoed, version, HTTP status = head.status,
no null anywhere) before a test looks at it."""

from __future__ import annotations

import time
import uuid
from typing import Any

import requests

from tests.client import TimedSession

VERSION = "2026-04-01"
HOUR_MS = 3_600_000


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def has_null(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, dict):
        return any(has_null(v) for v in value.values())
    if isinstance(value, list):
        return any(has_null(v) for v in value)
    return False


class Proto:
    def __init__(self, url: str) -> None:
        self.url = url
        self.session = TimedSession()

    def raw(self, body: Any) -> requests.Response:
        return self.session.post(self.url + "/", json=body)

    def send(self, kind: str, data: dict[str, Any]) -> tuple[int, Any]:
        corr = f"t-{uuid.uuid4().hex}"
        response = self.raw({"kind": kind, "head": {"corrId": corr, "version": VERSION}, "data": data})
        assert response.headers["Content-Type"].startswith("application/json")
        body = response.json()
        assert body["kind"] == kind
        assert body["head"] == {"corrId": corr, "status": response.status_code, "version": VERSION}
        assert not has_null(body), body
        if response.status_code not in (200, 300):
            assert isinstance(body["data"], str), body
        return response.status_code, body["data"]

    # -- shorthands -------------------------------------------------------------------

    def create(self, pid: str, timeout: int | None = None, target: str | None = None, **tags: str) -> dict[str, Any]:
        all_tags = dict(tags)
        if target is not None:
            all_tags["resonate:target"] = target
        data = {"id": pid, "timeoutAt": timeout if timeout is not None else now_ms() + HOUR_MS, "tags": all_tags}
        status, body = self.send("promise.create", data)
        assert status == 200, body
        return body["promise"]

    def get(self, pid: str) -> dict[str, Any]:
        status, body = self.send("promise.get", {"id": pid})
        assert status == 200, body
        return body["promise"]

    def task(self, tid: str) -> dict[str, Any]:
        status, body = self.send("task.get", {"id": tid})
        assert status == 200, body
        return body["task"]

    def acquire(self, tid: str, version: int, pid: str = "w1", ttl: int = 60_000) -> tuple[int, Any]:
        return self.send("task.acquire", {"id": tid, "version": version, "pid": pid, "ttl": ttl})

    def task_create(
        self, pid: str, target: str = "poll://any@default", ttl: int = 60_000, **extra: Any
    ) -> tuple[int, Any]:
        tags = {"resonate:target": target, **extra.pop("tags", {})}
        data = {"id": pid, "timeoutAt": extra.pop("timeoutAt", now_ms() + HOUR_MS), "tags": tags, **extra}
        action = {"kind": "promise.create", "head": {"corrId": "inner", "version": VERSION}, "data": data}
        return self.send("task.create", {"pid": "w1", "ttl": ttl, "action": action})

    def fence_create(self, tid: str, version: int, child: str, **tags: str) -> tuple[int, Any]:
        data = {"id": child, "timeoutAt": now_ms() + HOUR_MS, "tags": tags}
        action = {"kind": "promise.create", "head": {}, "data": data}
        return self.send("task.fence", {"id": tid, "version": version, "action": action})

    def fence_settle(self, tid: str, version: int, child: str, state: str = "resolved") -> tuple[int, Any]:
        action = {
            "kind": "promise.settle",
            "head": {},
            "data": {"id": child, "state": state, "value": {"data": "eA=="}},
        }
        return self.send("task.fence", {"id": tid, "version": version, "action": action})

    def suspend(self, tid: str, version: int, *awaited: str) -> tuple[int, Any]:
        actions = [
            {"kind": "promise.register_callback", "head": {}, "data": {"awaited": a, "awaiter": tid}} for a in awaited
        ]
        return self.send("task.suspend", {"id": tid, "version": version, "actions": actions})

    def fulfill(self, tid: str, version: int, state: str = "resolved", data: str = "eQ==") -> tuple[int, Any]:
        action = {"kind": "promise.settle", "head": {}, "data": {"id": tid, "state": state, "value": {"data": data}}}
        return self.send("task.fulfill", {"id": tid, "version": version, "action": action})

    def settle(self, pid: str, state: str = "resolved", data: str = "eg==") -> tuple[int, Any]:
        return self.send("promise.settle", {"id": pid, "state": state, "value": {"data": data}})
