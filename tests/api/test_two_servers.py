"""Two server processes (each with 2 gunicorn workers) sharing one Redis: every state
change is atomic, so concurrent requests through both still have one winner."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests import client
from tests.conftest import ServerProcess, server_pair, unique


@pytest.fixture(scope="module")
def two_servers(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[ServerProcess]]:
    with server_pair(redis_url, tmp_path_factory.mktemp("two")) as servers:
        yield servers


def race(urls: list[str], send: object, rounds: int = 40) -> Counter[int]:
    """Fire `rounds` requests per URL at once, alternating servers; count statuses."""
    targets = [urls[n % len(urls)] for n in range(rounds * len(urls))]
    with ThreadPoolExecutor(max_workers=32) as pool:
        statuses = list(pool.map(send, targets))  # type: ignore[arg-type]
    return Counter(statuses)


def create_status(promise_id: str, url: str) -> int:
    return client.post(f"{url}/promises", json={"id": promise_id, "timeout": 2**62}).status_code


def complete_status(promise_id: str, winners: list[str], url: str) -> int:
    """Completes with alternating target states; records the state of the one 201."""
    state = "RESOLVED" if url.endswith(("1", "3", "5", "7", "9")) else "REJECTED"
    reply = client.patch(f"{url}/promises/{promise_id}", json={"state": state})
    if reply.status_code == 201:
        winners.append(reply.json()["state"])
    return reply.status_code


def test_concurrent_creates_of_one_id_give_exactly_one_201(two_servers: list[ServerProcess]) -> None:
    for _ in range(5):
        statuses = race([s.url for s in two_servers], functools.partial(create_status, unique()))
        assert statuses[201] == 1, statuses
        assert statuses[409] == sum(statuses.values()) - 1, statuses


def test_concurrent_creates_with_one_key_give_one_201_and_the_rest_200(two_servers: list[ServerProcess]) -> None:
    promise_id = unique()

    def create(url: str) -> int:
        reply = client.post(
            f"{url}/promises", json={"id": promise_id, "timeout": 2**62}, headers={"Idempotency-Key": "k"}
        )
        return reply.status_code

    statuses = race([s.url for s in two_servers], create)
    assert statuses[201] == 1 and statuses[200] == sum(statuses.values()) - 1, statuses


def test_concurrent_completes_give_exactly_one_winner(two_servers: list[ServerProcess]) -> None:
    urls = [s.url for s in two_servers]
    for _ in range(5):
        promise_id = unique()
        client.post(f"{urls[0]}/promises", json={"id": promise_id, "timeout": 2**62})
        winners: list[str] = []
        statuses = race(urls, functools.partial(complete_status, promise_id, winners))
        assert statuses[201] == 1, statuses
        assert statuses[403] == sum(statuses.values()) - 1, statuses
        final = client.get(f"{urls[1]}/promises/{promise_id}").json()
        assert [final["state"]] == winners


def test_both_servers_see_the_same_promises(two_servers: list[ServerProcess]) -> None:
    promise_id = unique()
    first, second = (s.url for s in two_servers)
    assert client.post(f"{first}/promises", json={"id": promise_id}).status_code == 201
    assert client.get(f"{second}/promises/{promise_id}").json()["id"] == promise_id
