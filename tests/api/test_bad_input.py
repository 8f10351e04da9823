"""Malformed requests get a 400 with the reference's error body, never a 500."""

from __future__ import annotations

import pytest

from tests.conftest import Api, unique

CREATE_BODIES = [
    b"",
    b"   ",
    b"{",
    b"[]",
    b'"id"',
    b"null",
    b"{}",
    b'{"id": ""}',
    b'{"id": null}',
    b'{"id": 5}',
    b'{"id": "x", "timeout": "5"}',
    b'{"id": "x", "timeout": 1.5}',
    b'{"id": "x", "timeout": 1e3}',
    b'{"id": "x", "timeout": true}',
    b'{"id": "x", "timeout": 9223372036854775808}',
    b'{"id": "x", "timeout": 123456789012345678901234567890}',
    b'{"id": "x", "param": "text"}',
    b'{"id": "x", "param": {"data": "not base64!"}}',
    b'{"id": "x", "param": {"data": "eA"}}',
    b'{"id": "x", "param": {"data": 5}}',
    b'{"id": "x", "param": {"headers": {"a": 1}}}',
    b'{"id": "x", "param": {"headers": []}}',
    b'{"id": "x", "tags": {"a": 1}}',
    b'{"id": "x", "tags": "a=b"}',
    b"\xff\xfe",
]


@pytest.mark.parametrize("body", CREATE_BODIES)
def test_malformed_create_bodies(api: Api, body: bytes) -> None:
    reply = api.session.post(f"{api.url}/promises", data=body)
    assert reply.status_code == 400, reply.text
    error = reply.json()["error"]
    assert error["code"] == 4000 and error["message"] == "The request is invalid"
    detail = error["details"][0]
    assert detail["@type"] == "FieldValidationError" and detail["domain"] == "request"
    assert detail["metadata"] == {"url": "https://docs.resonatehq.io/resonate/error-codes#4000"}
    assert detail["message"]


def test_a_missing_id_says_so(api: Api) -> None:
    reply = api.session.post(f"{api.url}/promises", json={"timeout": 1})
    assert reply.json()["error"]["details"][0]["message"] == "The field id is required."


def test_a_negative_timeout_is_a_valid_int64(api: Api) -> None:
    assert api.create(unique(), timeout=-(2**63)).status_code == 201


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "The field state is required."),
        ({"state": "PENDING"}, "The field state must be one of resolved, rejected, rejected_canceled."),
        ({"state": "rejected_timedout"}, "The field state must be one of resolved, rejected, rejected_canceled."),
        ({"state": "done"}, "invalid state 'done'"),
        ({"state": "RESOLVED", "value": {"data": "%%%"}}, "The field value.data is not valid base64."),
        ({"state": 1}, "The field state must be a string, not a number."),
    ],
)
def test_malformed_complete_bodies(api: Api, body: dict[str, object], message: str) -> None:
    promise_id = unique()
    api.create(promise_id)
    reply = api.session.patch(f"{api.url}/promises/{promise_id}", json=body)
    assert reply.status_code == 400
    assert reply.json()["error"]["details"][0]["message"] == message
    assert api.read(promise_id).json()["state"] == "PENDING"  # nothing half-written


@pytest.mark.parametrize("value", ["yes", "2", "TrUe"])
def test_a_strict_header_that_is_not_a_boolean_is_400(api: Api, value: str) -> None:
    reply = api.session.post(f"{api.url}/promises", json={"id": unique()}, headers={"Strict": value})
    assert reply.status_code == 400


@pytest.mark.parametrize("value", ["1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"])
def test_strict_header_accepts_go_booleans(api: Api, value: str) -> None:
    reply = api.session.post(f"{api.url}/promises", json={"id": unique()}, headers={"Strict": value})
    assert reply.status_code == 201


def test_unknown_fields_are_ignored(api: Api) -> None:
    reply = api.session.post(f"{api.url}/promises", json={"id": unique(), "color": "blue"})
    assert reply.status_code == 201


def test_request_id_header_is_accepted_and_not_echoed(api: Api) -> None:
    reply = api.session.post(f"{api.url}/promises", json={"id": unique()}, headers={"Request-Id": "r-1"})
    assert reply.status_code == 201 and "Request-Id" not in reply.headers


def test_unknown_routes_answer_like_the_go_router(api: Api) -> None:
    reply = api.session.get(f"{api.url}/nothing/here")
    assert reply.status_code == 404 and reply.text == "404 page not found"
