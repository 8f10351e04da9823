"""schedule.* kinds and firing (§7)."""

from __future__ import annotations

from typing import Any

from tests.conftest import unique, wait_until
from tests.current.proto import Proto, now_ms

TARGET = "poll://any@nobody-listens"


def schedule_data(schedule_id: str, cron: str = "*/5 * * * *", **extra: Any) -> dict[str, Any]:
    return {
        "id": schedule_id,
        "cron": cron,
        "promiseId": "{{.id}}-{{.timestamp}}",
        "promiseTimeout": 60_000,
        "promiseParam": {"data": "cA=="},
        "promiseTags": {"resonate:target": TARGET, "team": "a"},
        **extra,
    }


def test_create_get_search_delete(proto: Proto) -> None:
    schedule_id = unique("sched")
    before = now_ms()
    status, body = proto.send("schedule.create", schedule_data(schedule_id))
    assert status == 200
    schedule = body["schedule"]
    assert set(schedule) == {
        "id", "cron", "promiseId", "promiseTimeout", "promiseParam", "promiseTags", "createdAt", "nextRunAt",
    }  # fmt: skip
    assert schedule["promiseParam"] == {"data": "cA=="}
    assert schedule["nextRunAt"] > before and schedule["nextRunAt"] % 300_000 == 0  # */5 minutes, in UTC
    again = proto.send("schedule.create", schedule_data(schedule_id, cron="0 * * * *"))
    assert again == (200, {"schedule": schedule})  # idempotent by id
    assert proto.send("schedule.get", {"id": schedule_id}) == (200, {"schedule": schedule})
    status, body = proto.send("schedule.search", {"tags": {"team": "a"}, "limit": 1000})
    assert schedule_id in [s["id"] for s in body["schedules"]]
    status, body = proto.send("schedule.search", {"tags": {"team": "b"}})
    assert schedule_id not in [s["id"] for s in body["schedules"]]
    assert proto.send("schedule.delete", {"id": schedule_id}) == (200, {})
    assert proto.send("schedule.delete", {"id": schedule_id}) == (404, "Schedule not found")
    assert proto.send("schedule.get", {"id": schedule_id}) == (404, "Schedule not found")


def test_a_schedule_fires_promises_with_their_tags_and_times(proto: Proto) -> None:
    schedule_id = unique("every")
    status, body = proto.send("schedule.create", schedule_data(schedule_id, cron="* * * * * *"))  # every second
    assert status == 200
    first = body["schedule"]["nextRunAt"]
    fired = f"{schedule_id}-{first}"
    wait_until(lambda: proto.send("promise.get", {"id": fired})[0] == 200, message="the first run")
    promise = proto.get(fired)
    assert promise["createdAt"] == first and promise["timeoutAt"] == first + 60_000
    assert promise["param"] == {"data": "cA=="}
    assert promise["tags"] == {
        "resonate:target": TARGET,
        "team": "a",
        "resonate:schedule": schedule_id,
        "resonate:origin": fired,
        "resonate:branch": fired,
        "resonate:parent": fired,
        "resonate:prefix": fired,
    }
    assert proto.task(fired)["state"] == "pending"
    status, body = proto.send("schedule.get", {"id": schedule_id})
    assert body["schedule"]["lastRunAt"] >= first and body["schedule"]["nextRunAt"] > body["schedule"]["lastRunAt"]
    proto.send("schedule.delete", {"id": schedule_id})


def test_schedule_rules(proto: Proto) -> None:
    bad_target = schedule_data(unique(), promiseTags={"resonate:target": "nowhere"})
    assert proto.send("schedule.create", bad_target) == (400, "Invalid resonate:target address")
    missing = schedule_data("", cron="", promiseId="", promiseTimeout=-1)
    status, body = proto.send("schedule.create", missing)
    assert status == 400
    assert body.split("; ") == [
        "Schedule ID is required",
        "Cron expression is required",
        "Promise ID template is required",
        "Promise timeout must be a non-negative integer",
    ]
