"""PATCH /promises/{id}: the complete decision table (semantics §2.2) over real HTTP."""

from __future__ import annotations

import pytest

from tests.api.states import COMPLETE_KEY, prepare
from tests.conftest import Api, unique

SAME, OTHER, NONE = COMPLETE_KEY, "other-key", None

# stored state, requested state, key, strict -> status, error code, state afterwards
TABLE = [
    ("none", "RESOLVED", NONE, False, 404, 4040, None),
    ("pending", "RESOLVED", NONE, False, 201, None, "RESOLVED"),
    ("pending", "REJECTED", SAME, True, 201, None, "REJECTED"),
    ("pending", "REJECTED_CANCELED", OTHER, False, 201, None, "REJECTED_CANCELED"),
    # pending past its timeout: the timeout wins, the requested state is dropped
    ("expired", "RESOLVED", SAME, False, 200, None, "REJECTED_TIMEDOUT"),
    ("expired", "RESOLVED", SAME, True, 403, 4033, "REJECTED_TIMEDOUT"),
    ("sleep_expired", "REJECTED", SAME, False, 403, 4030, "RESOLVED"),
    ("sleep_expired", "REJECTED", SAME, True, 403, 4030, "RESOLVED"),
    # already completed: a repeat with the same key is 200
    ("resolved", "RESOLVED", SAME, False, 200, None, "RESOLVED"),
    ("resolved", "RESOLVED", SAME, True, 200, None, "RESOLVED"),
    ("resolved", "REJECTED", SAME, False, 200, None, "RESOLVED"),  # original state
    ("resolved", "REJECTED", SAME, True, 403, 4030, "RESOLVED"),
    ("resolved", "RESOLVED", OTHER, False, 403, 4030, "RESOLVED"),
    ("resolved", "RESOLVED", NONE, False, 403, 4030, "RESOLVED"),
    ("rejected", "REJECTED", SAME, True, 200, None, "REJECTED"),
    ("rejected", "RESOLVED", OTHER, False, 403, 4031, "REJECTED"),
    ("canceled", "REJECTED_CANCELED", SAME, False, 200, None, "REJECTED_CANCELED"),
    ("canceled", "RESOLVED", NONE, True, 403, 4032, "REJECTED_CANCELED"),
    # timed out: non-strict is always 200, strict always 403
    ("timedout", "RESOLVED", NONE, False, 200, None, "REJECTED_TIMEDOUT"),
    ("timedout", "RESOLVED", SAME, False, 200, None, "REJECTED_TIMEDOUT"),
    ("timedout", "REJECTED", SAME, True, 403, 4033, "REJECTED_TIMEDOUT"),
]


@pytest.mark.parametrize(("stored", "requested", "key", "strict", "status", "code", "state_after"), TABLE)
def test_complete_decision_table(
    api: Api,
    stored: str,
    requested: str,
    key: str | None,
    strict: bool,
    status: int,
    code: int | None,
    state_after: str | None,
) -> None:
    promise_id = unique()
    prepare(api, promise_id, stored)
    reply = api.complete(promise_id, requested, key=key, strict=strict, value={"data": "ImRvbmUi"})
    assert reply.status_code == status, reply.text
    if code is not None:
        assert reply.json()["error"]["code"] == code
        assert "id" not in reply.json()  # the error body carries no promise
    else:
        assert reply.json()["state"] == state_after
    if state_after is not None:
        assert api.read(promise_id).json()["state"] == state_after


def test_a_completion_records_value_key_and_time(api: Api) -> None:
    promise_id = unique()
    created = api.create(promise_id).json()
    reply = api.complete(promise_id, "resolved", key="ck", value={"headers": {"h": "1"}, "data": "ImRvbmUi"})
    assert reply.status_code == 201
    body = reply.json()
    assert body["state"] == "RESOLVED"
    assert body["value"] == {"headers": {"h": "1"}, "data": "ImRvbmUi"}
    assert body["idempotencyKeyForComplete"] == "ck"
    assert body["completedOn"] >= created["createdOn"]


def test_a_timed_out_promise_completes_at_its_timeout_with_no_value_or_key(api: Api) -> None:
    promise_id = unique()
    api.create(promise_id, timeout=1234)
    body = api.complete(promise_id, "RESOLVED", key="k", value={"data": "eA=="}).json()
    assert body["state"] == "REJECTED_TIMEDOUT"
    assert body["completedOn"] == 1234 and body["value"] == {}
    assert "idempotencyKeyForComplete" not in body


@pytest.mark.parametrize("state", ["resolved", "Rejected", "REJECTED_CANCELED"])
def test_the_state_is_read_in_any_letter_case(api: Api, state: str) -> None:
    promise_id = unique()
    api.create(promise_id)
    assert api.complete(promise_id, state).status_code == 201
