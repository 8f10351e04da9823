"""The dashboard's data (/ui/api) over real HTTP and Redis: searches of both generations
with an id glob and cursors, a promise with its task and links, a lineage, tasks with
their group and lease, schedules, the server page, the actions, and the errors."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from aio.store.embedded import EmbeddedRedis
from tests import client
from tests.conftest import ServerProcess, gunicorn_server, unique, wait_until
from tests.current.proto import HOUR_MS, Proto, now_ms

ACTION = {"X-Requested-By": "test"}


def ui(server: ServerProcess, path: str, **params: Any) -> Any:
    reply = client.get(f"{server.url}/ui/api{path}", params=params)
    assert reply.status_code == 200, reply.text
    return reply.json()


def act(server: ServerProcess, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(f"{server.url}/ui/api{path}", json=body or {}, headers=ACTION)


def every_page(server: ServerProcess, path: str, field: str, **params: Any) -> list[dict[str, Any]]:
    """All records of a search (the shared server holds many), following the cursors."""
    records: list[dict[str, Any]] = []
    cursor = ""
    for _ in range(500):
        page = ui(server, path, **params, cursor=cursor)
        records += page[field]
        cursor = page["cursor"] or ""
        if not cursor:
            return records
    raise AssertionError("too many pages")


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def test_the_page_and_its_assets_are_served_from_the_package(server: ServerProcess) -> None:
    bare = client.get(server.url + "/ui", allow_redirects=False)
    assert bare.status_code == 308 and bare.headers["Location"].endswith("/ui/")
    page = client.get(server.url + "/ui/")
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert "/ui/static/app.js" in page.text and "http" not in page.text.replace("http-equiv", "")
    for asset, kind in (("app.js", "javascript"), ("app.css", "text/css")):
        reply = client.get(f"{server.url}/ui/static/{asset}")
        assert reply.status_code == 200 and kind in reply.headers["Content-Type"]
        assert "https://" not in reply.text and "http://" not in reply.text  # nothing fetched from elsewhere


def test_current_search_by_id_glob_state_and_tags_with_cursor_paging(server: ServerProcess) -> None:
    proto = Proto(server.url)
    stem = unique("glob")
    for n in range(30):
        proto.create(f"{stem}-{n:02d}", team="a" if n % 2 else "b")
    proto.create(unique("other"), team="a")
    proto.settle(f"{stem}-01")
    first = ui(server, "/promises", id=f"{stem}-*")
    assert len(first["promises"]) == 25 and first["cursor"]
    second = ui(server, "/promises", id=f"{stem}-*", cursor=first["cursor"])
    ids = [p["id"] for p in first["promises"] + second["promises"]]
    assert ids == [f"{stem}-{n:02d}" for n in range(30)] and second["cursor"] is None
    team_a = ui(server, "/promises", id=f"{stem}-*", tag="team=a")["promises"]
    assert len(team_a) == 15 and all(p["tags"]["team"] == "a" for p in team_a)
    resolved = ui(server, "/promises", id=f"{stem}-*", state="resolved")["promises"]
    assert [p["id"] for p in resolved] == [f"{stem}-01"]
    assert resolved[0]["value"] == {"headers": {}, "base64": "eg==", "text": "z", "json": None, "isJson": False}
    inner = every_page(server, "/promises", "promises", id=f"*{stem[-8:]}-1*")  # stars before and after
    assert [p["id"] for p in inner] == [f"{stem}-1{n}" for n in range(10)]


def test_legacy_search_by_glob_and_cursor_in_the_current_shape(server: ServerProcess) -> None:
    stem = unique("legacy")
    for n in range(27):
        body = {"id": f"{stem}-{n}", "timeout": now_ms() + HOUR_MS, "param": {"data": b64('{"n": 1}')}}
        assert client.post(server.url + "/promises", json=body).status_code == 201
    first = ui(server, "/promises", generation="legacy", id=f"{stem}-*")
    second = ui(server, "/promises", generation="legacy", id=f"{stem}-*", cursor=first["cursor"])
    assert len(first["promises"]) == 25 and len(second["promises"]) == 2 and second["cursor"] is None
    record = first["promises"][0]
    assert record["generation"] == "legacy" and record["state"] == "pending"
    assert record["param"]["json"] == {"n": 1} and record["param"]["isJson"] is True
    assert {"timeoutAt", "createdAt"} <= record.keys()


def test_a_promise_with_its_task_callbacks_listeners_and_lineage_links(server: ServerProcess) -> None:
    proto = Proto(server.url)
    root = unique("root")
    param = {"func": "workflow", "args": [3], "kwargs": {}, "version": 1}
    status, _ = proto.send(
        "promise.create",
        {
            "id": root,
            "timeoutAt": now_ms() + HOUR_MS,
            "param": {"data": b64(json.dumps(param))},
            "tags": {"resonate:target": "poll://any@crunchers", "resonate:origin": root, "resonate:parent": root},
        },
    )
    assert status == 200
    assert proto.acquire(root, 0, pid="worker-7", ttl=30_000)[0] == 200
    child = f"{root}:1"
    assert proto.fence_create(root, 1, child, **{"resonate:origin": root, "resonate:parent": root})[0] == 200
    assert proto.suspend(root, 1, child)[0] == 200
    assert proto.send("promise.register_listener", {"awaited": child, "address": "poll://uni@client/c1"})[0] == 200

    detail = ui(server, f"/promises/current/{root}")
    promise, task = detail["promise"], detail["task"]
    assert promise["func"] == "workflow" and promise["group"] == "crunchers"
    assert promise["param"]["json"] == param and promise["parent"] is None and promise["root"] is None
    assert (task["state"], task["version"]) == ("suspended", 1)
    assert detail["awaiting"] == [child]
    child_detail = ui(server, f"/promises/current/{child}")
    assert child_detail["callbacks"] == [root] and child_detail["listeners"] == ["poll://uni@client/c1"]
    assert child_detail["promise"]["parent"] == root and child_detail["promise"]["root"] == root
    assert child_detail["task"] is None

    tree = ui(server, f"/tree/current/{root}")
    assert [p["id"] for p in tree["promises"]] == [root, child] and tree["complete"] is True


def test_an_acquired_task_shows_its_holder_and_lease_expiry(server: ServerProcess) -> None:
    proto = Proto(server.url)
    tid = proto.create(unique("leased"), target="poll://any@leasers")["id"]
    before = now_ms()
    assert proto.acquire(tid, 0, pid="holder-1", ttl=20_000)[0] == 200
    task = ui(server, f"/promises/current/{tid}")["task"]
    assert task["pid"] == "holder-1" and before + 20_000 <= task["leaseExpiresAt"] <= now_ms() + 20_000
    found = {t["id"]: t for t in every_page(server, "/tasks", "tasks", state="acquired")}
    assert found[tid]["group"] == "leasers" and found[tid]["leaseExpiresAt"] == task["leaseExpiresAt"]


def test_schedules_of_both_generations_and_the_promises_they_created(server: ServerProcess) -> None:
    proto = Proto(server.url)
    sid = unique("sched")
    data = {
        "id": sid,
        "cron": "* * * * * *",
        "promiseId": "{{.id}}.{{.timestamp}}",
        "promiseTimeout": HOUR_MS,
        "promiseParam": {"data": b64('"tick"')},
        "promiseTags": {"team": "a", "resonate:target": "poll://any@nobody-listens"},
    }
    assert proto.send("schedule.create", data)[0] == 200
    listed = every_page(server, "/schedules", "schedules")
    assert [s["cron"] for s in listed if s["id"] == sid] == ["* * * * * *"]
    wait_until(lambda: ui(server, f"/schedules/current/{sid}")["promises"], message="a run of the schedule")
    detail = ui(server, f"/schedules/current/{sid}")
    assert detail["schedule"]["lastRunAt"] < detail["schedule"]["nextRunAt"]
    assert detail["schedule"]["promiseParam"]["json"] == "tick"
    assert all(p["id"].startswith(f"{sid}.") and p["tags"]["team"] == "a" for p in detail["promises"])
    legacy_id = unique("lsched")
    body = {"id": legacy_id, "cron": "0 * * * *", "promiseId": "run.{{.id}}", "promiseTimeout": HOUR_MS}
    assert client.post(server.url + "/schedules", json=body).status_code == 201
    legacy = ui(server, f"/schedules/legacy/{legacy_id}")
    assert legacy["schedule"]["cron"] == "0 * * * *" and legacy["promises"] == []
    assert act(server, f"/schedules/legacy/{legacy_id}/delete").json() == {"done": True}
    assert client.get(f"{server.url}/schedules/{legacy_id}").status_code == 404
    assert act(server, f"/schedules/current/{sid}/delete").json() == {"done": True}
    assert proto.send("schedule.get", {"id": sid})[0] == 404
    assert act(server, f"/schedules/current/{sid}/delete").status_code == 404


def test_settle_halt_and_continue_act_as_the_api_does(server: ServerProcess) -> None:
    proto = Proto(server.url)
    pid = proto.create(unique("settle"))["id"]
    done = act(server, f"/promises/current/{pid}/settle", {"state": "resolved", "value": '{"ok": true}'})
    assert done.status_code == 200 and done.json()["promise"]["value"]["json"] == {"ok": True}
    assert proto.get(pid)["state"] == "resolved"
    again = act(server, f"/promises/current/{pid}/settle", {"state": "rejected"})
    assert again.status_code == 200 and proto.get(pid)["state"] == "resolved"  # the protocol's no-op on settled
    legacy = unique("lsettle")
    assert client.post(server.url + "/promises", json={"id": legacy, "timeout": now_ms() + HOUR_MS}).status_code == 201
    assert act(server, f"/promises/legacy/{legacy}/settle", {"state": "rejected_canceled"}).status_code == 200
    assert client.get(f"{server.url}/promises/{legacy}").json()["state"] == "REJECTED_CANCELED"
    refused = act(server, f"/promises/legacy/{legacy}/settle", {"state": "resolved"})
    assert refused.status_code == 403 and refused.json()["error"]

    tid = proto.create(unique("halt"), target="poll://any@nobody")["id"]
    assert act(server, f"/tasks/{tid}/halt").json() == {"done": True}
    assert proto.task(tid)["state"] == "halted"
    assert act(server, f"/tasks/{tid}/continue").json() == {"done": True}
    assert proto.task(tid)["state"] == "pending"


def test_bad_input_gets_a_clear_4xx(server: ServerProcess) -> None:
    def get(path: str, **params: Any) -> Any:
        return client.get(f"{server.url}/ui/api{path}", params=params)

    assert get("/promises", state="bogus").status_code == 400
    assert get("/promises", generation="third").status_code == 400
    assert get("/promises", tag="novalue").status_code == 400
    assert get("/promises", generation="legacy", cursor="not-a-cursor").status_code == 400
    assert get("/tasks", state="sleeping").status_code == 400
    missing = get(f"/promises/current/{unique()}")
    assert missing.status_code == 404 and missing.json() == {"error": "Promise not found"}
    assert get(f"/tree/legacy/{unique()}").status_code == 404
    assert get(f"/schedules/current/{unique()}").status_code == 404
    no_header = client.post(f"{server.url}/ui/api/tasks/x/halt", json={})
    assert no_header.status_code == 403 and "X-Requested-By" in no_header.json()["error"]
    pid = Proto(server.url).create(unique("bad"))["id"]
    for body in ({"state": "pending"}, {"state": "resolved", "value": "{not json"}, {"state": "resolved", "value": 3}):
        reply = act(server, f"/promises/current/{pid}/settle", body)
        assert reply.status_code == 400 and reply.json()["error"], body
    not_json = client.post(
        f"{server.url}/ui/api/promises/current/{pid}/settle", data=b"[", headers={**ACTION, "Content-Type": "x"}
    )
    assert not_json.status_code == 400
    assert act(server, f"/tasks/{unique()}/halt").status_code == 404


def test_the_server_page_masks_secrets_and_sums_the_metrics(server: ServerProcess) -> None:
    Proto(server.url).create(unique("counted"))
    page = ui(server, "/server")
    assert page["ready"] is True and page["down"] == []
    settings = {s["name"]: s for s in page["settings"]}
    assert settings["RESONATE_AUTH_BASIC"]["secret"] is True
    assert settings["RESONATE_REDIS_URL"]["value"].startswith("unix://")  # the tests' Redis
    metrics = {(m["metric"], tuple(sorted(m["labels"].items()))): m["value"] for m in page["metrics"]}
    assert metrics[("resonate_promises", (("protocol", "current"), ("state", "pending")))] >= 1
    assert any(name == "resonate_requests" and value > 0 for (name, _), value in metrics.items())


def test_the_envelope_protocol_is_unchanged_by_the_dashboard_glob(server: ServerProcess) -> None:
    """`id` is the dashboard's extension of the search; an envelope search ignores it."""
    proto = Proto(server.url)
    tag = unique("t")
    proto.create(unique("one"), mark=tag)
    status, data = proto.send("promise.search", {"tags": {"mark": tag}, "id": "nothing-*"})
    assert status == 200 and len(data["promises"]) == 1


