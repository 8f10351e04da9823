"""HTTP push: messages POSTed to {"type":"http"} receivers, delivered only on a 200."""

from __future__ import annotations

import contextlib
import json
import queue
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.client import TimedSession
from tests.conftest import Api, ServerProcess, own_server, unique
from tests.receiver import Receiver

NEVER = 2**63 - 1


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


@pytest.fixture(scope="module")
def guarded_server(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server that may push only to 10.0.0.0/8 and *.example.com, not to loopback."""
    with own_server(
        redis_url,
        tmp_path_factory.mktemp("guarded"),
        RESONATE_WORKERS="1",
        RESONATE_HTTP_PUSH_ALLOW="10.0.0.0/8, *.example.com",
    ) as server:
        yield server


def test_a_destination_off_the_allow_list_is_never_posted_to(guarded_server: ServerProcess, receiver: Receiver) -> None:
    with TimedSession() as session:
        api = Api(guarded_server.url, session)
        api.create(unique(), tags={"resonate:invoke": receiver.url})
        with pytest.raises(queue.Empty):
            receiver.next(timeout_s=3)
    assert "not in RESONATE_HTTP_PUSH_ALLOW" in guarded_server.log_path.read_text()


def test_an_endless_reply_is_cut_and_the_message_still_counts(api: Api) -> None:
    """A receiver answering 200 with a body that never ends: at most 64 KiB are read,
    and the message is delivered once (not retried as if it had failed)."""
    posts: queue.Queue[int] = queue.Queue()

    class Endless(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            posts.put(1)
            self.send_response(200)
            self.send_header("Content-Length", str(10**12))
            self.end_headers()
            with contextlib.suppress(OSError):
                for _ in range(10_000):
                    self.wfile.write(b"x" * 65536)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Endless)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        api.create(unique(), tags={"resonate:invoke": f"http://127.0.0.1:{server.server_address[1]}/inbox"})
        assert posts.get(timeout=5) == 1
        with pytest.raises(queue.Empty):
            posts.get(timeout=3)  # delivered: no second attempt
    finally:
        server.shutdown()
        server.server_close()
