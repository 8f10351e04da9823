"""GET /promises/{id}: reads, and the timeout a read persists."""

from __future__ import annotations

from tests.conftest import Api, unique


def test_read_returns_the_stored_promise(api: Api) -> None:
    promise_id = unique()
    created = api.create(promise_id, key="k").json()
    reply = api.read(promise_id)
    assert reply.status_code == 200 and reply.json() == created


def test_read_of_an_unknown_id_is_404_with_the_error_body(api: Api) -> None:
    reply = api.read(unique())
    assert reply.status_code == 404
    error = reply.json()["error"]
    assert error["code"] == 4040
    assert error["message"] == "The specified promise was not found"
    assert error["details"][0]["@type"] == "RequestError"


def test_a_read_persists_the_timeout_it_finds(api: Api, store_of_server) -> None:  # type: ignore[no-untyped-def]
    promise_id = unique()
    api.create(promise_id, timeout=0)
    assert api.read(promise_id).json()["state"] == "REJECTED_TIMEDOUT"
    # stored as timed out, not just reported
    assert store_of_server.client.hget(f"{store_of_server.prefix}:promise:{promise_id}", "state") == (
        "REJECTED_TIMEDOUT"
    )


def test_a_sleep_promise_reads_as_resolved_once_due(api: Api) -> None:
    promise_id = unique()
    api.create(promise_id, timeout=1, tags={"resonate:timeout": "true"})
    body = api.read(promise_id).json()
    assert body["state"] == "RESOLVED" and body["completedOn"] == 1 and body["value"] == {}
