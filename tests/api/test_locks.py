"""Locks over HTTP: acquire, re-acquire, contention, release, heartbeat, expiry."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.conftest import Api, ServerProcess, unique


def acquire(api: Api, resource: str, execution: str, process: str = "p", ttl: int = 60_000) -> requests.Response:
    body = {"resourceId": resource, "executionId": execution, "processId": process, "ttl": ttl}
    return api.session.post(f"{api.url}/locks/acquire", json=body)


def release(api: Api, resource: str, execution: str) -> requests.Response:
    return api.session.post(f"{api.url}/locks/release", json={"resourceId": resource, "executionId": execution})


def test_acquire_contend_reacquire_release(api: Api) -> None:
    resource = unique("r")
    first = acquire(api, resource, "e1", "p1")
    assert first.status_code == 201
    body = first.json()
    assert list(body) == ["resourceId", "executionId", "processId", "ttl", "expiresAt"]
    assert body["ttl"] == 60_000
    other = acquire(api, resource, "e2", "p2")
    assert (other.status_code, other.json()["error"]["code"]) == (403, 4034)
    again = acquire(api, resource, "e1", "p3", ttl=1000)  # the holder: refreshed, 201 again
    assert again.status_code == 201 and again.json()["processId"] == "p3"
    wrong = release(api, resource, "e2")
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (404, 4042)
    done = release(api, resource, "e1")
    assert done.status_code == 204 and done.content == b""
    assert acquire(api, resource, "e2").status_code == 201


def test_heartbeat_counts_a_process_locks(api: Api) -> None:
    process = unique("p")
    for n in range(3):
        acquire(api, unique("r"), f"e{n}", process)
    reply = api.session.post(f"{api.url}/locks/heartbeat", json={"processId": process})
    assert reply.status_code == 200 and reply.json() == {"locksAffected": 3}


def test_an_unheartbeated_lock_expires(api: Api) -> None:
    resource = unique("r")
    acquire(api, resource, "e1", ttl=300)
    deadline = time.monotonic() + 5
    while acquire(api, resource, "e2").status_code != 201:
        assert time.monotonic() < deadline, "the lock never expired"
        time.sleep(0.1)
    assert time.monotonic() < deadline


def test_a_heartbeated_lock_does_not_expire(api: Api) -> None:
    resource, process = unique("r"), unique("p")
    acquire(api, resource, "e1", process, ttl=1000)
    for _ in range(12):  # 3 s, three times the ttl
        api.session.post(f"{api.url}/locks/heartbeat", json={"processId": process})
        assert acquire(api, resource, "e2").status_code == 403
        time.sleep(0.25)


def test_contention_between_two_server_processes(fast_servers: list[ServerProcess]) -> None:
    for _ in range(5):
        resource = unique("r")

        def contend(n: int, resource: str = resource) -> int:
            url = fast_servers[n % 2].url
            body = {"resourceId": resource, "executionId": f"e{n}", "processId": f"p{n}", "ttl": 60_000}
            return requests.post(f"{url}/locks/acquire", json=body, timeout=10).status_code

        with ThreadPoolExecutor(max_workers=16) as pool:
            statuses = list(pool.map(contend, range(32)))
        assert statuses.count(201) == 1 and statuses.count(403) == 31


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("acquire", {"executionId": "e", "processId": "p"}),
        ("acquire", {"resourceId": "r", "processId": "p"}),
        ("acquire", {"resourceId": "r", "executionId": "e"}),
        ("acquire", {"resourceId": "r", "executionId": "e", "processId": "p", "ttl": -1}),
        ("release", {"resourceId": "r"}),
        ("heartbeat", {}),
    ],
)
def test_bad_lock_requests(api: Api, path: str, body: dict[str, object]) -> None:
    reply = api.session.post(f"{api.url}/locks/{path}", json=body)
    assert reply.status_code == 400 and reply.json()["error"]["code"] == 4000
