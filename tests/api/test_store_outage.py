"""When Redis goes away requests get 503 JSON (never a 4xx, which would kill SDK
workers), and the server recovers by itself when Redis is back."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import redis as redis_py

from aio.store.embedded import EmbeddedRedis
from tests import client
from tests.conftest import ServerProcess, gunicorn_server, unique, wait_until
from tests.current.proto import Proto


@pytest.fixture
def outage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmbeddedRedis, ServerProcess]]:
    folder = tmp_path_factory.mktemp("outage")
    redis = EmbeddedRedis(folder / "redis")
    server = gunicorn_server(folder / "server.log", RESONATE_REDIS_URL=redis.start(), RESONATE_REQUEST_TIMEOUT="3")
    server.start()
    yield redis, server
    server.stop()
    redis.stop()


def test_store_down_gives_503_and_recovery_is_automatic(outage: tuple[EmbeddedRedis, ServerProcess]) -> None:
    redis, server = outage
    kept = unique()
    assert client.post(f"{server.url}/promises", json={"id": kept, "timeout": 2**62}).status_code == 201

    redis.stop()
    for request in (
        lambda: client.post(f"{server.url}/promises", json={"id": unique()}, timeout=10),
        lambda: client.get(f"{server.url}/promises/{kept}", timeout=10),
        lambda: client.patch(f"{server.url}/promises/{kept}", json={"state": "RESOLVED"}, timeout=10),
        lambda: client.get(f"{server.url}/promises", params={"id": "*"}, timeout=10),
        lambda: client.get(f"{server.url}/healthz", timeout=10),
    ):
        reply = request()
        assert reply.status_code == 503, reply.text
        error = reply.json()["error"]
        assert error["code"] == 5030 and error["details"][0]["@type"] == "ServerError"

    redis.start()  # same folder: the append-only file brings the data back
    deadline = time.monotonic() + 10
    while client.get(f"{server.url}/healthz", timeout=10).status_code != 200:
        assert time.monotonic() < deadline, "server did not recover"
        time.sleep(0.2)
    assert client.get(f"{server.url}/promises/{kept}").json()["state"] == "PENDING"
    assert client.patch(f"{server.url}/promises/{kept}", json={"state": "RESOLVED"}).status_code == 201


BUSY_FOR_3_S = """
local start = tonumber(redis.call('TIME')[1])
while tonumber(redis.call('TIME')[1]) - start < 3 do end
return 1
"""


def test_a_busy_store_gives_503_without_internal_text_then_recovers(
    outage: tuple[EmbeddedRedis, ServerProcess],
) -> None:
    """A Redis running a long script answers BUSY: a transient error, so a 503 the SDKs
    retry (it was a 500 with the Redis error text in the body)."""
    redis, server = outage
    direct = redis_client(redis)
    direct.config_set("lua-time-limit", 100)  # BUSY after 100 ms rather than 5 s
    runner = threading.Thread(target=lambda: redis_client(redis).eval(BUSY_FOR_3_S, 0), daemon=True)
    runner.start()
    wait_until(lambda: is_busy(redis), 5, "the script never made Redis busy")
    reply = client.post(f"{server.url}/promises", json={"id": unique(), "timeout": 2**62})
    assert reply.status_code == 503
    assert reply.headers["Retry-After"] == "1"
    error = reply.json()["error"]
    assert error["code"] == 5030
    assert "BUSY" not in reply.text and "Error" not in error["details"][0]["message"]
    runner.join(timeout=10)
    promise_id = unique()
    assert client.post(f"{server.url}/promises", json={"id": promise_id, "timeout": 2**62}).status_code == 201


def is_busy(redis: EmbeddedRedis) -> bool:
    try:
        redis_client(redis).ping()
    except redis_py.ResponseError as exc:
        return str(exc).startswith("BUSY")
    return False


def redis_client(redis: EmbeddedRedis) -> redis_py.Redis:
    return redis_py.Redis(unix_socket_path=str(redis.socket_path), socket_timeout=10)


def test_current_protocol_store_down_gives_a_503_envelope_and_recovers(
    outage: tuple[EmbeddedRedis, ServerProcess],
) -> None:
    redis, server = outage
    proto = Proto(server.url)
    kept = unique()
    proto.create(kept)
    redis.stop()
    status, body = proto.send("promise.get", {"id": kept})
    assert status == 503 and body.startswith("Unavailable")
    assert client.get(f"{server.url}/ready", timeout=10).status_code == 503
    assert client.get(f"{server.url}/health", timeout=10).status_code == 200
    redis.start()
    wait_until(lambda: client.get(f"{server.url}/ready", timeout=10).status_code == 200, message="recovery")
    assert proto.get(kept)["state"] == "pending"
