"""The envelope (§1): echoes, the status mirrored into HTTP, the checks of §1.4 in their
order, the JSON value rules of §1.5, and the routes beside the legacy API (§9)."""

from __future__ import annotations

import pytest

from tests import client
from tests.conftest import ServerProcess, unique
from tests.current.proto import HOUR_MS, VERSION, Proto, now_ms


def post_raw(proto: Proto, body: bytes) -> tuple[int, dict]:
    response = proto.session.post(proto.url + "/", data=body, headers={"Content-Type": "application/json"})
    assert response.headers["Content-Type"].startswith("application/json")
    envelope = response.json()
    assert envelope["head"]["status"] == response.status_code
    assert envelope["head"]["version"] == VERSION
    return response.status_code, envelope


@pytest.mark.parametrize(
    ("body", "kind", "corr"),
    [
        (b"not json", "unknown", "0"),
        (b"[1, 2]", "unknown", "0"),
        (b'{"kind": "promise.get", "head": {"corrId": "c1", "version": "2026-04-01"}}', "promise.get", "c1"),
        (b'{"kind": 7, "head": {"corrId": "c1", "version": "2026-04-01"}, "data": {}}', "unknown", "c1"),
        (b'{"kind": "promise.get", "head": {"version": "2026-04-01"}, "data": {}}', "promise.get", "0"),
        (b'{"kind": "promise.get", "head": {"corrId": "c1"}, "data": {}}', "promise.get", "c1"),
        (b'{"kind": "promise.get", "head": "x", "data": {}}', "promise.get", "0"),
    ],
)
def test_a_malformed_envelope_is_a_400_echoing_what_it_can(proto: Proto, body: bytes, kind: str, corr: str) -> None:
    status, envelope = post_raw(proto, body)
    assert status == 400
    assert envelope["kind"] == kind
    assert envelope["head"]["corrId"] == corr
    assert envelope["data"].startswith("Invalid request envelope")


def test_the_later_envelope_checks_in_order(proto: Proto) -> None:
    head = {"corrId": "c2", "version": VERSION}
    empty = proto.raw({"kind": "", "head": head, "data": {}}).json()
    assert empty["data"] == "Missing or invalid 'kind' field — must be a non-empty string"
    not_object = proto.raw({"kind": "promise.get", "head": head, "data": [1]}).json()
    assert not_object["data"] == "Invalid 'data' field — must be an object"
    old = proto.raw({"kind": "promise.get", "head": {"corrId": "c2", "version": "2025-01-01"}, "data": {}})
    assert old.status_code == 400
    assert old.json()["data"].startswith("Unsupported protocol version '2025-01-01'")
    unknown = proto.raw({"kind": "promise.explode", "head": head, "data": {}})
    assert (unknown.status_code, unknown.json()["data"]) == (400, "Unknown operation: promise.explode")
    assert unknown.json()["kind"] == "promise.explode"


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("promise.get", {}, "Invalid request: missing field `id`"),
        ("promise.get", {"id": 5}, "Invalid request: `id` must be a string"),
        ("promise.get", {"id": ""}, "Promise ID is required"),
        ("promise.create", {"id": "x", "timeoutAt": 1.5}, "Invalid request: `timeoutAt` must be a 64-bit integer"),
        ("promise.create", {"id": "x", "timeoutAt": 2**63}, "Invalid request: `timeoutAt` must be a 64-bit integer"),
        ("promise.create", {"id": "x", "timeoutAt": 1, "param": None}, "Invalid request: `param` must be an object, not null"),
        ("promise.create", {"id": "x", "timeoutAt": 1, "tags": {"a": 1}}, "Invalid request: `tags` must be an object of strings"),
        ("promise.create", {"id": "x\x00y", "timeoutAt": 1}, "Promise ID must not contain null bytes"),
        ("promise.create", {"id": "x", "timeoutAt": -1}, "TimeoutAt must be a non-negative integer"),
        ("promise.create", {"id": "", "timeoutAt": -1}, "Promise ID is required; TimeoutAt must be a non-negative integer"),
        ("promise.create", {"id": "x", "timeoutAt": 1, "tags": {"resonate:target": "ftp://a"}}, "Invalid resonate:target address"),
        ("promise.settle", {"id": "x", "state": "rejected_timedout"}, None),
        ("promise.settle", {"id": "x", "state": "pending"}, None),
        ("promise.search", {"limit": 0}, "Limit must be a positive integer"),
        ("promise.search", {"limit": 1001}, "Invalid 'limit' — must be between 1 and 1000"),
        ("promise.register_listener", {"awaited": "x", "address": "poll://most@g"}, "Invalid listener address"),
        ("promise.register_callback", {"awaited": "x", "awaiter": "x"}, "Awaited and awaiter must be different promises"),
        ("task.acquire", {"id": "t", "version": -1, "pid": "p", "ttl": 0}, "Version must be a non-negative integer; TTL must be a positive integer"),
        ("task.heartbeat", {"pid": "p", "tasks": []}, "Tasks array cannot be empty"),
        ("task.suspend", {"id": "t", "version": 1, "actions": []}, "Actions array cannot be empty"),
        ("schedule.create", {"id": "s", "cron": "nope", "promiseId": "p", "promiseTimeout": 1, "promiseTags": {"resonate:target": "poll://any@g"}}, "Invalid cron expression"),
        ("schedule.create", {"id": "s", "cron": "* * * * *", "promiseId": "p", "promiseTimeout": 1}, "promiseTags must include a resonate:target tag"),
    ],
)  # fmt: skip
def test_data_that_breaks_the_kind_is_a_400_saying_why(
    proto: Proto, kind: str, data: dict, message: str | None
) -> None:
    status, body = proto.send(kind, data)
    assert status == 400
    if message is None:
        assert body.startswith("Invalid request: unknown variant")
    else:
        assert body == message


