"""HTTP push: messages POSTed to {"type":"http"} receivers, delivered only on a 200."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.conftest import Api, unique

NEVER = 2**63 - 1


class Receiver:
    """A small HTTP server that records each POST and answers with `status`."""

    def __init__(self) -> None:
        self.received: queue.Queue[tuple[dict[str, str], dict[str, Any]]] = queue.Queue()
        self.statuses: list[int] = []  # answered in order; 200 once exhausted
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                receiver.received.put((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/inbox"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def next(self, timeout_s: float = 5.0) -> tuple[dict[str, str], dict[str, Any]]:
        return self.received.get(timeout=timeout_s)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def test_invoke_is_posted_with_the_receivers_headers(api: Api, receiver: Receiver) -> None:
    recv = {"type": "http", "data": {"url": receiver.url, "headers": {"X-Token": "t1"}}}
    api.create(unique(), tags={"resonate:invoke": json.dumps(recv)})
    headers, body = receiver.next()
    assert body["type"] == "invoke" and body["task"]["counter"] == 1
    assert headers["X-Token"] == "t1" and headers["Content-Type"] == "application/json"
    assert set(body["href"]) == {"claim", "complete", "heartbeat"}


def test_a_plain_url_receiver(api: Api, receiver: Receiver) -> None:
    api.create(unique(), tags={"resonate:invoke": receiver.url})
    assert receiver.next()[1]["type"] == "invoke"


def test_any_status_but_200_is_a_failure_and_is_retried_with_the_same_counter(api: Api, receiver: Receiver) -> None:
    receiver.statuses = [500, 201]
    api.create(unique(), tags={"resonate:invoke": receiver.url})
    counters = [receiver.next(timeout_s=5)[1]["task"]["counter"] for _ in range(3)]
    assert counters == [1, 1, 1]  # the third, answered 200, is delivered


def test_resume_and_notify_are_pushed(api: Api, receiver: Receiver) -> None:
    root, leaf = unique("root"), unique("leaf")
    api.create(root)
    api.create(leaf)
    http_recv = {"type": "http", "data": {"url": receiver.url}}
    callback = {"id": "c", "promiseId": leaf, "rootPromiseId": root, "timeout": NEVER, "recv": http_recv}
    assert api.session.post(f"{api.url}/callbacks", json=callback).status_code == 201
    subscription = {"id": "s", "promiseId": leaf, "timeout": NEVER, "recv": receiver.url}
    assert api.session.post(f"{api.url}/subscriptions", json=subscription).status_code == 201
    api.complete(leaf, "RESOLVED")
    types = sorted(receiver.next()[1]["type"] for _ in range(2))
    assert types == ["notify", "resume"]
