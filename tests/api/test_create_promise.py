"""POST /promises: the create decision table (semantics §2.1) over real HTTP."""

from __future__ import annotations

import base64

import pytest

from tests.api.states import CREATE_KEY, NEVER, prepare
from tests.conftest import Api, unique

SAME, OTHER, NONE = CREATE_KEY, "other-key", None

# stored state, idempotency key of the request, strict -> status, state afterwards
TABLE = [
    ("none", NONE, False, 201, "PENDING"),
    ("none", SAME, True, 201, "PENDING"),
    ("pending", SAME, False, 200, "PENDING"),
    ("pending", SAME, True, 200, "PENDING"),
    ("pending", OTHER, False, 409, "PENDING"),
    ("pending", NONE, False, 409, "PENDING"),
    ("resolved", SAME, False, 200, "RESOLVED"),
    ("resolved", SAME, True, 409, "RESOLVED"),
    ("resolved", OTHER, False, 409, "RESOLVED"),
    ("resolved", NONE, False, 409, "RESOLVED"),
    ("rejected", SAME, False, 200, "REJECTED"),
    ("rejected", SAME, True, 409, "REJECTED"),
    ("canceled", SAME, False, 200, "REJECTED_CANCELED"),
    ("canceled", NONE, True, 409, "REJECTED_CANCELED"),
    ("timedout", SAME, False, 200, "REJECTED_TIMEDOUT"),
    ("timedout", SAME, True, 409, "REJECTED_TIMEDOUT"),
    ("expired", SAME, False, 200, "REJECTED_TIMEDOUT"),
    ("expired", SAME, True, 409, "REJECTED_TIMEDOUT"),
    ("expired", OTHER, False, 409, "REJECTED_TIMEDOUT"),
    ("sleep_expired", SAME, False, 200, "RESOLVED"),
]


@pytest.mark.parametrize(("stored", "key", "strict", "status", "state_after"), TABLE)
def test_create_decision_table(
    api: Api, stored: str, key: str | None, strict: bool, status: int, state_after: str
) -> None:
    promise_id = unique()
    prepare(api, promise_id, stored)
    reply = api.create(promise_id, key=key, strict=strict)
    assert reply.status_code == status, reply.text
    if status in (200, 201):
        assert reply.json()["state"] == state_after
    else:
        assert reply.json()["error"]["code"] == 4090
    assert api.read(promise_id).json()["state"] == state_after


def test_a_created_promise_has_the_reference_shape(api: Api) -> None:
    promise_id = unique()
    data = base64.b64encode(b'"pending"').decode()
    reply = api.create(
        promise_id, timeout=NEVER, key="ab12", param={"headers": {"a": "a"}, "data": data}, tags={"x": "y"}
    )
    assert reply.status_code == 201
    assert reply.headers["Content-Type"] == "application/json; charset=utf-8"
    body = reply.json()
    assert list(body) == [
        "id",
        "state",
        "param",
        "value",
        "timeout",
        "idempotencyKeyForCreate",
        "tags",
        "createdOn",
    ]
    assert body["param"] == {"headers": {"a": "a"}, "data": data}
    assert body["value"] == {}
    assert body["timeout"] == NEVER  # exact: 2^63-1 survives the round trip
    assert body["idempotencyKeyForCreate"] == "ab12"


def test_empty_parts_are_left_out(api: Api) -> None:
    reply = api.create(unique(), param={"headers": None, "data": None}, tags={})
    body = reply.json()
    assert body["param"] == {} and body["value"] == {}
    assert "tags" not in body and "idempotencyKeyForCreate" not in body and "completedOn" not in body


def test_a_past_timeout_is_accepted_and_reported_pending(api: Api) -> None:
    promise_id = unique()
    reply = api.create(promise_id, timeout=0)
    assert reply.status_code == 201 and reply.json()["state"] == "PENDING"
    read = api.read(promise_id).json()
    assert read["state"] == "REJECTED_TIMEDOUT" and read["completedOn"] == 0


def test_timeout_defaults_to_zero(api: Api) -> None:
    promise_id = unique()
    reply = api.session.post(f"{api.url}/promises", json={"id": promise_id})
    assert reply.status_code == 201 and reply.json()["timeout"] == 0


def test_request_bodies_are_not_compared_when_deduplicating(api: Api) -> None:
    promise_id = unique()
    first = api.create(promise_id, key="k", param={"data": "eA=="})
    second = api.create(promise_id, key="k", param={"data": "eQ=="}, timeout=5)
    assert second.status_code == 200 and second.json() == first.json()


def test_an_empty_idempotency_key_is_a_key(api: Api) -> None:
    promise_id = unique()
    assert api.create(promise_id, key="").status_code == 201
    assert api.create(promise_id, key="").status_code == 200
    assert api.create(promise_id).status_code == 409


def test_json_keys_match_in_any_letter_case(api: Api) -> None:
    promise_id = unique()
    reply = api.session.post(f"{api.url}/promises", json={"ID": promise_id, "Timeout": 5, "TAGS": {"a": "b"}})
    assert reply.status_code == 201
    assert reply.json()["id"] == promise_id and reply.json()["timeout"] == 5
    assert reply.json()["tags"] == {"a": "b"}


def test_ids_may_hold_slashes_and_other_characters(api: Api) -> None:
    promise_id = f"{unique()}/child/ü 1"
    assert api.create(promise_id).status_code == 201
    assert api.read(promise_id).json()["id"] == promise_id
