"""Push delivery (§6): /poll streams on the API port, execute and unblock messages
exactly as the clients read them, uni and any routing across server processes, the
newest stream winning, clean ends, HTTP push, and no crossing with legacy streams."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from tests import client
from tests.conftest import ServerProcess, own_server, server_pair, unique, wait_until
from tests.current.proto import HOUR_MS, Proto, now_ms
from tests.receiver import Receiver
from tests.sse import EventStream


@pytest.fixture(scope="module")
def pair(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[ServerProcess]]:
    """Two servers on one store with the default 30 s task retry: any message seen
    within a test's few seconds is the one the test caused."""
    with server_pair(redis_url, tmp_path_factory.mktemp("push"), RESONATE_SIGNAL_TIMEOUT="200") as servers:
        yield servers


@pytest.fixture
def protos(pair: list[ServerProcess]) -> Iterator[list[Proto]]:
    clients = [Proto(server.url) for server in pair]
    yield clients
    for each in clients:
        each.session.close()


def stream(server: ServerProcess, group: str, member: str) -> EventStream:
    opened = EventStream(server.url, group, member, path=f"/poll/{group}/{member}")
    assert opened.status == 200
    assert opened.headers["content-type"].startswith("text/event-stream")
    assert opened.headers["cache-control"] == "no-cache"
    time.sleep(0.2)  # registered in the store
    return opened


def test_execute_reaches_a_stream_held_by_the_other_server(pair: list[ServerProcess], protos: list[Proto]) -> None:
    group = unique("g")
    events = stream(pair[1], group, "w1")
    pid = protos[0].create(unique(), target=f"poll://any@{group}")["id"]
    message = events.next()
    assert message == {
        "kind": "execute",
        "head": {"serverUrl": message["head"]["serverUrl"]},
        "data": {"task": {"id": pid, "version": 0}},
    }
    assert isinstance(message["head"]["serverUrl"], str)
    assert events.raw.startswith(b": connected\n\n")
    assert b"data: " + orjson.dumps(message) + b"\n\n" in bytes(events.raw)
    assert b"\r" not in events.raw
    events.close()


def test_unblock_carries_the_settled_record_to_the_listener(pair: list[ServerProcess], protos: list[Proto]) -> None:
    group = unique("g")
    events = stream(pair[0], group, "client")
    pid = protos[1].create(unique())["id"]
    status, _ = protos[1].send("promise.register_listener", {"awaited": pid, "address": f"poll://uni@{group}/client"})
    assert status == 200
    _, settled = protos[1].settle(pid, "resolved", "ZG9uZQ==")
    message = events.next()
    assert message == {"kind": "unblock", "head": {}, "data": {"promise": settled["promise"]}}
    assert message["data"]["promise"]["param"] == {} and "settledAt" in message["data"]["promise"]
    protos[1].settle(pid)  # settled already: listeners were one-shot
    assert events.nothing_within(0.7)
    events.close()


def test_routing_uni_and_any(pair: list[ServerProcess], protos: list[Proto]) -> None:
    group = unique("g")
    a = stream(pair[0], group, "a")
    b = stream(pair[1], group, "b")
    # any with an id reaches that stream
    pid = protos[0].create(unique(), target=f"poll://any@{group}/b")["id"]
    assert b.next()["data"]["task"]["id"] == pid
    # any with an absent id reaches some stream of the group, exactly one
    pid = protos[0].create(unique(), target=f"poll://any@{group}/gone")["id"]
    wait_until(lambda: a.events.qsize() + b.events.qsize() >= 1, message="one stream of the group gets it")
    assert a.nothing_within(0.5) + b.nothing_within(0.5) == 1
    # uni to an absent stream reaches nobody
    pid = protos[0].create(unique())["id"]
    protos[0].send("promise.register_listener", {"awaited": pid, "address": f"poll://uni@{group}/gone"})
    protos[0].settle(pid)
    assert a.nothing_within(0.5) and b.nothing_within(0.5)
    a.close()
    b.close()


def test_the_newest_stream_of_an_id_wins(pair: list[ServerProcess], protos: list[Proto]) -> None:
    group = unique("g")
    old = stream(pair[0], group, "w")
    new = stream(pair[1], group, "w")
    wait_until(lambda: old.ended.is_set(), message="the old stream ends")
    assert old.clean_end
    pid = protos[0].create(unique(), target=f"poll://uni@{group}/w")["id"]
    assert new.next()["data"]["task"]["id"] == pid
    new.close()


def test_a_stream_connecting_wakes_the_tasks_that_waited_for_it(pair: list[ServerProcess], protos: list[Proto]) -> None:
    group = unique("late")
    pid = protos[0].create(unique(), target=f"poll://any@{group}")["id"]
    time.sleep(0.6)  # the execute found no stream
    events = stream(pair[1], group, "w")
    assert events.next(timeout_s=3)["data"]["task"] == {"id": pid, "version": 0}  # not 30 s later
    events.close()


