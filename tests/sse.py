"""A poll-stream client for tests: a plain socket reading server-sent events in HTTP
chunks on a thread, so a test can see the status, the headers, each event, and
whether the server ended the stream cleanly (a last empty chunk) or not."""

from __future__ import annotations

import contextlib
import queue
import socket
import threading
from typing import Any
from urllib.parse import urlsplit

import orjson


class EventStream:
    def __init__(
        self, poll_url: str, group: str, member: str, path: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        parts = urlsplit(poll_url)
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.ended = threading.Event()
        self.clean_end = False
        self.raw = bytearray()  # every byte of the body, for framing checks
        self._sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
        target = path if path is not None else f"/{group}/{member}"
        extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
        self._sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n{extra}\r\n".encode())
        self._file = self._sock.makefile("rb")
        self.status, self.headers = self._read_head()
        self._sock.settimeout(None)
        self._thread = threading.Thread(target=self._read_events, daemon=True)
        if self.status == 200:
            self._thread.start()
        else:
            self.ended.set()

    def _read_head(self) -> tuple[int, dict[str, str]]:
        status = int(self._file.readline().split()[1])
        headers: dict[str, str] = {}
        while (line := self._file.readline().strip()) != b"":
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        return status, headers

    def _read_events(self) -> None:
        pending = b""
        try:
            while True:
                size = int(self._file.readline().strip() or b"0", 16)
                if size == 0:
                    self.clean_end = True
                    return
                chunk = self._file.read(size)
                self.raw += chunk
                pending += chunk
                self._file.read(2)
                *events, pending = pending.split(b"\n\n")
                for event in events:
                    if event.startswith(b"data:"):
                        self.events.put(orjson.loads(event[5:]))
        except (OSError, ValueError):
            pass  # closed by the test, or cut by the server
        finally:
            self.ended.set()

    def next(self, timeout_s: float = 5.0) -> dict[str, Any]:
        return self.events.get(timeout=timeout_s)

    def nothing_within(self, seconds: float) -> bool:
        try:
            self.events.get(timeout=seconds)
        except queue.Empty:
            return True
        return False

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()
