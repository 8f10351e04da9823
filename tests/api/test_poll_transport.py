"""The poll transport: server-sent-event streams at /{group}/{id} (protocol §5.3), and
task leases that re-issue unclaimed work (semantics §5.2, §6)."""

from __future__ import annotations

import socket
import struct
import time
from pathlib import Path
from urllib.parse import urlsplit

import orjson
import pytest
import redis

from aio.store.keys import key
from tests import client
from tests.conftest import Api, ServerProcess, own_server, unique, wait_until
from tests.sse import EventStream


def owner_key(server: ServerProcess, group: str, member: str) -> str:
    return key(server.env["RESONATE_KEY_PREFIX"], "K_POLL_OWNER", orjson.dumps([group, member]).decode())


def redis_of(server: ServerProcess) -> redis.Redis:
    return redis.Redis.from_url(server.env["RESONATE_REDIS_URL"], decode_responses=True)


NEVER = 2**63 - 1


def invoke(api: Api, recv: str, timeout: int = NEVER) -> str:
    promise_id = unique()
    reply = api.create(promise_id, timeout=timeout, tags={"resonate:invoke": recv})
    assert reply.status_code == 201, reply.text
    return promise_id


def claim(api: Api, task: dict[str, object], pid: str = "pid", ttl: int = 5000):  # type: ignore[no-untyped-def]
    body = {"id": task["id"], "counter": task["counter"], "processId": pid, "ttl": ttl}
    return api.session.post(f"{api.url}/tasks/claim", json=body)


def test_stream_headers_and_event_format(fast_servers: list[ServerProcess], fast_api: Api) -> None:
    group = unique("g")
    stream = EventStream(fast_servers[0].poll_url, group, "w")
    try:
        assert stream.status == 200
        assert stream.headers["content-type"] == "text/event-stream"
        assert stream.headers["cache-control"] == "no-cache"
        assert stream.headers["connection"] == "keep-alive"
        assert stream.headers["transfer-encoding"] == "chunked"
        invoke(fast_api, f"poll://{group}/w")
        assert stream.next()["type"] == "invoke"
    finally:
        stream.close()


def test_bad_stream_requests(fast_servers: list[ServerProcess]) -> None:
    url = fast_servers[0].poll_url
    assert EventStream(url, "", "", path="/only-a-group").status == 400
    assert EventStream(url, "", "", path="/").status == 400
    empty_id = EventStream(url, "", "", path=f"/{unique('g')}/")
    assert empty_id.status == 200
    empty_id.close()
    import requests

    assert requests.post(f"{url}/g/w", timeout=5).status_code == 405


def test_a_new_stream_replaces_the_old_one_which_ends_cleanly(fast_servers: list[ServerProcess], fast_api: Api) -> None:
    group = unique("g")
    first = EventStream(fast_servers[0].poll_url, group, "w")
    second = EventStream(fast_servers[1].poll_url, group, "w")  # same (group, id), other server
    try:
        assert first.ended.wait(10) and first.clean_end  # so the SDK reconnects, not crashes
        invoke(fast_api, f"poll://{group}/w")
        assert second.next()["type"] == "invoke"
    finally:
        first.close()
        second.close()


def test_messages_reach_a_stream_held_by_another_server(fast_servers: list[ServerProcess]) -> None:
    group = unique("g")
    for holder, creator in ((0, 1), (1, 0)):
        stream = EventStream(fast_servers[holder].poll_url, group, f"w{holder}")
        try:
            api_url = fast_servers[creator].url
            import requests

            promise_id = unique()
            tags = {"resonate:invoke": f"poll://{group}/w{holder}"}
            requests.post(f"{api_url}/promises", json={"id": promise_id, "timeout": NEVER, "tags": tags}, timeout=5)
            assert stream.next()["type"] == "invoke"
        finally:
            stream.close()


def test_invoke_goes_to_another_member_when_the_addressed_one_is_absent(
    fast_servers: list[ServerProcess], fast_api: Api
) -> None:
    group = unique("g")
    stream = EventStream(fast_servers[0].poll_url, group, "present")
    try:
        invoke(fast_api, f'{{"type":"poll","data":{{"group":"{group}","id":"absent"}}}}')
        assert stream.next()["type"] == "invoke"
    finally:
        stream.close()


