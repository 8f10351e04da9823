"""Task sending in the store, called directly against a real Redis: what is ready to
send, reservations, backoff, notify grace, retention, and failures kept to their own
command."""

from __future__ import annotations

import pytest

from aio.store.keys import key
from aio.store.redis_store import RedisStore, StoreError
from kernel.promise import State
from kernel.t_aio import (
    ClaimTask,
    CompletePromise,
    CompleteTask,
    CreateCallback,
    CreatePromise,
    ExpirePromises,
    ExpireTasks,
    Lane,
    NewTask,
    ReadPromise,
    RecordSendOutcome,
    ReserveTasks,
    StoreSubmission,
    TaskToSend,
    WakePollGroup,
)
from kernel.task import MessageType

NOW = 1_700_000_000_000
NEVER = 2**63 - 1
POLL = '"poll://g"'
HTTP = '"http://127.0.0.1:9/inbox"'


def invoke(store: RedisStore, promise_id: str, recv: str = POLL, now: int = NOW) -> str:
    result = store.execute_one(CreatePromise(promise_id, "{}", NEVER, None, {}, now, NewTask(recv)))
    return result.task.id


def reserve(store: RedisStore, lane: Lane = Lane.POLL, now: int = NOW, limit: int = 100) -> list[TaskToSend]:
    return store.execute_one(ReserveTasks(now, lane, limit, now + 5_000))


def record(store: RedisStore, item: TaskToSend, delivered: bool, now: int, grace: int = 5_000) -> None:
    store.execute_one(RecordSendOutcome(item.task.id, item.task.counter, delivered, now, 10_000, grace))


def ids(items: list[TaskToSend]) -> list[str]:
    return [item.task.id for item in items]


def test_a_reserved_task_is_held_until_its_reservation_lapses(store: RedisStore) -> None:
    tid = invoke(store, "a")
    assert ids(reserve(store)) == [tid]
    assert reserve(store, now=NOW + 4_999) == []  # another process sees nothing meanwhile
    assert ids(reserve(store, now=NOW + 5_000)) == [tid]  # that sender died: sent again


def test_lanes_are_apart(store: RedisStore) -> None:
    poll, http = invoke(store, "p"), invoke(store, "h", HTTP)
    assert ids(reserve(store, Lane.HTTP)) == [http]
    assert ids(reserve(store, Lane.POLL)) == [poll]


def test_one_message_per_root_and_none_while_the_root_has_one_in_flight(store: RedisStore) -> None:
    root_task = invoke(store, "root")
    for leaf in ("l1", "l2"):
        store.execute_one(CreatePromise(leaf, "{}", NEVER, None, {}, NOW))
        store.execute_one(CreateCallback(leaf, f"{leaf}.cb", MessageType.RESUME, "root", POLL, NEVER, NOW))
    (first,) = reserve(store)
    record(store, first, True, NOW)  # the invoke is enqueued: the root is busy
    for leaf in ("l1", "l2"):
        store.execute_one(CompletePromise(leaf, State.RESOLVED, "{}", None, NOW))
    assert reserve(store, now=NOW + 1) == []  # two resumes wait behind the invoke
    assert store.execute_one(ClaimTask(root_task, 1, "w", 60_000, NOW + 1)).task is not None
    assert store.execute_one(CompleteTask(root_task, 1, NOW + 2)).task is not None
    (resume,) = reserve(store, now=NOW + 3)  # one of them, the oldest
    assert resume.task.message_type is MessageType.RESUME and resume.task.leaf_promise_id == "l1"


def test_a_busy_root_hides_only_itself(store: RedisStore) -> None:
    busy = invoke(store, "busy")
    (item,) = reserve(store)
    record(store, item, True, NOW)
    store.execute_one(CreatePromise("child", "{}", NEVER, None, {}, NOW))
    store.execute_one(CreateCallback("child", "child.cb", MessageType.RESUME, "busy", POLL, NEVER, NOW))
    store.execute_one(CompletePromise("child", State.RESOLVED, "{}", None, NOW))
    other = invoke(store, "other")
    assert ids(reserve(store, now=NOW + 1)) == [other]
    assert busy != other


def test_failed_sends_back_off_doubling_to_a_cap(store: RedisStore) -> None:
    tid = invoke(store, "a")
    now = NOW
    waits = []
    for _ in range(9):
        (item,) = reserve(store, now=now)
        assert item.task.id == tid
        record(store, item, False, now)
        ready_at = int(store.client.hget(key(store.prefix, "K_TASK", tid), "ready_at"))
        waits.append(ready_at - now)
        assert reserve(store, now=ready_at - 1) == []
        now = ready_at
    assert waits == [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]


