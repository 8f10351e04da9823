"""Delivery under trouble: silent HTTP receivers do not hold up poll streams, failed
sends back off, and a notify waits a moment for a stream that connects late."""

from __future__ import annotations

import itertools
import json
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.client import TimedSession
from tests.conftest import Api, ServerProcess, own_server, unique
from tests.receiver import Receiver
from tests.sse import EventStream

NEVER = 2**63 - 1


@pytest.fixture(scope="module")
def lone_server(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server of its own: the tasks left backing off here must not slow other tests."""
    with own_server(
        redis_url,
        tmp_path_factory.mktemp("delivery"),
        RESONATE_WORKERS="1",
        RESONATE_THREADS="32",
    ) as server:
        yield server


@pytest.fixture
def silent_receiver() -> Iterator[str]:
    """A port that accepts connections and never answers: each push waits its timeout."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=4096)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/inbox"
    listener.close()


def test_a_poll_task_is_not_held_up_by_1500_tasks_for_a_silent_http_receiver(
    lone_server: ServerProcess, silent_receiver: str
) -> None:
    with TimedSession() as session:
        api = Api(lone_server.url, session)

        def create_for_silent(n: int) -> int:
            return api.create(unique("silent"), tags={"resonate:invoke": silent_receiver}).status_code

        with ThreadPoolExecutor(16) as pool:
            assert set(pool.map(create_for_silent, range(1500))) == {201}
        group = unique("g")
        stream = EventStream(lone_server.poll_url, group, "w")
        try:
            started = time.monotonic()
            api.create(unique("live"), tags={"resonate:invoke": f"poll://{group}/w"})
            assert stream.next(timeout_s=10)["type"] == "invoke"
            assert time.monotonic() - started < 2.0
        finally:
            stream.close()


def test_failed_sends_back_off(api: Api) -> None:
    receiver = Receiver(default_status=500)
    try:
        api.create(unique(), tags={"resonate:invoke": json.dumps({"type": "http", "data": {"url": receiver.url}})})
        time.sleep(6.5)  # the attempts come at about 0, 1, 3 and 7 s (once a second before)
        attempts = receiver.times
        assert 2 <= len(attempts) <= 4
        gaps = [b - a for a, b in itertools.pairwise(attempts)]
        assert gaps[-1] >= 1.5
    finally:
        receiver.close()
        # the task goes on backing off; it is capped at a minute and harms nothing


def test_a_notify_reaches_a_stream_that_connects_a_moment_late(api: Api, server: ServerProcess) -> None:
    group, member, promise_id = unique("g"), unique("w"), unique()
    api.create(promise_id)
    body = {
        "id": f"{member}.{promise_id}",
        "promiseId": promise_id,
        "timeout": NEVER,
        "recv": f"poll://{group}/{member}",
    }
    assert api.session.post(f"{api.url}/subscriptions", json=body).status_code == 201
    api.complete(promise_id, "RESOLVED")
    time.sleep(1.0)  # the worker's poller connects after the completion, as the SDK's does
    stream = EventStream(server.poll_url, group, member)
    try:
        notify = stream.next(timeout_s=5)
        assert notify["type"] == "notify" and notify["promise"]["state"] == "RESOLVED"
        assert stream.nothing_within(1.5)  # still at most once
    finally:
        stream.close()


def test_a_worker_that_connects_late_gets_its_task_at_once(api: Api, server: ServerProcess) -> None:
    """Sends to a group with no stream back off (1 s, 2 s, 4 s ...); a stream of the
    group connecting wakes them, instead of leaving the worker to wait out the backoff."""
    group = unique("late")
    api.create(unique(), tags={"resonate:invoke": f"poll://{group}"})
    time.sleep(3.5)  # three failed sends: the next would come about 4 s from now
    started = time.monotonic()
    stream = EventStream(server.poll_url, group, "w")
    try:
        assert stream.next(timeout_s=10)["type"] == "invoke"
        assert time.monotonic() - started < 2.0
    finally:
        stream.close()
