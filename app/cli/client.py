"""The CLI's HTTP client: envelopes of the current protocol and the legacy REST routes,
with the failures turned into one-line errors and exit codes a script can tell apart."""

from __future__ import annotations

import uuid
from typing import Any

import click
import orjson
import urllib3

VERSION = "2026-04-01"

# exit codes
NOT_FOUND = 3
CONFLICT = 4
UNREACHABLE = 5
DENIED = 6
SERVER_ERROR = 7
REJECTED = 8  # invoke --wait: the function failed
EXIT_CODES = {404: NOT_FOUND, 409: CONFLICT, 401: DENIED, 403: DENIED}


class CliError(click.ClickException):
    """A one-line error with its own exit code."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class Client:
    def __init__(self, server: str, token: str | None, timeout_s: float = 10.0) -> None:
        self.server = server.rstrip("/")
        self.token = token
        self._http = urllib3.PoolManager(timeout=urllib3.Timeout(total=timeout_s), retries=False)

    def _request(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        try:
            data = orjson.dumps(body) if body is not None else None
            return self._http.request(method, self.server + path, body=data, headers=all_headers)
        except urllib3.exceptions.HTTPError as exc:
            raise CliError(f"cannot reach the server at {self.server}: {exc}", UNREACHABLE) from None

    def call(self, kind: str, data: dict[str, Any]) -> Any:
        """A current-protocol request; the answer's data, or a CliError for any status
        but 200."""
        head: dict[str, Any] = {"corrId": f"cli-{uuid.uuid4().hex}", "version": VERSION}
        if self.token:
            head["auth"] = self.token
        reply = self._request("POST", "/", {"kind": kind, "head": head, "data": data})
        try:
            envelope = orjson.loads(reply.data)
            status, answer = envelope["head"]["status"], envelope["data"]
        except (orjson.JSONDecodeError, KeyError, TypeError):
            raise CliError(f"the server answered {reply.status} without an envelope", SERVER_ERROR) from None
        if status != 200:
            raise CliError(f"{kind}: {status} {answer}", EXIT_CODES.get(status, SERVER_ERROR if status >= 500 else 1))
        return answer

    def legacy(self, method: str, path: str, body: Any = None) -> Any:
        """A legacy REST request (basic credentials go in the server URL)."""
        reply = self._request(method, path, body)
        if reply.status >= 400:
            try:
                message = orjson.loads(reply.data)["error"]["message"]
            except (orjson.JSONDecodeError, KeyError, TypeError):
                message = reply.data.decode(errors="replace")[:200]
            raise CliError(f"{method} {path}: {reply.status} {message}", EXIT_CODES.get(reply.status, 1))
        return orjson.loads(reply.data) if reply.data else None