def test_a_notify_waits_out_its_grace_period_then_is_dropped(store: RedisStore) -> None:
    store.execute_one(CreatePromise("n", "{}", NEVER, None, {}, NOW))
    store.execute_one(CreateCallback("n", "n.sub", MessageType.NOTIFY, "n", '"poll://g/absent"', NEVER, NOW))
    store.execute_one(CompletePromise("n", State.RESOLVED, "{}", None, NOW))
    (item,) = reserve(store)
    record(store, item, False, NOW, grace=1_000)
    (again,) = reserve(store, now=NOW + 500)  # tried again within the grace period
    assert again.task.id == item.task.id
    record(store, again, False, NOW + 1_000, grace=1_000)
    assert reserve(store, now=NOW + 10_000) == []  # dropped: at most once, never for ever
    state = store.client.hget(key(store.prefix, "K_TASK", item.task.id), "state")
    assert state == "COMPLETED"


def test_finished_tasks_and_completed_promises_expire(store: RedisStore) -> None:
    tid = invoke(store, "old")
    store.execute_one(ClaimTask(tid, 1, "w", 60_000, NOW))
    store.execute_one(CompleteTask(tid, 1, NOW + 10))
    store.execute_one(CompletePromise("old", State.RESOLVED, "{}", None, NOW + 10))
    store.execute_one(CreatePromise("pending", "{}", NEVER, None, {}, NOW))
    assert store.execute_one(ExpireTasks(NOW + 10, 100)) == 0  # not before its time
    assert store.execute_one(ExpireTasks(NOW + 11, 100)) == 1
    assert not store.client.exists(key(store.prefix, "K_TASK", tid))
    assert store.execute_one(ExpirePromises(NOW + 11, 100)) == 1
    assert store.execute_one(ReadPromise("old", NOW + 20)) is None
    assert store.execute_one(ReadPromise("pending", NOW + 20)) is not None
    assert not store.client.zscore(key(store.prefix, "K_PROMISES_ALL"), "old")


def test_a_reply_that_cannot_be_read_fails_only_its_own_submission(store: RedisStore) -> None:
    store.execute_one(CreatePromise("good", "{}", NEVER, None, {}, NOW))
    store.execute_one(CreatePromise("bad", "{}", NEVER, None, {}, NOW))
    store.client.hset(key(store.prefix, "K_PROMISE", "bad"), "state", "NOT-A-STATE")
    bad, good = store.execute(
        [StoreSubmission((ReadPromise("bad", NOW),)), StoreSubmission((ReadPromise("good", NOW),))]
    )
    assert isinstance(bad, StoreError)
    assert not isinstance(good, BaseException) and good[0].id == "good"


@pytest.mark.parametrize("count", [1500])
def test_reserving_costs_what_is_sent_not_what_waits(store: RedisStore, count: int) -> None:
    """1,500 tasks backing off for an unreachable HTTP receiver do not stand in front
    of a task for a poll stream (they did: the oldest 1,000 were looked at, only)."""
    for n in range(count):
        invoke(store, f"h{n}", HTTP)
    for item in reserve(store, Lane.HTTP, limit=count):
        record(store, item, False, NOW)
    poll = invoke(store, "p", now=NOW + 1)
    assert ids(reserve(store, Lane.POLL, now=NOW + 1)) == [poll]
    assert reserve(store, Lane.HTTP, now=NOW + 1) == []  # all backing off


def test_a_stream_connecting_wakes_the_tasks_that_failed_for_its_group(store: RedisStore) -> None:
    tid = invoke(store, "a", '"poll://late-group"')
    now = NOW
    for _ in range(4):  # backing off: 1, 2, 4, 8 s
        (item,) = reserve(store, now=now)
        store.execute_one(RecordSendOutcome(item.task.id, item.task.counter, False, now, 10_000, 5_000, "late-group"))
        now = int(store.client.hget(key(store.prefix, "K_TASK", tid), "ready_at"))
    assert reserve(store, now=now - 8_000) == []
    assert store.execute_one(WakePollGroup("other-group", now - 8_000, 100)) == 0
    assert store.execute_one(WakePollGroup("late-group", now - 8_000, 100)) == 1
    assert ids(reserve(store, now=now - 8_000)) == [tid]
    assert store.execute_one(WakePollGroup("late-group", now - 8_000, 100)) == 0  # woken once