def test_a_legacy_promise_and_its_lineage(server: ServerProcess) -> None:
    root = unique("lroot")
    for pid, tags in (
        (root, {"resonate:root": root}),
        (f"{root}.1", {"resonate:root": root, "resonate:parent": root}),
        (f"{root}.1.1", {"resonate:root": root, "resonate:parent": f"{root}.1"}),
    ):
        body = {"id": pid, "timeout": now_ms() + HOUR_MS, "tags": tags}
        assert client.post(server.url + "/promises", json=body).status_code == 201
    detail = ui(server, f"/promises/legacy/{root}.1.1")
    assert detail["promise"]["parent"] == f"{root}.1" and detail["promise"]["root"] == root
    assert detail["task"] is None and detail["callbacks"] == []
    tree = ui(server, f"/tree/legacy/{root}")
    assert sorted(p["id"] for p in tree["promises"]) == [root, f"{root}.1", f"{root}.1.1"]
    assert tree["promises"][0]["id"] == root and tree["complete"] is True


def test_a_legacy_root_shows_its_live_task_and_a_promise_its_callbacks(server: ServerProcess) -> None:
    root, leaf = unique("ltask"), unique("lleaf")
    recv = json.dumps({"type": "poll", "data": {"group": "nobody", "id": "p-9"}})
    body = {
        "promise": {"id": root, "timeout": now_ms() + HOUR_MS, "tags": {"resonate:invoke": recv}},
        "task": {"processId": "p-9", "ttl": 30_000},
    }
    assert client.post(server.url + "/promises/task", json=body).status_code == 201
    assert client.post(server.url + "/promises", json={"id": leaf, "timeout": now_ms() + HOUR_MS}).status_code == 201
    recv_back = {"type": "poll", "data": {"group": "nobody", "id": "p-9"}}
    callback = {"id": "c", "promiseId": leaf, "rootPromiseId": root, "timeout": now_ms() + HOUR_MS, "recv": recv_back}
    assert client.post(server.url + "/callbacks", json=callback).status_code == 201
    (task,) = ui(server, f"/promises/legacy/{root}")["legacyTasks"]
    assert (task["state"], task["process_id"], task["counter"]) == ("CLAIMED", "p-9", "1")
    (registered,) = ui(server, f"/promises/legacy/{leaf}")["legacyCallbacks"]
    assert registered["root"] == root and registered["type"] == "resume"


