"""Store commands, called directly against a real Redis: what each one guarantees."""

from __future__ import annotations

import time

import pytest

from aio.store.keys import key
from aio.store.redis_store import RedisStore
from kernel.promise import State
from kernel.t_aio import (
    CompleteOutcome,
    CompletePromise,
    CreatePromise,
    Ping,
    ReadPromise,
    SearchPromises,
    TimeoutPromises,
)
from kernel.t_api import SearchClass

NOW = 1_700_000_000_000
NEVER = 2**63 - 1


def create(store: RedisStore, promise_id: str, timeout: int = NEVER, key_: str | None = None, **kw: object):
    command = CreatePromise(
        promise_id,
        kw.get("param", "{}"),  # type: ignore[arg-type]
        timeout,
        key_,
        kw.get("tags", {}),  # type: ignore[arg-type]
        kw.get("now", NOW),  # type: ignore[arg-type]
    )
    return store.execute_one(command)


def test_create_inserts_once_and_reports_the_stored_promise(store: RedisStore) -> None:
    first = create(store, "a", key_="k", param='{"data":"eA=="}', tags={"t": "1"})
    assert first.created and first.promise.state is State.PENDING
    second = create(store, "a", key_="other", param="{}", now=NOW + 5)
    assert not second.created
    assert second.promise == first.promise  # the stored one, request fields ignored


def test_timeouts_of_two_to_the_63_minus_one_are_stored_exactly(store: RedisStore) -> None:
    create(store, "big")
    assert store.execute_one(ReadPromise("big", NOW)).timeout == NEVER


def test_read_times_out_a_due_promise_at_its_timeout(store: RedisStore) -> None:
    create(store, "due", timeout=NOW + 10)
    assert store.execute_one(ReadPromise("due", NOW + 9)).state is State.PENDING
    promise = store.execute_one(ReadPromise("due", NOW + 10))
    assert promise.state is State.REJECTED_TIMEDOUT
    assert promise.completed_on == NOW + 10
    assert promise.value == "{}" and promise.idempotency_key_for_complete is None


def test_a_timeout_tagged_promise_resolves_when_due(store: RedisStore) -> None:
    create(store, "sleep", timeout=NOW + 10, tags={"resonate:timeout": "true"})
    assert store.execute_one(ReadPromise("sleep", NOW + 20)).state is State.RESOLVED


def test_read_of_a_missing_promise_is_none(store: RedisStore) -> None:
    assert store.execute_one(ReadPromise("nope", NOW)) is None


def test_create_on_a_due_promise_times_it_out_first(store: RedisStore) -> None:
    create(store, "d", timeout=NOW)
    result = create(store, "d", now=NOW + 1)
    assert not result.created and result.promise.state is State.REJECTED_TIMEDOUT


@pytest.mark.parametrize(
    ("timeout", "now", "outcome", "state"),
    [
        (NEVER, NOW, CompleteOutcome.COMPLETED, State.REJECTED),
        (NOW + 1, NOW + 1, CompleteOutcome.TIMED_OUT, State.REJECTED_TIMEDOUT),
    ],
)
def test_complete_a_pending_promise(
    store: RedisStore, timeout: int, now: int, outcome: CompleteOutcome, state: State
) -> None:
    create(store, "c", timeout=timeout)
    result = store.execute_one(CompletePromise("c", State.REJECTED, '{"data":"eA=="}', "ck", now))
    assert result.outcome is outcome and result.promise.state is state


def test_complete_records_value_key_and_time(store: RedisStore) -> None:
    create(store, "c")
    result = store.execute_one(CompletePromise("c", State.RESOLVED, '{"data":"eA=="}', "ck", NOW + 3))
    promise = result.promise
    assert (promise.value, promise.idempotency_key_for_complete, promise.completed_on) == (
        '{"data":"eA=="}',
        "ck",
        NOW + 3,
    )


def test_complete_never_changes_a_completed_promise(store: RedisStore) -> None:
    create(store, "c")
    store.execute_one(CompletePromise("c", State.RESOLVED, "{}", "k1", NOW))
    again = store.execute_one(CompletePromise("c", State.REJECTED, '{"data":"eA=="}', "k2", NOW + 1))
    assert again.outcome is CompleteOutcome.ALREADY_COMPLETED
    assert again.promise.state is State.RESOLVED and again.promise.idempotency_key_for_complete == "k1"


def test_complete_of_a_missing_promise(store: RedisStore) -> None:
    result = store.execute_one(CompletePromise("x", State.RESOLVED, "{}", None, NOW))
    assert result.outcome is CompleteOutcome.NOT_FOUND and result.promise is None


