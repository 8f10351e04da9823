"""This process's open poll streams, each with a bounded message buffer."""

from __future__ import annotations

import contextlib
import queue
import select
import socket
import threading

POLL_INTERVAL_S = 0.5  # how often an idle stream checks that its worker is still there


def peer_gone(sock: socket.socket) -> bool:
    """True once the worker closed its end (a readable socket with nothing to read)."""
    readable, _, _ = select.select([sock], [], [], 0)
    if not readable:
        return False
    try:
        return sock.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


class Connection:
    """One stream: the sender offers messages, the stream's own thread writes them."""

    def __init__(self, group: str, member: str, buffer_size: int) -> None:
        self.group = group
        self.id = member
        self._messages: queue.Queue[bytes | None] = queue.Queue(maxsize=buffer_size)
        self.closed = threading.Event()

    def offer(self, body: bytes) -> bool:
        """Queue a message; False when closed or the buffer is full (a send failure)."""
        if self.closed.is_set():
            return False
        try:
            self._messages.put_nowait(body)
        except queue.Full:
            return False
        return True

    def next_message(self, timeout_s: float) -> bytes | None:
        """The next message, or None after timeout_s or once closed."""
        try:
            return self._messages.get(timeout=timeout_s)
        except queue.Empty:
            return None

    def close(self) -> None:
        self.closed.set()
        with contextlib.suppress(queue.Full):
            self._messages.put_nowait(None)  # wake the stream's thread


class LocalConnections:
    def __init__(self, max_connections: int = 1000, buffer_size: int = 100) -> None:
        self.max_connections = max_connections
        self._buffer_size = buffer_size
        self._lock = threading.Lock()
        self._open: dict[tuple[str, str], Connection] = {}

    def open(self, group: str, member: str) -> Connection | None:
        """A new stream for (group, id), replacing (and closing) an older one; None
        when the process already holds its maximum."""
        with self._lock:
            old = self._open.pop((group, member), None)
            if old is None and len(self._open) >= self.max_connections:
                return None
            connection = Connection(group, member, self._buffer_size)
            self._open[(group, member)] = connection
        if old is not None:
            old.close()
        return connection

    def close(self, connection: Connection) -> bool:
        """Close a stream; True if it was the current one for its (group, id)."""
        with self._lock:
            current = self._open.get((connection.group, connection.id)) is connection
            if current:
                del self._open[(connection.group, connection.id)]
        connection.close()
        return current

    def get(self, group: str, member: str) -> Connection | None:
        with self._lock:
            return self._open.get((group, member))

    def all(self) -> list[Connection]:
        with self._lock:
            return list(self._open.values())

    def close_all(self) -> None:
        for connection in self.all():
            self.close(connection)
