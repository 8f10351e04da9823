"""Schedules over HTTP: create, read, delete, search, and slots firing promises."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest
import requests

from aio.store.keys import key
from aio.store.redis_store import RedisStore
from tests.client import TimedSession
from tests.conftest import Api, ServerProcess, unique, wait_until


def create(api: Api, schedule_id: str, key: str | None = None, **body: object) -> requests.Response:
    payload = {"id": schedule_id, "cron": "0 * * * *", "promiseId": "{{.id}}.{{.timestamp}}", **body}
    headers = {"Idempotency-Key": key} if key is not None else {}
    return api.session.post(f"{api.url}/schedules", json=payload, headers=headers)


def test_create_has_the_reference_shape(api: Api) -> None:
    schedule_id = unique("s")
    reply = create(
        api,
        schedule_id,
        key="k",
        desc="hourly",
        tags={"team": "a"},
        promiseTimeout=60_000,
        promiseParam={"data": "eA=="},
        promiseTags={"x": "y"},
    )
    assert reply.status_code == 201
    body = reply.json()
    assert list(body) == [
        "id",
        "desc",
        "cron",
        "tags",
        "promiseId",
        "promiseTimeout",
        "promiseParam",
        "promiseTags",
        "nextRunTime",
        "idempotencyKey",
        "createdOn",
    ]
    assert body["nextRunTime"] % 3_600_000 == 0 and body["nextRunTime"] > body["createdOn"]
    assert api.session.get(f"{api.url}/schedules/{schedule_id}").json() == body


def test_empty_parts(api: Api) -> None:
    body = create(api, unique("s")).json()
    assert body["tags"] == {} and body["promiseParam"] == {}
    assert "desc" not in body and "promiseTags" not in body and "lastRunTime" not in body
    assert "idempotencyKey" not in body


@pytest.mark.parametrize(("first_key", "second_key", "status"), [("k", "k", 200), ("k", "j", 409), (None, None, 409)])
def test_create_deduplicates_only_on_equal_keys(
    api: Api, first_key: str | None, second_key: str | None, status: int
) -> None:
    schedule_id = unique("s")
    first = create(api, schedule_id, key=first_key)
    second = create(api, schedule_id, key=second_key, cron="* * * * *")  # bodies are not compared
    assert second.status_code == status
    if status == 200:
        assert second.json() == first.json()
    else:
        assert second.json()["error"]["code"] == 4091


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"cron": "61 * * * *"}, "The field cron must be a valid cron expression"),
        ({"cron": ""}, "The field cron is required."),
        ({"promiseId": ""}, "The field promiseid is required."),
        ({"promiseId": "job-{{"}, "The field promiseId must be a valid template"),
        ({"promiseId": "{{.name}}"}, "The field promiseId must be a valid template"),
        ({"promiseTimeout": "soon"}, "The field promisetimeout must be a 64-bit integer"),
        ({"id": ""}, "The field id is required."),
    ],
)
def test_bad_schedules_are_400(api: Api, body: dict[str, object], message: str) -> None:
    reply = create(api, unique("s"), **body)
    assert reply.status_code == 400
    assert reply.json()["error"]["details"][0]["message"].startswith(message)


def test_read_and_delete(api: Api) -> None:
    schedule_id = unique("s")
    create(api, schedule_id)
    assert api.session.delete(f"{api.url}/schedules/{schedule_id}").status_code == 204
    missing = api.session.get(f"{api.url}/schedules/{schedule_id}")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == 4041
    again = api.session.delete(f"{api.url}/schedules/{schedule_id}")
    assert again.status_code == 404 and again.json()["error"]["code"] == 4041


def test_search_by_glob_tags_limit_and_cursor(api: Api) -> None:
    prefix = unique("fam")
    for name, team in (("a", "x"), ("b", "y"), ("c", "x")):
        create(api, f"{prefix}/{name}", tags={"team": team})
    ids = lambda reply: [s["id"][-1] for s in reply.json()["schedules"]]  # noqa: E731
    assert ids(api.session.get(f"{api.url}/schedules", params={"id": f"{prefix}/*"})) == ["c", "b", "a"]
    tagged = api.session.get(f"{api.url}/schedules", params={"id": f"{prefix}/*", "tags[team]": "x"})
    assert ids(tagged) == ["c", "a"]
    first = api.session.get(f"{api.url}/schedules", params={"id": f"{prefix}/*", "limit": 2}).json()
    assert [s["id"][-1] for s in first["schedules"]] == ["c", "b"]
    second = api.session.get(f"{api.url}/schedules", params={"cursor": first["cursor"]}).json()
    assert [s["id"][-1] for s in second["schedules"]] == ["a"] and second["cursor"] is None
    for bad in ({}, {"id": "*", "limit": "101"}, {"cursor": "x"}):
        assert api.session.get(f"{api.url}/schedules", params=bad).status_code == 400


def slot_promises(api: Api, schedule_id: str) -> list[dict[str, object]]:
    reply = api.session.get(f"{api.url}/promises", params={"id": f"{schedule_id}.*"})
    return sorted(reply.json()["promises"], key=lambda p: p["id"])


def wait_for_slots(api: Api, schedule_id: str, count: int, within_s: float = 15) -> list[dict[str, object]]:
    """The schedule's promises once there are at least `count` (the sweep runs about
    once a second, later on a loaded machine)."""
    deadline = time.monotonic() + within_s
    while len(promises := slot_promises(api, schedule_id)) < count:
        assert time.monotonic() < deadline, f"only {len(promises)} slots fired"
        time.sleep(0.2)
    return promises


def test_a_schedule_firing_every_second(api: Api) -> None:
    schedule_id = unique("tick")
    created = create(
        api,
        schedule_id,
        cron="* * * * * *",
        promiseTimeout=60_000,
        promiseParam={"data": "eA=="},
        promiseTags={"kind": "tick"},
    ).json()
    promises = wait_for_slots(api, schedule_id, 3)
    slots = [int(str(p["id"]).rsplit(".", 1)[1]) for p in promises]
    assert slots[0] == created["nextRunTime"]
    assert all(b - a == 1000 for a, b in itertools.pairwise(slots))  # one per slot, no gaps
    for slot, promise in zip(slots, promises, strict=True):
        assert promise["timeout"] == slot + 60_000  # relative to the slot, not to now
        assert promise["param"] == {"data": "eA=="}
        assert promise["tags"] == {"kind": "tick", "resonate:schedule": schedule_id, "resonate:invocation": "true"}
    current = api.session.get(f"{api.url}/schedules/{schedule_id}").json()
    assert current["lastRunTime"] >= slots[-1] and current["nextRunTime"] == current["lastRunTime"] + 1000
    api.session.delete(f"{api.url}/schedules/{schedule_id}")


def test_the_schedule_id_is_html_escaped_in_promise_ids(api: Api) -> None:
    schedule_id = f"{unique('t')}+a&b"
    create(api, schedule_id, cron="* * * * * *", promiseId="{{.id}}")
    escaped = schedule_id.replace("&", "&amp;").replace("+", "&#43;")
    wait_until(lambda: api.read(escaped).status_code == 200, 15, "the slot's promise never appeared")
    api.session.delete(f"{api.url}/schedules/{schedule_id}")


def test_an_invoke_tag_makes_each_slot_a_task(api: Api, server: ServerProcess) -> None:
    from tests.sse import EventStream

    group = unique("g")
    stream = EventStream(server.poll_url, group, "w")
    schedule_id = unique("job")
    try:
        tags = {"resonate:invoke": f"poll://{group}"}
        create(api, schedule_id, cron="* * * * * *", promiseTimeout=60_000, promiseTags=tags)
        first, second = stream.next(), stream.next()
        assert first["type"] == second["type"] == "invoke" and first["task"]["id"] != second["task"]["id"]
    finally:
        api.session.delete(f"{api.url}/schedules/{schedule_id}")
        stream.close()


def test_two_servers_fire_each_slot_once(fast_servers: list[ServerProcess], fast_api: Api) -> None:
    schedule_id = unique("both")
    create(fast_api, schedule_id, cron="* * * * * *")  # both servers' sweeps run every 200 ms
    wait_for_slots(fast_api, schedule_id, 4)
    fast_api.session.delete(f"{fast_api.url}/schedules/{schedule_id}")
    slots = [int(str(p["id"]).rsplit(".", 1)[1]) for p in slot_promises(fast_api, schedule_id)]
    assert all(b - a == 1000 for a, b in itertools.pairwise(slots))


def test_a_restart_catches_up_missed_slots_once_each(tmp_path: Path) -> None:
    from tests.api.test_embedded_store import resonate_serve

    data_dir = tmp_path / "data"
    first = resonate_serve(data_dir, tmp_path / "first.log").start()
    api = Api(first.url, TimedSession())
    schedule_id = unique("life")
    create(api, schedule_id, cron="* * * * * *")
    wait_for_slots(api, schedule_id, 2)
    first.stop()
    stopped_at = time.time_ns() // 1_000_000
    time.sleep(2.5)  # slots pass while the server is down

    second = resonate_serve(data_dir, tmp_path / "second.log").start()
    try:
        api = Api(second.url, TimedSession())
        restarted_at = time.time_ns() // 1_000_000
        deadline = time.monotonic() + 15
        while True:  # until a slot after the restart has fired
            slots = [int(str(p["id"]).rsplit(".", 1)[1]) for p in slot_promises(api, schedule_id)]
            if slots and slots[-1] > restarted_at:
                break
            assert time.monotonic() < deadline, "no slot fired after the restart"
            time.sleep(0.2)
        api.session.delete(f"{api.url}/schedules/{schedule_id}")
        slots = [int(str(p["id"]).rsplit(".", 1)[1]) for p in slot_promises(api, schedule_id)]
        assert slots[0] < stopped_at and any(stopped_at < slot < restarted_at for slot in slots)
        assert all(b - a == 1000 for a, b in itertools.pairwise(slots))  # none missed, none twice
    finally:
        second.stop()


def test_a_schedule_that_no_longer_parses_is_skipped_and_the_others_keep_firing(
    api: Api, store_of_server: RedisStore
) -> None:
    broken, good = unique("broken"), unique("good")
    assert create(api, broken, cron="* * * * * *").status_code == 201
    # As if the host lost the zone this cron names (or an older version stored it).
    store_of_server.client.hset(key(store_of_server.prefix, "K_SCHEDULE", broken), "cron", "TZ=Nowhere/Gone * * * * *")
    assert create(api, good, cron="* * * * * *").status_code == 201
    wait_for_slots(api, good, 3)  # before the fix: none while the broken one was due
    assert len(slot_promises(api, broken)) <= 1  # at most the slot fired before the change
    api.session.delete(f"{api.url}/schedules/{broken}")
    api.session.delete(f"{api.url}/schedules/{good}")


@pytest.mark.parametrize("cron", ["@every 999999999999h", "@every 300000y", "@every 9999999999999999999s"])
def test_an_out_of_range_every_is_a_400(api: Api, cron: str) -> None:
    reply = create(api, unique("s"), cron=cron)
    assert reply.status_code == 400
    assert "cron" in reply.json()["error"]["details"][0]["message"]