def test_timeout_sweep_takes_only_due_promises_and_keeps_them_out_of_the_index(store: RedisStore) -> None:
    for n in range(5):
        create(store, f"due-{n}", timeout=NOW + n)
    create(store, "later", timeout=NOW + 1000)
    assert store.execute_one(TimeoutPromises(NOW + 10, limit=3)) == 3
    assert store.execute_one(TimeoutPromises(NOW + 10, limit=3)) == 2
    assert store.execute_one(TimeoutPromises(NOW + 10, limit=3)) == 0
    assert store.client.zcard(key(store.prefix, "K_PROMISE_TIMEOUTS")) == 1
    states = {store.execute_one(ReadPromise(f"due-{n}", NOW)).state for n in range(5)}
    assert states == {State.REJECTED_TIMEDOUT}


def search(store: RedisStore, pattern: str = "*", cls: SearchClass = SearchClass.ALL, **kw: object):
    command = SearchPromises(
        pattern,
        cls,
        kw.get("tags", {}),  # type: ignore[arg-type]
        kw.get("limit", 100),  # type: ignore[arg-type]
        kw.get("before"),  # type: ignore[arg-type]
        kw.get("now", NOW),  # type: ignore[arg-type]
        kw.get("budget", 1000),  # type: ignore[arg-type]
    )
    return store.execute_one(command)


def test_search_is_newest_first_and_filters_by_class_glob_and_tags(store: RedisStore) -> None:
    create(store, "job/1", tags={"kind": "a"})
    create(store, "job/2", tags={"kind": "b"})
    create(store, "other")
    store.execute_one(CompletePromise("job/1", State.REJECTED_CANCELED, "{}", None, NOW))
    ids = lambda result: [p.id for _, p in result.rows]  # noqa: E731
    assert ids(search(store)) == ["other", "job/2", "job/1"]
    assert ids(search(store, "job/*")) == ["job/2", "job/1"]
    assert ids(search(store, "*", SearchClass.REJECTED)) == ["job/1"]
    assert ids(search(store, "*", SearchClass.PENDING)) == ["other", "job/2"]
    assert ids(search(store, "job/*", tags={"kind": "b"})) == ["job/2"]
    assert ids(search(store, "*", tags={"kind": "zzz"})) == []


def test_search_times_out_due_promises_it_passes(store: RedisStore) -> None:
    create(store, "due", timeout=NOW)
    assert [p.id for _, p in search(store, cls=SearchClass.PENDING, now=NOW + 1).rows] == []
    assert [p.state for _, p in search(store, now=NOW + 1).rows] == [State.REJECTED_TIMEDOUT]


def test_search_scans_at_most_its_budget_and_says_where_it_stopped(store: RedisStore) -> None:
    for n in range(10):
        create(store, f"n{n}")
    first = search(store, "n1", budget=4)  # only n1 matches, and it is the 9th newest
    assert first.rows == [] and not first.exhausted
    rest = search(store, "n1", budget=100, before=first.last_scanned_sort_id)
    assert [p.id for _, p in rest.rows] == ["n1"] and rest.exhausted


@pytest.mark.parametrize(
    ("glob", "matching", "not_matching"),
    [
        ("*", ["anything"], []),
        ("a*", ["a", "abc"], ["ba"]),
        ("*.b", ["x.b"], ["xab"]),  # '.' is literal
        ("a_b%", ["a_b%"], ["aXbY", "A_B%"]),  # '_' and '%' are literal; case matters
        ("a?c", ["a?c"], ["abc"]),
        ("a*b*c", ["abc", "aXbYc", "abbc", "acbc"], ["acb", "ab", "bac"]),
        ("*ab*ab*", ["abab", "xabyabz"], ["aab", "abxb"]),  # parts may not overlap
        ("a**b", ["ab", "axb"], ["ba"]),
        ("ab*ba", ["abba", "ab-ba"], ["aba"]),  # the ends may not share characters
        ("exact", ["exact"], ["exactly", "inexact"]),
    ],
)
def test_glob_matches_only_star_as_a_wildcard(
    store: RedisStore, glob: str, matching: list[str], not_matching: list[str]
) -> None:
    for promise_id in matching + not_matching:
        create(store, promise_id)
    found = {p.id for _, p in search(store, glob).rows}
    assert set(matching) <= found
    assert not set(not_matching) & found


def test_a_glob_with_many_stars_costs_linear_time(store: RedisStore) -> None:
    """A backtracking matcher takes exponential time on this (it stalled Redis for
    seconds with 60 characters); the linear one answers at once."""
    create(store, "a" * 4000)
    started = time.monotonic()
    result = search(store, "*a" * 20 + "*b")
    assert result.rows == []
    assert time.monotonic() - started < 2.0  # before the fix: Redis gave no answer at all
    assert store.execute_one(Ping()) is True


def test_ping(store: RedisStore) -> None:
    assert store.execute_one(Ping()) is True


def test_scripts_are_reloaded_after_the_redis_script_cache_is_emptied(store: RedisStore) -> None:
    create(store, "a")
    store.client.script_flush()
    assert store.execute_one(ReadPromise("a", NOW)).id == "a"
