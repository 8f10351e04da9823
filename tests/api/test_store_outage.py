"""When Redis goes away requests get 503 JSON (never a 4xx, which would kill SDK
workers), and the server recovers by itself when Redis is back."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from aio.store.embedded import EmbeddedRedis
from tests import client
from tests.conftest import ServerProcess, gunicorn_server, unique


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
