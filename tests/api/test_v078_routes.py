"""What resonate-sdk 0.5.x and 0.6.x need beyond v0.7.6: the two v0.7.8 routes with
their derived ids, the `uni@`/`any@` receiver addresses, and a repeated task complete
answered 200."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from aio.store.keys import key
from tests.conftest import Api, ServerProcess, unique, wait_until
from tests.sse import EventStream

NEVER = 2**63 - 1


@pytest.fixture
def streams(server: ServerProcess) -> Iterator[tuple[str, EventStream, EventStream]]:
    group = unique("g")
    first, second = EventStream(server.poll_url, group, "p1"), EventStream(server.poll_url, group, "p2")
    yield group, first, second
    first.close()
    second.close()


def callback(api: Api, promise_id: str, **body: object):  # type: ignore[no-untyped-def]
    return api.session.post(f"{api.url}/promises/callback/{promise_id}", json=body)


def subscribe(api: Api, promise_id: str, **body: object):  # type: ignore[no-untyped-def]
    return api.session.post(f"{api.url}/promises/subscribe/{promise_id}", json=body)


def test_register_a_callback_with_its_derived_id(api: Api) -> None:
    root, leaf = unique("root"), unique("leaf") + "/with/slashes"
    api.create(root)
    api.create(leaf)
    reply = callback(api, leaf, rootPromiseId=root, timeout=123, recv="poll://any@default/pid")
    assert reply.status_code == 201
    body = reply.json()
    assert body["callback"] == {
        "id": f"__resume:{root}:{leaf}",
        "promiseId": leaf,
        "rootPromiseId": "",
        "timeout": 123,
        "createdOn": body["callback"]["createdOn"],
    }
    assert body["promise"]["id"] == leaf and body["promise"]["state"] == "PENDING"
    again = callback(api, leaf, rootPromiseId=root, timeout=123, recv="poll://any@default/other")
    assert again.status_code == 200 and again.json()["callback"] is None  # the same (root, promise)
    api.complete(leaf, "RESOLVED")
    done = callback(api, leaf, rootPromiseId=unique("other-root"), recv="poll://any@default")
    assert done.status_code == 200 and done.json()["callback"] is None
    assert done.json()["promise"]["state"] == "RESOLVED"


def test_register_a_subscription_with_its_derived_id(api: Api) -> None:
    promise_id = unique()
    api.create(promise_id)
    reply = subscribe(api, promise_id, id="pid-1", timeout=5, recv="poll://uni@default/pid-1")
    assert reply.status_code == 201
    assert reply.json()["callback"]["id"] == f"__notify:{promise_id}:pid-1"
    assert subscribe(api, promise_id, id="pid-1", recv="poll://uni@default/pid-1").json()["callback"] is None
    assert subscribe(api, promise_id, ID="pid-2", recv="poll://uni@default/pid-2").status_code == 201  # any case


@pytest.mark.parametrize(
    ("route", "body", "status"),
    [
        ("callback", {"recv": "poll://any@g"}, 400),  # no rootPromiseId
        ("callback", {"rootPromiseId": "r"}, 400),  # no recv
        ("callback", {"rootPromiseId": "r", "recv": None}, 400),
        ("callback", {"rootPromiseId": "r", "recv": "poll://any@g", "timeout": "soon"}, 400),
        ("subscribe", {"recv": "poll://uni@g/p"}, 400),  # no id
        ("subscribe", {"id": "p"}, 400),
    ],
)
def test_bad_registrations_are_a_400(api: Api, route: str, body: dict, status: int) -> None:  # type: ignore[type-arg]
    promise_id = unique()
    api.create(promise_id)
    reply = api.session.post(f"{api.url}/promises/{route}/{promise_id}", json=body)
    assert reply.status_code == status
    assert reply.json()["error"]["code"] == 4000


def test_a_callback_of_a_promise_on_itself_and_on_a_missing_promise(api: Api) -> None:
    promise_id = unique()
    api.create(promise_id)
    itself = callback(api, promise_id, rootPromiseId=promise_id, recv="poll://any@g")
    assert itself.status_code == 400 and itself.json()["error"]["code"] == 4000
    missing = callback(api, unique("missing"), rootPromiseId="r", recv="poll://any@g")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == 4040
    assert subscribe(api, unique("missing"), id="p", recv="poll://uni@g/p").status_code == 404
    bad = api.session.post(f"{api.url}/promises/subscribe/{promise_id}", data=b"{not json")
    assert bad.status_code == 400


def test_anycast_with_an_id_goes_to_that_stream(api: Api, streams) -> None:  # type: ignore[no-untyped-def]
    group, first, second = streams
    api.create(unique(), tags={"resonate:invoke": f"poll://any@{group}/p2"})
    assert second.next()["type"] == "invoke"
    assert first.nothing_within(0.5)


def test_anycast_without_an_id_or_to_an_absent_one_goes_to_the_group(api: Api, streams) -> None:  # type: ignore[no-untyped-def]
    group, first, second = streams
    api.create(unique(), tags={"resonate:invoke": f"poll://any@{group}"})
    api.create(unique(), tags={"resonate:invoke": f"poll://any@{group}/gone"})
    got = 0
    for stream in (first, second):
        while not stream.nothing_within(1.0 if got < 2 else 0.2):
            got += 1
    assert got == 2


def test_unicast_goes_only_to_its_exact_stream(api: Api, streams) -> None:  # type: ignore[no-untyped-def]
    group, first, second = streams
    api.create(unique(), tags={"resonate:invoke": f"poll://uni@{group}/p1"})
    assert first.next()["type"] == "invoke"
    api.create(unique(), tags={"resonate:invoke": f"poll://uni@{group}/absent"})
    assert first.nothing_within(1.5) and second.nothing_within(0.1)  # never to another stream


def test_a_notify_for_uni_reaches_the_subscriber(api: Api, streams) -> None:  # type: ignore[no-untyped-def]
    group, first, second = streams
    promise_id = unique()
    api.create(promise_id)
    assert subscribe(api, promise_id, id="p2", timeout=NEVER, recv=f"poll://uni@{group}/p2").status_code == 201
    api.complete(promise_id, "RESOLVED")
    notify = second.next()
    assert notify["type"] == "notify" and notify["promise"]["id"] == promise_id
    assert first.nothing_within(0.5)


def test_a_resume_through_the_new_callback_route(api: Api, streams) -> None:  # type: ignore[no-untyped-def]
    group, first, _ = streams
    root, leaf = unique("root"), unique("leaf")
    api.create(root)
    api.create(leaf)
    callback(api, leaf, rootPromiseId=root, timeout=NEVER, recv=f"poll://any@{group}/p1")
    api.complete(leaf, "RESOLVED")
    message = first.next()
    assert message["type"] == "resume"


def test_an_address_that_can_never_be_delivered_fails_once(api: Api, server: ServerProcess) -> None:
    promise_id = unique()
    api.create(promise_id, tags={"resonate:invoke": "poll://every@g/p"})
    direct = redis.Redis.from_url(server.env["RESONATE_REDIS_URL"], decode_responses=True)
    prefix = server.env["RESONATE_KEY_PREFIX"]

    def finished_task() -> dict[str, str] | None:
        for tid in direct.zrange(key(prefix, "K_TASKS_FINISHED"), -50, -1):
            task = direct.hgetall(key(prefix, "K_TASK", tid))
            if task.get("root") == promise_id:
                return task
        return None

    wait_until(lambda: finished_task() is not None, 10, "the undeliverable task was tried on and on")
    task = finished_task()
    assert task is not None and task["state"] == "COMPLETED" and task["attempt"] == "1"
    assert api.read(promise_id).json()["state"] == "PENDING"  # the promise itself is untouched