def test_notify_goes_only_to_the_exact_stream(fast_servers: list[ServerProcess], fast_api: Api) -> None:
    group = unique("g")
    bystander = EventStream(fast_servers[0].poll_url, group, "bystander")
    try:
        promise_id = unique()
        fast_api.create(promise_id)
        body = {"id": "s", "promiseId": promise_id, "timeout": NEVER, "recv": f"poll://{group}/absent"}
        assert fast_api.session.post(f"{fast_api.url}/subscriptions", json=body).status_code == 201
        fast_api.complete(promise_id, "RESOLVED")
        assert bystander.nothing_within(1.5)
    finally:
        bystander.close()


def test_a_dropped_stream_is_noticed_and_its_work_goes_elsewhere(
    fast_servers: list[ServerProcess], fast_api: Api
) -> None:
    group = unique("g")
    gone = EventStream(fast_servers[0].poll_url, group, "gone")
    alive = EventStream(fast_servers[1].poll_url, group, "alive")
    try:
        gone.close()  # the worker vanishes without a word
        client = redis_of(fast_servers[0])
        wait_until(lambda: client.get(owner_key(fast_servers[0], group, "gone")) is None, 10, "the drop went unnoticed")
        invoke(fast_api, f'{{"type":"poll","data":{{"group":"{group}","id":"gone"}}}}')
        assert alive.next(timeout_s=3)["type"] == "invoke"
    finally:
        alive.close()


def test_an_unclaimed_message_is_sent_again_with_the_next_counter(
    fast_servers: list[ServerProcess], fast_api: Api
) -> None:
    group = unique("g")
    stream = EventStream(fast_servers[0].poll_url, group, "w")
    try:
        invoke(fast_api, f"poll://{group}/w")
        first = stream.next()["task"]
        second = stream.next(timeout_s=5)["task"]  # not claimed within the 1 s delay
        assert second["id"] == first["id"] and second["counter"] == first["counter"] + 1
        stale = claim(fast_api, first)
        assert (stale.status_code, stale.json()["error"]["code"]) == (403, 4037)
        assert claim(fast_api, second).status_code == 201
    finally:
        stream.close()


def test_a_worker_that_reconnects_gets_its_pending_work(fast_servers: list[ServerProcess], fast_api: Api) -> None:
    group = unique("g")
    stream = EventStream(fast_servers[0].poll_url, group, "w")
    invoke(fast_api, f"poll://{group}/w")
    lost = stream.next()["task"]
    stream.close()  # disconnects before claiming
    again = EventStream(fast_servers[1].poll_url, group, "w")
    try:
        task = again.next(timeout_s=5)["task"]
        assert task["id"] == lost["id"] and task["counter"] > lost["counter"]
        assert claim(fast_api, task).status_code == 201
    finally:
        again.close()


def test_a_lapsed_claim_is_reissued_and_a_heartbeat_keeps_it(fast_servers: list[ServerProcess], fast_api: Api) -> None:
    group = unique("g")
    stream = EventStream(fast_servers[0].poll_url, group, "w")
    try:
        invoke(fast_api, f"poll://{group}/w")
        kept = stream.next()["task"]
        invoke(fast_api, f"poll://{group}/w")
        lapsed = stream.next()["task"]
        assert claim(fast_api, kept, pid="keeper", ttl=2000).status_code == 201
        assert claim(fast_api, lapsed, pid="sleeper", ttl=800).status_code == 201
        for _ in range(6):  # 1.5 s of heartbeats for the keeper only
            fast_api.session.post(f"{fast_api.url}/tasks/heartbeat", json={"processId": "keeper"})
            time.sleep(0.25)
        reissued = stream.next(timeout_s=5)["task"]
        assert reissued["id"] == lapsed["id"] and reissued["counter"] == lapsed["counter"] + 1
        completed = fast_api.session.post(f"{fast_api.url}/tasks/complete", json={"id": kept["id"], "counter": 1})
        assert completed.status_code == 201
        stale = fast_api.session.post(f"{fast_api.url}/tasks/complete", json={"id": lapsed["id"], "counter": 1})
        assert stale.json()["error"]["code"] in (4037, 4038)
    finally:
        stream.close()


