"""Back-pressure: past its bounds a process answers 503 with Retry-After at once,
holds no more work than its bounds, and serves normally as soon as a flood ends."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.client import TimedSession
from tests.conftest import ServerProcess, own_server, unique

CLIENTS = 200


@pytest.fixture(scope="module")
def bounded_server(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with own_server(
        redis_url,
        tmp_path_factory.mktemp("flood"),
        RESONATE_WORKERS="1",
        RESONATE_THREADS="64",
        RESONATE_MAX_QUEUED_REQUESTS="4",
        RESONATE_MAX_COROUTINES="4",
    ) as server:
        yield server


def worker_rss_kb(server: ServerProcess) -> int:
    """Resident memory of the server's gunicorn worker processes."""
    assert server._process is not None
    total = 0
    for child in Path(f"/proc/{server._process.pid}/task/{server._process.pid}/children").read_text().split():
        for line in Path(f"/proc/{child}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def flood(url: str, requests_per_client: int) -> tuple[Counter[int], list[requests.Response]]:
    def client(n: int) -> list[requests.Response]:
        with TimedSession() as session:
            replies = []
            for k in range(requests_per_client):
                if k % 2:
                    replies.append(session.get(f"{url}/promises", params={"id": "flood-*", "limit": 100}))
                else:
                    replies.append(session.post(f"{url}/promises", json={"id": unique("flood"), "timeout": 2**62}))
            return replies

    with ThreadPoolExecutor(CLIENTS) as pool:
        replies = [reply for batch in pool.map(client, range(CLIENTS)) for reply in batch]
    return Counter(reply.status_code for reply in replies), replies


def test_a_flood_gets_only_2xx_or_503_and_memory_stays_flat(bounded_server: ServerProcess) -> None:
    flood(bounded_server.url, 2)  # warm up: threads, pools, caches
    before = worker_rss_kb(bounded_server)
    statuses, replies = flood(bounded_server.url, 5)
    after = worker_rss_kb(bounded_server)
    assert set(statuses) <= {200, 201, 503}, statuses
    assert statuses[503] > 0 and statuses[200] + statuses[201] > 0, statuses
    busy = next(reply for reply in replies if reply.status_code == 503)
    assert busy.headers["Retry-After"] == "1"
    assert busy.json()["error"]["code"] == 5030
    assert after - before < 20_000, f"worker memory grew from {before} to {after} kB"
    started = time.monotonic()
    with TimedSession() as session:
        reply = session.post(f"{bounded_server.url}/promises", json={"id": unique(), "timeout": 2**62})
    assert reply.status_code == 201
    assert time.monotonic() - started < 1.0
