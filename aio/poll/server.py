"""The poll listener: GET /{group}/{id} opens a server-sent-event stream.

Each server process runs one on the poll socket the gunicorn master bound and all its
workers share. A stream gets `data: <json>\\n\\n` per message, in HTTP chunks flushed
at once; it ends with a clean last chunk (never a reset) when replaced, when the
server stops, or when the worker goes away.

A connection costs a thread, so the limit is checked before one is spent (a refused
connection gets its 429 from the accepting thread), and a connection that sends no
request line within HEADER_TIMEOUT_S is dropped.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

from aio.poll.connections import POLL_INTERVAL_S, Connection, LocalConnections, peer_gone
from aio.poll.directory import PollDirectory
from kernel import metrics
from kernel.supervise import start_thread

log = logging.getLogger(__name__)

HEADER_TIMEOUT_S = 5.0  # a connection must send its request within this
WRITE_TIMEOUT_S = 30.0  # a stream whose worker reads nothing for this long is dropped
MAX_PATH = 1024
_HANDSHAKE_SLACK = 16  # connections still sending their request line, beyond the streams
_TOO_MANY = (
    b"HTTP/1.1 429 Too Many Requests\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Content-Length: 17\r\nConnection: close\r\n\r\ntoo many requests"
)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, listener: socket.socket, handler: Any, max_threads: int) -> None:
        super().__init__(listener.getsockname()[:2], handler, bind_and_activate=False)
        self.socket.close()
        # Every worker process selects on this one socket; all wake on a connection and
        # one wins it. Non-blocking, the others' accept fails at once instead of
        # blocking until the next connection (and blocking shutdown meanwhile).
        listener.setblocking(False)
        self.socket = listener
        self._max_threads = max_threads
        self._threads_in_use = 0
        self._count_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._count_lock:
            full = self._threads_in_use >= self._max_threads
            if not full:
                self._threads_in_use += 1
        if full:
            with contextlib.suppress(OSError):
                request.sendall(_TOO_MANY)
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A worker that hangs up mid-request is routine, not a traceback on stderr."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            log.debug("poll: %s went away: %s", client_address, error)
        else:
            log.exception("poll: request from %s failed", client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._count_lock:
                self._threads_in_use -= 1


class PollServer:
    def __init__(
        self,
        listener: socket.socket,
        directory: PollDirectory,
        on_connect: Callable[[str], None] = lambda group: None,
        allows: Callable[[str | None], bool] | None = None,
    ) -> None:
        self.directory = directory
        self.allows = allows  # checks the Authorization header, when auth is on
        self.on_connect = on_connect  # told the group of each stream that opens
        self.connections: LocalConnections = directory.local
        handler = type("PollHandler", (_StreamHandler,), {"poll": self})
        self._server = _Server(listener, handler, self.connections.max_connections + _HANDSHAKE_SLACK)
        self._thread: threading.Thread | None = None

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        self._thread = start_thread(self._server.serve_forever, "poll-server")

    def stop(self) -> None:
        """Stop accepting, release every stream in Redis (so messages are not sent to
        this process meanwhile), then end each stream cleanly."""
        thread, self._thread = self._thread, None
        if thread is None:
            return  # never started, or stopped already
        if thread.is_alive():
            self._server.shutdown()  # waits for serve_forever to return: only while it runs
        open_streams = self.connections.all()
        self.directory.release_all(open_streams)
        self.connections.close_all()
        self._server.server_close()


class _StreamHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = HEADER_TIMEOUT_S  # applies to reading the request line and headers
    poll: PollServer

    def log_message(self, format: str, *args: object) -> None:
        log.debug("poll %s: " + format, self.address_string(), *args)

    def do_GET(self) -> None:
        if self.poll.allows is not None and not self.poll.allows(self.headers.get("Authorization")):
            self._plain(401, "Unauthorized", {"WWW-Authenticate": 'Basic realm="resonate", charset="UTF-8"'})
            return
        path = urlsplit(self.path).path
        if len(path) > MAX_PATH:
            self._plain(400, f"the path must be at most {MAX_PATH} characters long")
            return
        parts = unquote(path).lstrip("/").split("/", 1)
        if len(parts) < 2:
            self._plain(400, "invalid request: expected /{group}/{id}")
            return
        connection = self.poll.connections.open(parts[0], parts[1])
        if connection is None:
            self._plain(429, "too many requests")
            return
        self.connection.settimeout(WRITE_TIMEOUT_S)
        self.poll.directory.register(connection)
        self.poll.on_connect(connection.group)
        metrics.POLL_STREAMS.labels("legacy").inc()
        try:
            self._stream(connection)
        finally:
            metrics.POLL_STREAMS.labels("legacy").dec()
            if self.poll.connections.close(connection):
                self.poll.directory.unregister(connection)

    def _stream(self, connection: Connection) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "keep-alive")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()
        try:
            while not connection.closed.is_set():
                body = connection.next_message(POLL_INTERVAL_S)
                if body is not None:
                    self._chunk(b"data: " + body + b"\n\n")
                elif self._peer_gone():
                    return
            self._chunk(b"")  # the last chunk: a clean end, so the worker reconnects
        except OSError:
            pass  # the worker went away mid-write
        self.close_connection = True

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _peer_gone(self) -> bool:
        return peer_gone(self.connection)

    def _plain(self, status: int, text: str, headers: dict[str, str] | None = None) -> None:
        body = text.encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _not_allowed(self) -> None:
        self._plain(405, "method not allowed")

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _not_allowed