def test_a_task_past_its_timeout_is_timed_out(fast_servers: list[ServerProcess], fast_api: Api) -> None:
    group = unique("g")
    stream = EventStream(fast_servers[0].poll_url, group, "w")
    try:
        timeout = time.time_ns() // 1_000_000 + 1500
        invoke(fast_api, f"poll://{group}/w", timeout=timeout)
        task = stream.next()["task"]
        assert claim(fast_api, task, ttl=60_000).status_code == 201
        client = redis_of(fast_servers[0])
        task_key = key(fast_servers[0].env["RESONATE_KEY_PREFIX"], "K_TASK", str(task["id"]))
        wait_until(lambda: client.hget(task_key, "state") == "TIMEDOUT", 15, "the task was never timed out")
        reply = fast_api.session.post(f"{fast_api.url}/tasks/complete", json={"id": task["id"], "counter": 1})
        assert reply.status_code == 200  # finished already: a complete is answered with it
        assert "completedOn" in reply.json()
    finally:
        stream.close()


def test_streams_end_cleanly_when_the_server_stops(redis_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import gunicorn_server

    server = gunicorn_server(tmp_path / "s.log", RESONATE_REDIS_URL=redis_url, RESONATE_KEY_PREFIX=unique("stop"))
    server.start()
    stream = EventStream(server.poll_url, "g", "w")
    server.stop()
    assert stream.ended.wait(10) and stream.clean_end


def test_a_malformed_message_on_a_process_channel_is_ignored(fast_servers: list[ServerProcess]) -> None:
    """Anyone with access to the Redis can publish on a process's channel: garbage there
    is logged and dropped, and delivery goes on (the listener thread died of it)."""
    direct = redis_of(fast_servers[0])
    prefix = fast_servers[0].env["RESONATE_KEY_PREFIX"]
    channels = direct.pubsub_channels(f"{prefix}:poll:process:*")
    assert channels
    for channel in channels:
        for garbage in (b"not json", b"[1, 2]", b'{"group": 5}', b"\xff"):
            direct.publish(channel, garbage)
    for server in fast_servers:
        wait_until(lambda s=server: client.get(f"{s.url}/healthz").status_code == 200, 10)
    test_messages_reach_a_stream_held_by_another_server(fast_servers)
    log = "".join(server.log_path.read_text() for server in fast_servers)
    assert "exited with code" not in log  # no worker died of it
    assert "malformed message" in log


def test_idle_connections_are_dropped_and_the_stream_limit_costs_no_thread(
    redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    with own_server(
        redis_url, tmp_path_factory.mktemp("limit"), RESONATE_WORKERS="1", RESONATE_POLL_MAX_CONNECTIONS="2"
    ) as server:
        check_the_stream_limit(server)


def check_the_stream_limit(server: ServerProcess) -> None:
    host, port = server.poll_url.removeprefix("http://").split(":")
    streams = [EventStream(server.poll_url, "g", f"w{n}") for n in range(2)]
    idle = [socket.create_connection((host, int(port)), timeout=10) for _ in range(30)]
    try:
        assert all(stream.status == 200 for stream in streams)
        refused = [sock for sock in idle if sock.recv(64).startswith(b"HTTP/1.1 429")]
        assert len(refused) >= 30 - 16  # past the limit (with a little room for handshakes): at once
        third = EventStream(server.poll_url, "g", "w3")
        assert third.status == 429
        for sock in idle:
            if sock not in refused:
                assert sock.recv(64) == b""  # dropped for sending no request line
    finally:
        for sock in idle:
            sock.close()
        for stream in streams:
            stream.close()


def test_a_worker_hanging_up_before_its_request_leaves_no_traceback(redis_url: str, tmp_path: Path) -> None:
    with own_server(redis_url, tmp_path) as server:
        parts = urlsplit(server.poll_url)
        for _ in range(3):
            sock = socket.create_connection((parts.hostname, parts.port), timeout=5)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with a reset
            sock.sendall(b"GET /g")
            sock.close()
        time.sleep(0.5)
        assert client.get(server.url + "/healthz").status_code == 200
    assert "Traceback" not in server.log_path.read_text()