def test_tasks_of_one_worker_group(server: ServerProcess) -> None:
    proto = Proto(server.url)
    group = unique("grp")
    mine = sorted(proto.create(unique("job"), target=f"poll://any@{group}")["id"] for _ in range(30))
    proto.create(unique("job"), target="poll://any@someone-else")
    found = every_page(server, "/tasks", "tasks", group=group)
    assert sorted(t["id"] for t in found) == mine and {t["group"] for t in found} == {group}
    pending = every_page(server, "/tasks", "tasks", group=group, state="pending")
    assert len(pending) == 30 and all(t["retryAt"] > 0 for t in pending)


def test_store_away_gives_503_then_the_dashboard_recovers(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("ui-outage")
    redis = EmbeddedRedis(folder / "redis")
    server = gunicorn_server(folder / "server.log", RESONATE_REDIS_URL=redis.start(), RESONATE_REQUEST_TIMEOUT="3")
    server.start()
    try:
        proto = Proto(server.url)
        kept = proto.create(unique("kept"), target="poll://any@nobody")["id"]
        redis.stop()
        for path in ("/promises", f"/promises/current/{kept}", "/tasks", f"/tree/current/{kept}", "/schedules"):
            reply = client.get(f"{server.url}/ui/api{path}", timeout=10)
            assert reply.status_code == 503 and reply.headers["Retry-After"] == "1", (path, reply.text)
            assert "try again" in reply.json()["error"]
        page = client.get(f"{server.url}/ui/api/server", timeout=10).json()  # the page that says so
        assert page["ready"] is False and "store" in page["down"]
        redis.start()
        wait_until(lambda: client.get(f"{server.url}/ui/api/promises/current/{kept}").status_code == 200)
        assert ui(server, f"/promises/current/{kept}")["task"]["state"] == "pending"
    finally:
        server.stop()
        redis.stop()
