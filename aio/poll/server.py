"""The poll listener: GET /{group}/{id} opens a server-sent-event stream.

Each server process runs one, bound with SO_REUSEPORT so that all the gunicorn
workers share the port. A stream gets `data: <json>\\n\\n` per message, in HTTP chunks
flushed at once; it ends with a clean last chunk (never a reset) when replaced, when
the server stops, or when the worker goes away.
"""

from __future__ import annotations

import logging
import select
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

from aio.poll.connections import Connection, LocalConnections
from aio.poll.directory import PollDirectory

log = logging.getLogger(__name__)

_POLL_INTERVAL_S = 0.5  # how often an idle stream checks that its worker is still there


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def server_bind(self) -> None:
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        super().server_bind()


class PollServer:
    def __init__(self, host: str, port: int, directory: PollDirectory) -> None:
        self.directory = directory
        self.connections: LocalConnections = directory.local
        handler = type("PollHandler", (_StreamHandler,), {"poll": self})
        self._server = _Server((host, port), handler)
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._server.serve_forever, name="poll-server", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """End every stream cleanly, then stop listening."""
        self._server.shutdown()
        self.connections.close_all()
        self._server.server_close()


class _StreamHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    poll: PollServer

    def log_message(self, format: str, *args: object) -> None:
        log.debug("poll %s: " + format, self.address_string(), *args)

    def do_GET(self) -> None:
        parts = unquote(urlsplit(self.path).path).lstrip("/").split("/", 1)
        if len(parts) < 2:
            self._plain(400, "invalid request")
            return
        connection = self.poll.connections.open(parts[0], parts[1])
        if connection is None:
            self._plain(429, "too many requests")
            return
        self.poll.directory.register(connection)
        try:
            self._stream(connection)
        finally:
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
                body = connection.next_message(_POLL_INTERVAL_S)
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
        readable, _, _ = select.select([self.connection], [], [], 0)
        if not readable:
            return False
        try:
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def _plain(self, status: int, text: str) -> None:
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _not_allowed(self) -> None:
        self._plain(405, "method not allowed")

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _not_allowed
