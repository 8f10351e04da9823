"""Schedule and lock commands against a real Redis."""

from __future__ import annotations

from aio.store.redis_store import RedisStore
from kernel.promise import State
from kernel.schedule import Lock, Schedule
from kernel.t_aio import (
    AcquireLock,
    CreatePromise,
    CreateSchedule,
    DeleteSchedule,
    DueSchedules,
    FireSchedule,
    HeartbeatLocks,
    ReadPromise,
    ReadSchedule,
    ReleaseLock,
    TimeoutLocks,
)

NOW = 1_700_000_000_000


def schedule(schedule_id: str = "s", next_run: int = NOW + 1000) -> Schedule:
    return Schedule(schedule_id, "* * * * * *", "p.{{.timestamp}}", 5000, next_run, NOW)


def fire(slot: int, following: int, promise_id: str) -> FireSchedule:
    promise = CreatePromise(promise_id, "{}", slot + 5000, None, {"resonate:schedule": "s"}, NOW)
    return FireSchedule("s", slot, following, promise)


def test_a_slot_fires_once_even_when_two_processes_try(store: RedisStore) -> None:
    store.execute_one(CreateSchedule(schedule(next_run=NOW)))
    assert store.execute_one(DueSchedules(NOW, 10))[0].next_run_time == NOW
    assert store.execute_one(fire(NOW, NOW + 1000, "p.1")) is True
    assert store.execute_one(fire(NOW, NOW + 1000, "p.1-again")) is False  # a second try at the slot
    assert store.execute_one(ReadPromise("p.1-again", NOW)) is None
    fired = store.execute_one(ReadSchedule("s"))
    assert (fired.last_run_time, fired.next_run_time) == (NOW, NOW + 1000)
    assert store.execute_one(DueSchedules(NOW, 10)) == []
    assert store.execute_one(ReadPromise("p.1", NOW)).state is State.PENDING


def test_firing_leaves_an_existing_promise_alone(store: RedisStore) -> None:
    store.execute_one(CreateSchedule(schedule(next_run=NOW)))
    store.execute_one(CreatePromise("p.1", '{"data":"eA=="}', NOW + 10, "k", {}, NOW))
    assert store.execute_one(fire(NOW, NOW + 1000, "p.1")) is True
    kept = store.execute_one(ReadPromise("p.1", NOW))
    assert kept.param == '{"data":"eA=="}' and kept.idempotency_key_for_create == "k"


def test_a_deleted_schedule_neither_fires_nor_is_due(store: RedisStore) -> None:
    store.execute_one(CreateSchedule(schedule(next_run=NOW)))
    assert store.execute_one(DeleteSchedule("s")) is True
    assert store.execute_one(DeleteSchedule("s")) is False
    assert store.execute_one(DueSchedules(NOW, 10)) == []
    assert store.execute_one(fire(NOW, NOW + 1000, "p.1")) is False


def test_locks(store: RedisStore) -> None:
    held = Lock("r", "e1", "p1", 1000, NOW + 1000)
    assert store.execute_one(AcquireLock(held)) is True
    assert store.execute_one(AcquireLock(Lock("r", "e2", "p2", 1000, NOW + 1000))) is False
    assert store.execute_one(AcquireLock(Lock("r", "e1", "p3", 2000, NOW + 2000))) is True  # refresh
    assert store.execute_one(HeartbeatLocks("p1", NOW)) == 0  # moved to p3
    assert store.execute_one(HeartbeatLocks("p3", NOW + 500)) == 1  # now expires at NOW + 2500
    assert store.execute_one(TimeoutLocks(NOW + 2499, 100)) == 0
    assert store.execute_one(TimeoutLocks(NOW + 2500, 100)) == 1
    assert store.execute_one(ReleaseLock("r", "e1")) is False
    assert store.execute_one(AcquireLock(Lock("r", "e2", "p2", 0, NOW))) is True
    assert store.execute_one(ReleaseLock("r", "e1")) is False
    assert store.execute_one(ReleaseLock("r", "e2")) is True
