"""task.* kinds and the task state machine (§2.9 to §2.17, §4.6 to §4.11). The server
here retries pending tasks every second."""

from __future__ import annotations

import time

from tests.conftest import unique, wait_until
from tests.current.proto import Proto, now_ms

TARGET = "poll://any@nobody-listens"


def created_task(proto: Proto, **extra: object) -> str:
    """A root created by task.create: acquired at version 1 by w1."""
    root = unique("root")
    status, body = proto.task_create(root, target=TARGET, **extra)
    assert status == 200, body
    return root


# -- task.create (§2.9) ---------------------------------------------------------------------


def test_task_create_of_a_new_promise_acquires_at_version_1(proto: Proto) -> None:
    root = unique()
    status, body = proto.task_create(root, target=TARGET, ttl=5000)
    assert status == 200
    assert body["task"] == {"id": root, "state": "acquired", "version": 1, "resumes": 0, "ttl": 5000, "pid": "w1"}
    assert body["promise"]["state"] == "pending" and body["preload"] == []


def test_task_create_of_an_expired_promise_is_a_fulfilled_task(proto: Proto) -> None:
    status, body = proto.task_create(unique(), target=TARGET, timeoutAt=now_ms() - 1)
    assert status == 200
    assert body["task"]["state"] == "fulfilled" and body["task"]["version"] == 0
    assert body["promise"]["state"] == "rejected_timedout" and body["preload"] == []


def test_task_create_on_a_pending_task_acquires_it(proto: Proto) -> None:
    pid = proto.create(unique(), target=TARGET)["id"]
    status, body = proto.task_create(pid, target=TARGET)
    assert status == 200 and body["task"]["state"] == "acquired" and body["task"]["version"] == 1


def test_task_create_when_someone_holds_it_is_409(proto: Proto) -> None:
    root = created_task(proto)
    assert proto.task_create(root, target=TARGET) == (409, "Already exists")
    waited = proto.create(unique())["id"]
    proto.suspend(root, 1, waited)
    assert proto.task_create(root, target=TARGET) == (409, "Already exists")
    proto.send("task.halt", {"id": root})
    assert proto.task_create(root, target=TARGET) == (409, "Already exists")


def test_task_create_on_a_fulfilled_task_returns_it(proto: Proto) -> None:
    root = created_task(proto)
    proto.fulfill(root, 1)
    status, body = proto.task_create(root, target=TARGET)
    assert status == 200
    assert body["task"] == {"id": root, "state": "fulfilled", "version": 1, "resumes": 0}
    assert body["promise"]["state"] == "resolved" and body["preload"] == []


def test_task_create_on_an_untargeted_promise_is_422(proto: Proto) -> None:
    pid = proto.create(unique())["id"]
    assert proto.task_create(pid, target=TARGET) == (422, "The promise does not have a resonate:target tag")


# -- acquire, release, fulfill --------------------------------------------------------------


def test_acquire_bumps_the_version_and_fences_the_old_holder(proto: Proto) -> None:
    pid = proto.create(unique(), target=TARGET)["id"]
    assert proto.acquire(unique(), 0) == (404, "Task not found")
    assert proto.acquire(pid, 3) == (409, "Version mismatch")
    status, body = proto.acquire(pid, 0, pid="a", ttl=60_000)
    assert status == 200
    assert body["task"] == {"id": pid, "state": "acquired", "version": 1, "resumes": 0, "ttl": 60_000, "pid": "a"}
    assert proto.acquire(pid, 0) == (409, "Task is not pending")
    assert proto.send("task.release", {"id": pid, "version": 0}) == (409, "Task version mismatch or invalid state")
    assert proto.send("task.release", {"id": pid, "version": 1}) == (200, {})
    assert proto.task(pid) == {"id": pid, "state": "pending", "version": 1, "resumes": 0}
    status, body = proto.acquire(pid, 1, pid="b")
    assert body["task"]["version"] == 2
    # a's calls at version 1 all fail now
    assert proto.fulfill(pid, 1) == (409, "Task version mismatch or invalid state")
    assert proto.fence_create(pid, 1, unique())[0] == 409
    assert proto.fulfill(pid, 2)[0] == 200
    assert proto.send("task.release", {"id": unique(), "version": 1}) == (404, "Task not found")