def test_resonate_delay_rules(proto: Proto) -> None:
    target = {"resonate:target": "poll://any@g"}
    deadline = now_ms() + HOUR_MS
    cases = [
        ({**target, "resonate:delay": "soon"}, "resonate:delay must be a non-negative integer"),
        ({**target, "resonate:delay": str(deadline)}, "resonate:delay must be less than timeoutAt"),
        ({"resonate:delay": "5"}, "resonate:delay requires a resonate:target tag"),
    ]
    for tags, message in cases:
        status, body = proto.send("promise.create", {"id": unique(), "timeoutAt": deadline, "tags": tags})
        assert (status, body) == (400, message)


def test_task_create_needs_a_target_and_no_delay(proto: Proto) -> None:
    status, body = proto.task_create(unique(), tags={"resonate:delay": "5"})
    assert (status, body) == (400, "Action must not have a resonate:delay tag")
    action = {"kind": "promise.create", "head": {}, "data": {"id": unique(), "timeoutAt": now_ms() + HOUR_MS}}
    status, body = proto.send("task.create", {"pid": "p", "ttl": 1000, "action": action})
    assert (status, body) == (400, "Action must have a resonate:target tag")


def test_fence_and_fulfill_action_rules(proto: Proto) -> None:
    bad_kind = {"kind": "promise.get", "head": {}, "data": {"id": "x"}}
    assert proto.send("task.fence", {"id": "t", "version": 1, "action": bad_kind}) == (400, "Invalid fence action kind")
    same = {"kind": "promise.settle", "head": {}, "data": {"id": "t", "state": "resolved"}}
    assert proto.send("task.fence", {"id": "t", "version": 1, "action": same}) == (
        400,
        "Action ID must not equal the task ID",
    )
    status, body = proto.send("task.fence", {"id": "t", "version": 1, "action": {"kind": "promise.create", "data": {}}})
    assert status == 400 and body.startswith("Invalid action data: Invalid request: missing field")
    other = {"kind": "promise.settle", "head": {}, "data": {"id": "u", "state": "resolved"}}
    assert proto.send("task.fulfill", {"id": "t", "version": 1, "action": other}) == (
        400,
        "Action ID must match the task ID",
    )


def test_values_are_returned_exactly_as_sent_and_nulls_dropped(proto: Proto) -> None:
    pid = unique()
    param = {"headers": {"a": "b"}, "data": ""}
    status, body = proto.send("promise.create", {"id": pid, "timeoutAt": now_ms() + HOUR_MS, "param": param})
    assert status == 200
    assert body["promise"]["param"] == param
    assert body["promise"]["value"] == {}
    assert "settledAt" not in body["promise"]
    status, body = proto.send(
        "promise.settle", {"id": pid, "state": "resolved", "value": {"data": None, "headers": None}}
    )
    assert body["promise"]["value"] == {}


def test_max_int64_timeouts_round_trip(proto: Proto) -> None:
    pid = unique()
    status, body = proto.send("promise.create", {"id": pid, "timeoutAt": 2**63 - 1})
    assert status == 200 and body["promise"]["timeoutAt"] == 2**63 - 1


def test_health_and_ready(current_server: ServerProcess) -> None:
    health = client.get(current_server.url + "/health")
    assert (health.status_code, health.content) == (200, b"")
    assert client.get(current_server.url + "/ready").status_code == 200
    assert client.get(current_server.url + "/healthz").status_code == 200


def test_the_two_generations_keep_their_promises_apart(proto: Proto, current_server: ServerProcess) -> None:
    pid = unique()
    proto.create(pid)
    assert client.get(f"{current_server.url}/promises/{pid}").status_code == 404
    legacy = unique()
    created = client.post(f"{current_server.url}/promises", json={"id": legacy, "timeout": now_ms() + HOUR_MS})
    assert created.status_code == 201
    assert proto.send("promise.get", {"id": legacy}) == (404, "Promise not found")
    status, body = proto.send("promise.create", {"id": legacy, "timeoutAt": now_ms() + HOUR_MS})
    assert status == 200 and body["promise"]["state"] == "pending"
    assert client.get(f"{current_server.url}/promises/{legacy}").json()["state"] == "PENDING"


def test_sizes_are_bounded(proto: Proto) -> None:
    long_id = "x" * 4097
    status, body = proto.send("promise.get", {"id": long_id})
    assert status == 400 and "at most 4096 characters" in body
    many_tags = {f"k{n}": "v" for n in range(101)}
    status, body = proto.send("promise.create", {"id": unique(), "timeoutAt": 1, "tags": many_tags})
    assert status == 400 and "at most 100 entries" in body
    actions = [{"kind": "promise.register_callback", "data": {"awaited": f"a{n}", "awaiter": "t"}} for n in range(1001)]
    status, body = proto.send("task.suspend", {"id": "t", "version": 1, "actions": actions})
    assert status == 400 and "at most 1000 items" in body
    big_value = {"data": "eA==" * 100_000}  # payloads are not names: only the body limit applies
    status, _ = proto.send("promise.create", {"id": unique(), "timeoutAt": now_ms() + HOUR_MS, "param": big_value})
    assert status == 200
