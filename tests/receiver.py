"""An HTTP receiver for push tests: a real server on a free loopback port."""

from __future__ import annotations

import json
import queue
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Receiver:
    """A small HTTP server that records each POST (and when it came) and answers with
    the next of `statuses`, then `default_status`."""

    def __init__(self, default_status: int = 200) -> None:
        self.received: queue.Queue[tuple[dict[str, str], dict[str, Any]]] = queue.Queue()
        self.statuses: list[int] = []  # answered in order; default_status once exhausted
        self.times: list[float] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                receiver.times.append(time.monotonic())
                receiver.received.put((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else default_status
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