def test_fulfill_settles_and_is_fenced(proto: Proto) -> None:
    root = created_task(proto)
    assert proto.fulfill(unique(), 1) == (404, "Task not found")
    status, body = proto.fulfill(root, 1, "rejected", "b29wcw==")
    assert status == 200
    assert body["promise"]["state"] == "rejected" and body["promise"]["value"] == {"data": "b29wcw=="}
    assert proto.task(root)["state"] == "fulfilled"
    assert proto.fulfill(root, 1) == (409, "Task version mismatch or invalid state")


def test_fulfill_of_an_expired_promise_is_409(proto: Proto) -> None:
    root = unique()
    proto.task_create(root, target=TARGET, timeoutAt=now_ms() + 200)
    wait_until(lambda: proto.task(root)["state"] == "fulfilled", message="the active timeout")
    assert proto.fulfill(root, 1) == (409, "Task version mismatch or invalid state")
    assert proto.get(root)["state"] == "rejected_timedout"


# -- suspend (§2.13) -------------------------------------------------------------------------


def test_suspend_table(proto: Proto) -> None:
    root = created_task(proto)
    pending = proto.create(unique())["id"]
    assert proto.suspend(unique(), 1, pending) == (404, "Task not found")
    assert proto.suspend(root, 2, pending) == (409, "Task is not acquired or version mismatch")
    assert proto.suspend(root, 1, unique()) == (422, "Awaited promise not found")
    settled = proto.create(unique())["id"]
    proto.settle(settled)
    status, body = proto.suspend(root, 1, pending, settled)
    assert status == 300 and set(body) == {"preload"}
    assert proto.task(root)["state"] == "acquired"  # same version, lease untouched
    assert proto.suspend(root, 1, pending, pending) == (200, {})
    assert proto.task(root) == {"id": root, "state": "suspended", "version": 1, "resumes": 0}
    proto.settle(pending)
    assert proto.task(root) == {"id": root, "state": "pending", "version": 1, "resumes": 1}


def test_suspend_redirects_when_a_wait_times_out_on_access(proto: Proto) -> None:
    root = created_task(proto)
    sleeping = proto.create(unique(), timeout=now_ms() + 200, **{"resonate:timer": "true"})["id"]
    time.sleep(0.3)
    status, _ = proto.suspend(root, 1, sleeping)
    assert status == 300


# -- fence (§2.14) and preload (§4.11) ------------------------------------------------------


def test_fence_runs_creates_and_settles_under_the_version(proto: Proto) -> None:
    root = unique("wf")
    status, body = proto.task_create(root, target=TARGET, tags={"resonate:branch": root})
    assert status == 200
    local = f"{root}:1"
    remote = f"{root}:2"
    status, body = proto.fence_create(root, 1, local, **{"resonate:branch": root})
    assert status == 200
    assert body["action"]["kind"] == "promise.create"
    assert body["action"]["head"]["status"] == 200
    assert body["action"]["data"]["promise"]["id"] == local
    assert [p["id"] for p in body["preload"]] == [local]
    status, body = proto.fence_settle(root, 1, local)
    assert body["action"]["data"]["promise"]["state"] == "resolved"
    assert body["preload"][0]["state"] == "resolved"
    status, body = proto.fence_create(root, 1, remote, **{"resonate:branch": remote, "resonate:target": TARGET})
    assert [p["id"] for p in body["preload"]] == [local]
    assert proto.task(remote) == {"id": remote, "state": "pending", "version": 0, "resumes": 0}
    status, body = proto.fence_settle(root, 1, unique())
    assert status == 200
    assert body["action"]["head"]["status"] == 404 and body["action"]["data"] == "Promise not found"
    assert proto.fence_create(unique(), 1, unique()) == (404, "Task not found")
    assert proto.fence_create(root, 2, unique()) == (409, "Version mismatch")
    # the next holder gets the branch as its preload
    proto.suspend(root, 1, remote)
    proto.settle(remote)
    status, body = proto.acquire(root, 1)
    assert [p["id"] for p in body["preload"]] == [local]


