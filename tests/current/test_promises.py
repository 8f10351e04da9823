"""promise.* kinds: the create and settle tables (§4.2, §4.3), callbacks (§2.5),
listeners (§2.6), search (§2.7) and lazy timeouts (§4.4)."""

from __future__ import annotations

from tests.conftest import unique, wait_until
from tests.current.proto import HOUR_MS, Proto, now_ms

TARGET = "poll://any@nobody-listens"


def test_get_of_a_missing_promise_is_404(proto: Proto) -> None:
    assert proto.send("promise.get", {"id": unique()}) == (404, "Promise not found")


def test_create_is_idempotent_and_returns_the_stored_record(proto: Proto) -> None:
    pid = unique()
    first = proto.create(pid, **{"a": "1"})
    again = proto.create(pid, timeout=now_ms() + 2 * HOUR_MS, **{"b": "2"})
    assert again == first
    assert first["state"] == "pending" and first["tags"] == {"a": "1"}
    assert first["createdAt"] <= now_ms()


def test_a_create_already_due_is_settled_at_its_deadline(proto: Proto) -> None:
    deadline = now_ms() - 1000
    plain = proto.create(unique(), timeout=deadline)
    assert plain["state"] == "rejected_timedout"
    assert plain["createdAt"] == plain["settledAt"] == deadline
    timer = proto.create(unique(), timeout=deadline, **{"resonate:timer": "true"})
    assert timer["state"] == "resolved" and timer["value"] == {}
    targeted = proto.create(unique(), timeout=deadline, target=TARGET)
    task = proto.task(targeted["id"])
    assert (task["state"], task["version"]) == ("fulfilled", 0)


def test_a_targeted_create_gets_a_pending_task_and_an_untargeted_none(proto: Proto) -> None:
    targeted = proto.create(unique(), target=TARGET)
    assert proto.task(targeted["id"]) == {"id": targeted["id"], "state": "pending", "version": 0, "resumes": 0}
    plain = proto.create(unique())
    assert proto.send("task.get", {"id": plain["id"]}) == (404, "Task not found")


def test_settle_table(proto: Proto) -> None:
    assert proto.settle(unique()) == (404, "Promise not found")
    pid = unique()
    proto.create(pid)
    status, body = proto.settle(pid, "rejected_canceled", "bm8=")
    assert status == 200
    settled = body["promise"]
    assert settled["state"] == "rejected_canceled" and settled["value"] == {"data": "bm8="}
    assert settled["settledAt"] >= settled["createdAt"]
    # already settled: unchanged whatever is asked
    assert proto.settle(pid, "resolved", "eWVz") == (200, {"promise": settled})


def test_settling_an_expired_promise_times_it_out_instead(proto: Proto) -> None:
    pid = unique()
    deadline = now_ms() + 300
    proto.create(pid, timeout=deadline)
    wait_until(lambda: now_ms() > deadline + 10)
    _status, body = proto.settle(pid, "resolved")
    assert body["promise"]["state"] == "rejected_timedout"
    assert body["promise"]["settledAt"] == deadline and body["promise"]["value"] == {}


def test_settling_a_targeted_promise_fulfills_its_task(proto: Proto) -> None:
    pid = unique()
    proto.create(pid, target=TARGET)
    proto.settle(pid)
    assert proto.task(pid)["state"] == "fulfilled"


def test_untargeted_promises_time_out_only_when_touched(proto: Proto) -> None:
    lazy, active = unique("lazy"), unique("active")
    deadline = now_ms() + 1500
    proto.create(lazy, timeout=deadline)
    proto.create(active, timeout=deadline, target=TARGET)

    def state_in_search(pid: str) -> str:
        _status, body = proto.send("promise.search", {"cursor": pid[:-1], "limit": 5})
        return next(p["state"] for p in body["promises"] if p["id"] == pid)

    wait_until(lambda: state_in_search(active) == "rejected_timedout", message="the active timeout")
    assert state_in_search(lazy) == "pending"  # search does not time out
    assert proto.get(lazy)["state"] == "rejected_timedout"  # a get does
    assert state_in_search(lazy) == "rejected_timedout"


def test_register_callback_checks(proto: Proto) -> None:
    awaiter = proto.create(unique(), target=TARGET)["id"]
    plain = proto.create(unique())["id"]
    awaited = proto.create(unique())["id"]
    send = proto.send
    assert send("promise.register_callback", {"awaited": unique(), "awaiter": awaiter}) == (
        404,
        "Awaited promise not found",
    )
    assert send("promise.register_callback", {"awaited": awaited, "awaiter": unique()}) == (
        422,
        "Awaiter promise not found",
    )
    assert send("promise.register_callback", {"awaited": awaited, "awaiter": plain}) == (
        422,
        "Awaiter promise has no resonate:target tag",
    )
    status, body = send("promise.register_callback", {"awaited": awaited, "awaiter": awaiter})
    assert status == 200 and body["promise"]["id"] == awaited


