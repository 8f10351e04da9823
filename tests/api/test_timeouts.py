"""The background sweep times out due promises with no request touching them."""

from __future__ import annotations

import time

from aio.store.redis_store import RedisStore
from tests.api.states import now_ms
from tests.conftest import Api, unique


def stored_state(store: RedisStore, promise_id: str) -> str | None:
    return store.client.hget(f"{store.prefix}:promise:{promise_id}", "state")


def wait_for_state(store: RedisStore, promise_id: str, state: str, within_s: float = 5.0) -> None:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if stored_state(store, promise_id) == state:
            return
        time.sleep(0.05)
    raise AssertionError(f"{promise_id} is {stored_state(store, promise_id)}, not {state}")


def test_due_promises_are_timed_out_by_the_sweep(api: Api, store_of_server: RedisStore) -> None:
    plain, sleep = unique(), unique()
    due = now_ms() + 300
    api.create(plain, timeout=due)
    api.create(sleep, timeout=due, tags={"resonate:timeout": "true"})
    assert stored_state(store_of_server, plain) == "PENDING"
    wait_for_state(store_of_server, plain, "REJECTED_TIMEDOUT")
    wait_for_state(store_of_server, sleep, "RESOLVED")
    body = api.read(sleep).json()
    assert body["completedOn"] == due and body["value"] == {}


def test_a_promise_that_is_not_due_is_left_alone(api: Api, store_of_server: RedisStore) -> None:
    promise_id = unique()
    api.create(promise_id, timeout=now_ms() + 60_000)
    time.sleep(1.5)  # more than one sweep period
    assert stored_state(store_of_server, promise_id) == "PENDING"