def test_preload_is_bounded_and_excludes_the_task(proto: Proto) -> None:
    root = unique("big")
    proto.task_create(root, target=TARGET, tags={"resonate:branch": root})
    for n in range(5):
        proto.fence_create(root, 1, f"{root}:{n}", **{"resonate:branch": root})
    _status, body = proto.fence_create(root, 1, f"{root}:5", **{"resonate:branch": root})
    assert [p["id"] for p in body["preload"]] == [f"{root}:{n}" for n in range(6)]


# -- heartbeat, halt, continue, search ------------------------------------------------------


def test_heartbeat_extends_only_matching_leases(proto: Proto) -> None:
    root = unique()
    proto.task_create(root, target=TARGET, ttl=3000)
    other = unique("other-origin")
    proto.task_create(other, target=TARGET, ttl=3000)
    tasks = [{"id": root, "version": 1}, {"id": other, "version": 7}, {"id": unique(), "version": 0}]
    for _ in range(10):
        assert proto.send("task.heartbeat", {"pid": "w1", "tasks": tasks}) == (200, {})
        time.sleep(0.5)
    assert proto.task(root)["state"] == "acquired"  # kept alive for 5 s with a 3 s lease
    wait_until(lambda: proto.task(other)["state"] == "pending", message="the lease of the other lapses")


def test_halt_and_continue(proto: Proto) -> None:
    root = created_task(proto)
    assert proto.send("task.continue", {"id": root}) == (409, "Task is not halted")
    assert proto.send("task.halt", {"id": root}) == (200, {})
    assert proto.send("task.halt", {"id": root}) == (200, {})
    assert proto.task(root) == {"id": root, "state": "halted", "version": 1, "resumes": 0}
    assert proto.fulfill(root, 1)[0] == 409  # the old holder is fenced out
    assert proto.send("task.continue", {"id": root}) == (200, {})
    assert proto.task(root) == {"id": root, "state": "pending", "version": 1, "resumes": 0}
    assert proto.acquire(root, 1)[0] == 200
    assert proto.send("task.halt", {"id": unique()}) == (404, "Task not found")
    proto.fulfill(root, 2)
    assert proto.send("task.halt", {"id": root}) == (409, "Task is fulfilled")


def test_a_halted_task_counts_resumes_but_is_not_sent(proto: Proto) -> None:
    root = created_task(proto)
    waited = proto.create(unique())["id"]
    proto.suspend(root, 1, waited)
    proto.send("task.halt", {"id": root})
    proto.settle(waited)
    assert proto.task(root) == {"id": root, "state": "halted", "version": 1, "resumes": 1}


def test_task_search(proto: Proto) -> None:
    status, body = proto.send("task.search", {"state": "suspended", "limit": 1000})
    assert status == 200
    root = created_task(proto)
    proto.suspend(root, 1, proto.create(unique())["id"])
    status, body = proto.send("task.search", {"state": "suspended", "limit": 1000})
    assert root in [t["id"] for t in body["tasks"]]
    assert all(t["state"] == "suspended" for t in body["tasks"])
    status, body = proto.send("task.search", {"limit": 1})
    assert len(body["tasks"]) == 1 and "cursor" in body


# -- timers (§4.6 rows 5, 11; §4.10) ---------------------------------------------------------


def test_a_lapsed_lease_returns_the_task_to_pending(proto: Proto) -> None:
    root = unique()
    proto.task_create(root, target=TARGET, ttl=300)
    wait_until(lambda: proto.task(root)["state"] == "pending", message="the lease lapses")
    assert proto.task(root)["version"] == 1
    assert proto.acquire(root, 1)[0] == 200
