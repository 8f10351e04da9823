"""Tasks over HTTP: the router, claim, complete, heartbeat, and callbacks turning
into resume tasks (protocol §4.2, §4.6-4.7, §4.11, §6; semantics §3-5)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from tests.conftest import Api, ServerProcess, unique
from tests.sse import EventStream

NEVER = 2**63 - 1


@pytest.fixture
def worker(server: ServerProcess) -> Iterator[tuple[str, str, EventStream]]:
    """A poll stream for a fresh group and worker id."""
    group, member = unique("g"), unique("w")
    stream = EventStream(server.poll_url, group, member)
    yield group, member, stream
    stream.close()


def invoke(api: Api, promise_id: str, recv: str, **body: object) -> None:
    reply = api.create(promise_id, tags={"resonate:invoke": recv}, **body)
    assert reply.status_code == 201, reply.text


def claim(api: Api, task_id: str, counter: int, pid: str = "pid", ttl: int = 5000):  # type: ignore[no-untyped-def]
    body = {"id": task_id, "counter": counter, "processId": pid, "ttl": ttl}
    return api.session.post(f"{api.url}/tasks/claim", json=body)


def complete(api: Api, task_id: str, counter: int):  # type: ignore[no-untyped-def]
    return api.session.post(f"{api.url}/tasks/complete", json={"id": task_id, "counter": counter})


def test_an_invoke_tag_sends_an_invoke_message_to_the_group(api: Api, worker) -> None:  # type: ignore[no-untyped-def]
    group, _, stream = worker
    promise_id = unique()
    invoke(api, promise_id, f"poll://{group}")
    message = stream.next()
    assert message["type"] == "invoke"
    task = message["task"]
    assert set(task) == {"id", "counter", "timeout", "createdOn"} and task["counter"] == 1
    assert task["timeout"] == NEVER  # the promise's timeout
    assert message["href"]["claim"].endswith(f"/tasks/claim/{task['id']}/1")
    assert message["href"]["complete"].endswith(f"/tasks/complete/{task['id']}/1")
    assert message["href"]["heartbeat"].endswith(f"/tasks/heartbeat/{task['id']}/1")


def test_claim_returns_the_invoke_message_with_the_root_promise(api: Api, worker) -> None:  # type: ignore[no-untyped-def]
    group, _, stream = worker
    promise_id = unique()
    invoke(api, promise_id, f"poll://{group}", timeout=NEVER)
    task = stream.next()["task"]
    reply = claim(api, task["id"], 1)
    assert reply.status_code == 201
    body = reply.json()
    assert body["type"] == "invoke" and "leaf" not in body["promises"]
    root = body["promises"]["root"]
    assert root["id"] == promise_id and root["href"].endswith(f"/promises/{promise_id}")
    assert root["data"]["state"] == "PENDING" and root["data"]["id"] == promise_id


@pytest.mark.parametrize(
    ("tag", "routed"),
    [
        ('{"type":"poll","data":{"group":"GROUP"}}', True),
        ("poll://GROUP", True),
        ('{"type":"poll","data":{"group":"GROUP"},"extra":1}', False),  # unknown field
        ('"poll://GROUP"', False),  # a quoted JSON string
        ("123", False),
        ("true", False),
        ('{"type":"poll"}', False),  # no data
    ],
)
def test_router_rules(api: Api, worker, tag: str, routed: bool) -> None:  # type: ignore[no-untyped-def]
    group, _, stream = worker
    invoke(api, unique(), tag.replace("GROUP", group), timeout=NEVER)
    if routed:
        assert stream.next()["type"] == "invoke"
    else:
        assert stream.nothing_within(1.5)


def test_claim_checks_in_order(api: Api, worker) -> None:  # type: ignore[no-untyped-def]
    group, _, stream = worker
    invoke(api, unique(), f"poll://{group}", timeout=NEVER)
    task_id = stream.next()["task"]["id"]
    assert claim(api, "999999999", 1).json()["error"]["code"] == 4043
    assert claim(api, task_id, 2).json()["error"]["code"] == 4037
    assert claim(api, task_id, 1).status_code == 201
    for counter in (1, 2):  # claimed: 4035 whoever asks and whatever the counter
        reply = claim(api, task_id, counter, pid="other")
        assert (reply.status_code, reply.json()["error"]["code"]) == (403, 4035)
    assert complete(api, task_id, 1).status_code == 201
    assert claim(api, task_id, 1).json()["error"]["code"] == 4036


def test_complete_checks_in_order(api: Api, worker) -> None:  # type: ignore[no-untyped-def]
    group, _, stream = worker
    invoke(api, unique(), f"poll://{group}", timeout=NEVER)
    task_id = stream.next()["task"]["id"]
    assert complete(api, "999999999", 1).json()["error"]["code"] == 4043
    assert complete(api, task_id, 1).json()["error"]["code"] == 4038  # not claimed
    claim(api, task_id, 1)
    assert complete(api, task_id, 5).json()["error"]["code"] == 4037
    reply = complete(api, task_id, 1)
    assert reply.status_code == 201
    body = reply.json()
    assert body["id"] == task_id and "processId" not in body and body["completedOn"] >= body["createdOn"]
    for counter in (1, 7):  # a repeat is answered with the finished task, whatever the counter
        again = complete(api, task_id, counter)
        assert again.status_code == 200 and again.json() == body


def test_create_with_task_returns_a_claimed_task(api: Api) -> None:
    promise_id, pid = unique(), unique("pid")
    recv = json.dumps({"type": "poll", "data": {"group": "nobody", "id": pid}})
    body = {
        "promise": {"id": promise_id, "timeout": NEVER, "tags": {"resonate:invoke": recv}},
        "task": {"processId": pid, "ttl": 5000},
    }
    reply = api.session.post(f"{api.url}/promises/task", json=body, headers={"Idempotency-Key": "k"})
    assert reply.status_code == 201
    task = reply.json()["task"]
    assert task["counter"] == 1 and task["processId"] == pid and task["timeout"] == NEVER
    assert reply.json()["promise"]["state"] == "PENDING"
    heartbeat = api.session.post(f"{api.url}/tasks/heartbeat", json={"processId": pid})
    assert heartbeat.json() == {"tasksAffected": 1}
    repeat = api.session.post(f"{api.url}/promises/task", json=body, headers={"Idempotency-Key": "k"})
    assert repeat.status_code == 200 and repeat.json()["task"] is None
    assert complete(api, task["id"], 1).status_code == 201
    assert api.session.post(f"{api.url}/tasks/heartbeat", json={"processId": pid}).json() == {"tasksAffected": 0}


def test_create_with_task_without_a_receiver_is_404(api: Api) -> None:
    body = {"promise": {"id": unique(), "timeout": NEVER}, "task": {"processId": "p", "ttl": 5}}
    reply = api.session.post(f"{api.url}/promises/task", json=body)
    assert reply.status_code == 404 and reply.json()["error"]["code"] == 4044
    assert api.read(body["promise"]["id"]).status_code == 404  # nothing was created


@pytest.mark.parametrize(
    "body",
    [
        {"promise": {"id": "x"}, "task": {"ttl": 5}},
        {"promise": {"id": "x"}, "task": {"processId": "p", "ttl": -1}},
        {"promise": {}, "task": {"processId": "p"}},
        {"promise": "x", "task": {"processId": "p"}},
    ],
)
def test_create_with_task_bad_bodies(api: Api, body: dict[str, object]) -> None:
    assert api.session.post(f"{api.url}/promises/task", json=body).status_code == 400


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/tasks/claim", {"id": "1", "processId": "p"}),
        ("/tasks/claim", {"id": "1", "counter": 0, "processId": "p"}),
        ("/tasks/claim", {"id": "1", "counter": 1}),
        ("/tasks/claim", {"id": "1", "counter": 1, "processId": "p", "ttl": -5}),
        ("/tasks/claim", {"id": 1, "counter": 1, "processId": "p"}),
        ("/tasks/complete", {"id": "1"}),
        ("/tasks/complete", {"counter": 1}),
        ("/tasks/heartbeat", {}),
        ("/callbacks", {"id": "c", "promiseId": "p", "rootPromiseId": "r"}),  # no recv
        ("/callbacks", {"id": "c", "promiseId": "p", "rootPromiseId": "r", "recv": None}),
        ("/callbacks", {"promiseId": "p", "rootPromiseId": "r", "recv": "default"}),
        ("/callbacks", {"id": "c", "promiseId": "p", "recv": "default"}),
        ("/subscriptions", {"id": "s", "promiseId": "p"}),
        ("/subscriptions", {"id": "s", "recv": "default"}),
    ],
)
def test_task_and_callback_bad_bodies(api: Api, path: str, body: dict[str, object]) -> None:
    reply = api.session.post(f"{api.url}{path}", json=body)
    assert reply.status_code == 400 and reply.json()["error"]["code"] == 4000


def test_get_forms_of_the_task_links(api: Api, worker) -> None:  # type: ignore[no-untyped-def]
    group, _, stream = worker
    invoke(api, unique(), f"poll://{group}", timeout=NEVER)
    message = stream.next()
    href = message["href"]
    base = api.url
    path = lambda link: base + link[link.index("/tasks/") :]  # noqa: E731
    assert api.session.get(path(href["claim"])).status_code == 201
    task_id = message["task"]["id"]
    assert api.session.get(path(href["heartbeat"])).json() == {"tasksAffected": 1}  # process "<id>/<counter>"
    assert api.session.get(path(href["complete"])).status_code == 201
    bad = api.session.get(f"{base}/tasks/claim/{task_id}/one")
    assert bad.status_code == 400
    assert bad.json()["error"]["details"][0]["message"] == "The field counter must be a number."


def test_callback_on_a_pending_promise_turns_into_a_resume_task(api: Api, worker) -> None:  # type: ignore[no-untyped-def]
    group, member, stream = worker
    root, leaf = unique("root"), unique("leaf")
    api.create(root, timeout=NEVER)
    api.create(leaf, timeout=NEVER)
    recv = {"type": "poll", "data": {"group": group, "id": member}}
    body = {"id": "cb", "promiseId": leaf, "rootPromiseId": root, "timeout": NEVER, "recv": recv}
    reply = api.session.post(f"{api.url}/callbacks", json=body)
    assert reply.status_code == 201
    callback = reply.json()["callback"]
    assert callback["id"] == f"{leaf}.cb" and callback["promiseId"] == leaf and callback["timeout"] == NEVER
    assert reply.json()["promise"]["id"] == leaf
    again = api.session.post(f"{api.url}/callbacks", json=body)  # same id: no second callback
    assert again.status_code == 200 and again.json()["callback"] is None

    api.complete(leaf, "RESOLVED", value={"data": "ImRvbmUi"})
    message = stream.next()
    assert message["type"] == "resume"
    claimed = claim(api, message["task"]["id"], message["task"]["counter"]).json()
    assert claimed["type"] == "resume"
    assert claimed["promises"]["root"]["id"] == root and claimed["promises"]["root"]["data"]["state"] == "PENDING"
    assert claimed["promises"]["leaf"]["data"]["value"] == {"data": "ImRvbmUi"}
    assert stream.nothing_within(1.0)  # one callback, one message


def test_callback_on_a_completed_or_missing_promise(api: Api) -> None:
    done = unique()
    api.create(done, timeout=NEVER)
    api.complete(done, "REJECTED")
    body = {"id": "cb", "promiseId": done, "rootPromiseId": "r", "timeout": NEVER, "recv": "default"}
    reply = api.session.post(f"{api.url}/callbacks", json=body)
    assert reply.status_code == 200
    assert reply.json()["callback"] is None and reply.json()["promise"]["state"] == "REJECTED"
    missing = api.session.post(f"{api.url}/callbacks", json={**body, "promiseId": unique()})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == 4040


def test_a_callback_on_a_due_pending_promise_is_accepted_as_pending(api: Api) -> None:
    promise_id = unique()
    api.create(promise_id, timeout=1)  # due, not yet timed out by anything
    body = {"id": "cb", "promiseId": promise_id, "rootPromiseId": "r", "timeout": NEVER, "recv": "default"}
    reply = api.session.post(f"{api.url}/callbacks", json=body)
    if reply.status_code == 201:
        assert reply.json()["promise"]["state"] == "PENDING"
    else:  # the sweep got there first: then the callback is refused as on any completed promise
        assert reply.status_code == 200
        assert reply.json()["callback"] is None and reply.json()["promise"]["state"] == "REJECTED_TIMEDOUT"


def test_subscription_notifies_the_exact_stream_once(api: Api, worker, server: ServerProcess) -> None:  # type: ignore[no-untyped-def]
    group, member, stream = worker
    other = EventStream(server.poll_url, group, unique("other"))
    try:
        promise_id = unique()
        api.create(promise_id, timeout=NEVER)
        body = {
            "id": f"{member}.{promise_id}",
            "promiseId": promise_id,
            "timeout": NEVER,
            "recv": {"type": "poll", "data": {"group": group, "id": member}},
        }
        assert api.session.post(f"{api.url}/subscriptions", json=body).status_code == 201
        repeat = api.session.post(f"{api.url}/subscriptions", json=body)  # the SDK posts it twice
        assert repeat.status_code == 200 and repeat.json()["callback"] is None
        api.complete(promise_id, "RESOLVED", value={"data": "ImRvbmUi"})
        notify = stream.next()
        assert notify == {"type": "notify", "promise": api.read(promise_id).json()}
        assert stream.nothing_within(1.5) and other.nothing_within(0.1)
    finally:
        other.close()


def test_a_timeout_fires_callbacks_too(api: Api, worker) -> None:  # type: ignore[no-untyped-def]
    group, member, stream = worker
    sleep = unique("sleep")
    api.create(sleep, timeout=time.time_ns() // 1_000_000 + 1_000, tags={"resonate:timeout": "true"})
    body = {"id": "s", "promiseId": sleep, "timeout": NEVER, "recv": f"poll://{group}/{member}"}
    assert api.session.post(f"{api.url}/subscriptions", json=body).status_code == 201
    notify = stream.next(timeout_s=10)  # sent when the sweep times the promise out
    assert notify["promise"]["state"] == "RESOLVED" and notify["promise"]["id"] == sleep


def test_a_root_gets_one_message_at_a_time(api: Api, worker) -> None:  # type: ignore[no-untyped-def]
    group, member, stream = worker
    root = unique("root")
    recv = json.dumps({"type": "poll", "data": {"group": group, "id": member}})
    created = api.session.post(
        f"{api.url}/promises/task",
        json={
            "promise": {"id": root, "timeout": NEVER, "tags": {"resonate:invoke": recv}},
            "task": {"processId": member, "ttl": 60_000},
        },
    ).json()
    leaves = [unique("leaf") for _ in range(3)]
    for leaf in leaves:
        api.create(leaf, timeout=NEVER)
        body = {
            "id": "cb",
            "promiseId": leaf,
            "rootPromiseId": root,
            "timeout": NEVER,
            "recv": {"type": "poll", "data": {"group": group, "id": member}},
        }
        assert api.session.post(f"{api.url}/callbacks", json=body).status_code == 201
    for leaf in leaves:
        api.complete(leaf, "RESOLVED")
    assert stream.nothing_within(1.5)  # the root's invoke task is still claimed
    complete(api, created["task"]["id"], 1)
    seen = []
    for _ in leaves:
        message = stream.next()
        assert stream.nothing_within(0.5)  # the next resume waits for this one
        claimed = claim(api, message["task"]["id"], message["task"]["counter"]).json()
        seen.append(claimed["promises"]["leaf"]["id"])
        complete(api, message["task"]["id"], message["task"]["counter"])
    assert sorted(seen) == sorted(leaves)