def test_a_callback_on_a_pending_promise_resumes_a_suspended_task_when_it_settles(proto: Proto) -> None:
    root = unique()
    status, _ = proto.task_create(root, target=TARGET)
    child = proto.create(unique())["id"]
    assert proto.suspend(root, 1, child) == (200, {})
    other = proto.create(unique())["id"]
    status, _ = proto.send("promise.register_callback", {"awaited": other, "awaiter": root})
    assert status == 200
    proto.settle(other)
    task = proto.task(root)
    assert (task["state"], task["version"], task["resumes"]) == ("pending", 1, 1)


def test_register_callback_on_a_settled_promise(proto: Proto) -> None:
    root = unique()
    proto.task_create(root, target=TARGET)
    waited = proto.create(unique())["id"]
    assert proto.suspend(root, 1, waited) == (200, {})
    done = proto.create(unique())["id"]
    proto.settle(done)
    # suspended: pending again at once
    status, body = proto.send("promise.register_callback", {"awaited": done, "awaiter": root})
    assert status == 200 and body["promise"]["state"] == "resolved"
    assert proto.task(root)["state"] == "pending"
    # pending: only the resumes count moves
    proto.send("promise.register_callback", {"awaited": done, "awaiter": root})
    assert proto.task(root) == {"id": root, "state": "pending", "version": 1, "resumes": 2}


def test_register_callback_when_the_awaiter_is_settled_does_nothing(proto: Proto) -> None:
    awaiter = proto.create(unique(), target=TARGET)["id"]
    proto.settle(awaiter)
    awaited = proto.create(unique())["id"]
    status, _ = proto.send("promise.register_callback", {"awaited": awaited, "awaiter": awaiter})
    assert status == 200
    proto.settle(awaited)
    assert proto.task(awaiter)["state"] == "fulfilled"


def test_listeners(proto: Proto) -> None:
    assert proto.send("promise.register_listener", {"awaited": unique(), "address": "poll://uni@g/p"}) == (
        404,
        "Awaited promise not found",
    )
    pid = proto.create(unique())["id"]
    for _ in range(2):
        status, body = proto.send("promise.register_listener", {"awaited": pid, "address": "poll://uni@g/p"})
        assert status == 200 and body["promise"]["state"] == "pending"
    proto.settle(pid)
    status, body = proto.send("promise.register_listener", {"awaited": pid, "address": "poll://uni@g/p"})
    assert status == 200 and body["promise"]["state"] == "resolved"


def test_search_by_state_tags_and_cursor(proto: Proto) -> None:
    prefix = unique("s")
    ids = [f"{prefix}-{n:02d}" for n in range(7)]
    for n, pid in enumerate(ids):
        proto.create(pid, **{"kind": "even" if n % 2 == 0 else "odd", "run": prefix})
    proto.settle(ids[0])
    seen: list[str] = []
    cursor = None
    while True:
        data = {"tags": {"run": prefix}, "limit": 3, **({"cursor": cursor} if cursor else {})}
        status, body = proto.send("promise.search", data)
        assert status == 200
        seen += [p["id"] for p in body["promises"]]
        cursor = body.get("cursor")
        if cursor is None:
            break
    assert seen == ids
    status, body = proto.send("promise.search", {"tags": {"run": prefix, "kind": "even"}, "state": "pending"})
    assert [p["id"] for p in body["promises"]] == [ids[2], ids[4], ids[6]]
    assert "cursor" not in body
    status, body = proto.send("promise.search", {"tags": {"run": prefix}, "state": "resolved"})
    assert [p["id"] for p in body["promises"]] == [ids[0]]


def test_register_callback_on_a_settled_promise_leaves_a_halted_task_alone(proto: Proto) -> None:
    root = unique()
    proto.task_create(root, target=TARGET)
    proto.send("task.halt", {"id": root})
    done = proto.create(unique())["id"]
    proto.settle(done)
    assert proto.send("promise.register_callback", {"awaited": done, "awaiter": root})[0] == 200
    assert proto.task(root) == {"id": root, "state": "halted", "version": 1, "resumes": 0}


def test_sleeps_and_outside_promises_time_out_in_the_background_even_untargeted(proto: Proto) -> None:
    """resonate-sdk 0.7.x sleeps carry no target; py 0.8.x outside promises are tagged
    resonate:external. Both settle at their deadline without being touched."""
    sleep, outside = unique("sleep"), unique("outside")
    deadline = now_ms() + 300
    proto.create(sleep, timeout=deadline, **{"resonate:timer": "true"})
    proto.create(outside, timeout=deadline, **{"resonate:external": "true"})

    def state_in_search(pid: str) -> str:
        _, body = proto.send("promise.search", {"cursor": pid[:-1], "limit": 5})
        return next(p["state"] for p in body["promises"] if p["id"] == pid)

    wait_until(lambda: state_in_search(sleep) == "resolved", message="the sleep resolves by itself")
    wait_until(lambda: state_in_search(outside) == "rejected_timedout", message="the outside promise times out")
