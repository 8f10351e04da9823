"""Limits at the edge: a body over RESONATE_MAX_BODY_SIZE is a 413, fields meant for
names and tags are bounded (400), and a promise holds a bounded number of callbacks.
Each answer has the usual JSON error body saying what is wrong."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.client import TimedSession
from tests.conftest import Api, ServerProcess, own_server, unique
from tests.sse import EventStream

NEVER = 2**63 - 1


@pytest.fixture(scope="module")
def small_server(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with own_server(
        redis_url,
        tmp_path_factory.mktemp("limits"),
        RESONATE_MAX_BODY_SIZE="65536",
        RESONATE_MAX_CALLBACKS="3",
        RESONATE_WORKERS="1",
    ) as server:
        yield server


@pytest.fixture
def small(small_server: ServerProcess) -> Iterator[Api]:
    with TimedSession() as session:
        yield Api(small_server.url, session)


def error_of(reply) -> dict:  # type: ignore[no-untyped-def,type-arg]
    assert reply.headers["Content-Type"].startswith("application/json")
    return reply.json()["error"]


def test_a_body_over_the_limit_is_a_413(small: Api) -> None:
    reply = small.session.post(f"{small.url}/promises", data=b'{"id": "' + b"x" * 70_000 + b'"}')
    assert reply.status_code == 413
    error = error_of(reply)
    assert error["code"] == 4130 and "65536 bytes" in error["details"][0]["message"]


def test_a_body_under_the_limit_is_read(small: Api) -> None:
    assert small.create(unique(), param={"data": "eHh4" * 10_000}).status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"id": "x" * 4097}, "id"),
        ({"id": "ok", "tags": {f"t{n}": "v" for n in range(101)}}, "tags"),
        ({"id": "ok", "tags": {"k" * 257: "v"}}, "tags key"),
        ({"id": "ok", "tags": {"k": "v" * 4097}}, "tags.k"),
    ],
)
def test_oversized_fields_are_a_400_naming_the_field(api: Api, body: dict, field: str) -> None:  # type: ignore[type-arg]
    reply = api.session.post(f"{api.url}/promises", json={"timeout": NEVER, **body})
    assert reply.status_code == 400
    assert field in error_of(reply)["details"][0]["message"]


def test_limits_hold_at_their_bounds(api: Api) -> None:
    promise_id = unique() + "x" * 4000
    tags = {f"{'k' * 250}{n}": "v" * 4096 for n in range(100)}
    assert api.create(promise_id, tags=tags).status_code == 201
    assert api.read(promise_id).status_code == 200


def test_an_oversized_idempotency_key_or_path_id_is_a_400(api: Api) -> None:
    reply = api.create(unique(), key="k" * 4097)
    assert reply.status_code == 400 and "idempotency-key" in error_of(reply)["details"][0]["message"]
    reply = api.read("x" * 5000)
    assert reply.status_code == 400 and "promise_id" in error_of(reply)["details"][0]["message"]


def test_an_oversized_receiver_is_a_400(api: Api) -> None:
    promise_id = unique()
    api.create(promise_id)
    body = {"id": "s", "promiseId": promise_id, "timeout": NEVER, "recv": "poll://" + "g" * 5000}
    reply = api.session.post(f"{api.url}/subscriptions", json=body)
    assert reply.status_code == 400 and "recv" in error_of(reply)["details"][0]["message"]


def test_a_promise_holds_a_bounded_number_of_callbacks(small: Api) -> None:
    promise_id = unique()
    small.create(promise_id)
    for n in range(3):
        body = {"id": f"s{n}", "promiseId": promise_id, "timeout": NEVER, "recv": "poll://g/w"}
        assert small.session.post(f"{small.url}/subscriptions", json=body).status_code == 201
    again = {"id": "s0", "promiseId": promise_id, "timeout": NEVER, "recv": "poll://g/w"}
    assert small.session.post(f"{small.url}/subscriptions", json=again).status_code == 200  # a repeat is fine
    over = {"id": "s3", "promiseId": promise_id, "timeout": NEVER, "recv": "poll://g/w"}
    reply = small.session.post(f"{small.url}/subscriptions", json=over)
    assert reply.status_code == 400 and "3 callbacks" in error_of(reply)["details"][0]["message"]


def test_an_oversized_poll_path_is_a_400(server: ServerProcess) -> None:
    stream = EventStream(server.poll_url, "", "", path="/g/" + "x" * 2000)
    assert stream.status == 400
    stream.close()