def test_a_delayed_task_is_sent_at_its_delay(pair: list[ServerProcess], protos: list[Proto]) -> None:
    group = unique("g")
    events = stream(pair[0], group, "w")
    delay = now_ms() + 1500
    tags = {"resonate:target": f"poll://any@{group}", "resonate:delay": str(delay)}
    pid = unique()
    assert protos[0].send("promise.create", {"id": pid, "timeoutAt": now_ms() + HOUR_MS, "tags": tags})[0] == 200
    message = events.next(timeout_s=5)
    assert now_ms() >= delay
    assert message["data"]["task"] == {"id": pid, "version": 0}
    events.close()


def test_a_settled_wait_resumes_the_suspended_task_with_an_execute(
    pair: list[ServerProcess], protos: list[Proto]
) -> None:
    group = unique("g")
    events = stream(pair[0], group, "w")
    root = unique()
    protos[1].task_create(root, target=f"poll://any@{group}")
    sleep = f"{root}:1"
    deadline = now_ms() + 3000  # room for a slow machine to suspend before it
    tags = {"resonate:target": f"poll://any@{group}", "resonate:timer": "true"}
    protos[1].send("promise.create", {"id": sleep, "timeoutAt": deadline, "tags": tags})
    assert events.next()["data"]["task"] == {"id": sleep, "version": 0}
    assert protos[1].suspend(root, 1, sleep) == (200, {})
    message = events.next(timeout_s=10)  # the timer resolves: the sleeper is resumed
    assert message["data"]["task"] == {"id": root, "version": 1}
    timer = protos[1].get(sleep)
    assert timer["state"] == "resolved" and timer["settledAt"] == deadline
    assert protos[1].task(sleep)["state"] == "fulfilled"
    events.close()


def test_a_pending_task_is_sent_again_every_retry_period(proto: Proto, current_server: ServerProcess) -> None:
    group = unique("g")
    events = stream(current_server, group, "w")
    pid = proto.create(unique(), target=f"poll://any@{group}")["id"]
    first, second = events.next(), events.next(timeout_s=10)
    assert first == second and first["data"]["task"] == {"id": pid, "version": 0}
    proto.acquire(pid, 0)
    events.events.queue.clear()
    # a send under way when the task was acquired may still arrive; retries (every 1 s) do not
    time.sleep(3)
    assert events.events.qsize() <= 1
    events.close()


def test_http_push_of_execute(protos: list[Proto]) -> None:
    receiver = Receiver()
    pid = protos[0].create(unique(), target=receiver.url)["id"]
    headers, body = receiver.next()
    assert headers["Content-Type"] == "application/json"
    assert body["kind"] == "execute" and body["data"]["task"] == {"id": pid, "version": 0}


def test_legacy_and_current_streams_never_cross(pair: list[ServerProcess], protos: list[Proto]) -> None:
    group = unique("g")
    current = stream(pair[0], group, "w")
    legacy = EventStream(pair[0].poll_url, group, "w")
    assert legacy.status == 200
    time.sleep(0.2)
    protos[0].create(unique(), target=f"poll://any@{group}/w")
    legacy_id = unique()
    body = {"id": legacy_id, "timeout": now_ms() + HOUR_MS, "tags": {"resonate:invoke": f"poll://{group}/w"}}
    assert client.post(pair[0].url + "/promises", json=body).status_code == 201
    assert current.next()["kind"] == "execute"
    assert legacy.next()["type"] == "invoke"
    assert current.nothing_within(0.5) and legacy.nothing_within(0.5)
    current.close()
    legacy.close()


def test_streams_send_keep_alives_and_end_cleanly(redis_url: str, tmp_path: Path) -> None:
    settings = {"RESONATE_POLL_STREAM_LIFETIME": "2", "RESONATE_POLL_KEEPALIVE": "1"}
    with own_server(redis_url, tmp_path, **settings) as server:
        events = stream(server, "g", "w")
        wait_until(lambda: events.ended.is_set(), timeout_s=20, message="the stream ends")
        assert events.clean_end
        assert events.raw.count(b": keep-alive\n\n") >= 1


def test_a_task_acquired_through_one_server_is_fenced_through_the_other(protos: list[Proto]) -> None:
    root = unique()
    assert protos[0].task_create(root, target="poll://any@nobody")[0] == 200
    status, body = protos[1].fence_create(root, 1, f"{root}:1")
    assert status == 200 and body["action"]["data"]["promise"]["id"] == f"{root}:1"
    assert protos[1].acquire(root, 1)[0] == 409
    assert protos[0].fulfill(root, 1)[0] == 200
    assert protos[1].task(root)["state"] == "fulfilled"
