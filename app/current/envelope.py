"""The request and response envelopes of the current protocol (§1).

Every request is `POST /` with `{kind, head: {corrId, version}, data}`; every answer
echoes `kind` and `corrId`, carries the status in `head.status` and as the HTTP
status, and holds either the kind's data or, for an error, a message string.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from flask import Response

VERSION = "2026-04-01"


@dataclass(frozen=True, slots=True)
class Envelope:
    kind: str
    corr_id: str
    data: dict[str, Any]
    auth: str | None  # head.auth: a raw JWT, read only when authentication is on


class Rejected(Exception):
    """A request answered with an error before (or instead of) reaching the kernel."""

    def __init__(self, status: int, message: str, kind: str = "unknown", corr_id: str = "0") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.kind = kind
        self.corr_id = corr_id


def read_envelope(body: bytes) -> Envelope:
    """The envelope checks of §1.4, in their order (1 to 4)."""
    try:
        envelope = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise Rejected(400, f"Invalid request envelope: {exc}") from None
    if not isinstance(envelope, dict):
        raise Rejected(400, "Invalid request envelope: expected an object")
    kind = envelope.get("kind")
    head = envelope.get("head")
    corr_id = head.get("corrId") if isinstance(head, dict) else None
    echo_kind = kind if isinstance(kind, str) else "unknown"
    echo_corr = corr_id if isinstance(corr_id, str) else "0"
    problem = _envelope_problem(envelope, kind, head)
    if problem:
        raise Rejected(400, f"Invalid request envelope: {problem}", echo_kind, echo_corr)
    assert isinstance(kind, str) and isinstance(head, dict) and isinstance(corr_id, str)
    if kind == "":
        raise Rejected(400, "Missing or invalid 'kind' field — must be a non-empty string", kind, corr_id)
    data = envelope["data"]
    if not isinstance(data, dict):
        raise Rejected(400, "Invalid 'data' field — must be an object", kind, corr_id)
    if head["version"] != VERSION:
        message = f"Unsupported protocol version '{head['version']}', supported versions: [\"{VERSION}\"]"
        raise Rejected(400, message, kind, corr_id)
    auth = head.get("auth")
    return Envelope(kind, corr_id, data, auth if isinstance(auth, str) else None)


def _envelope_problem(envelope: dict[str, Any], kind: Any, head: Any) -> str:
    if not isinstance(kind, str):
        return "missing or invalid field `kind`"
    if not isinstance(head, dict):
        return "missing or invalid field `head`"
    if "data" not in envelope:
        return "missing field `data`"
    if not isinstance(head.get("corrId"), str):
        return "missing or invalid field `head.corrId`"
    if not isinstance(head.get("version"), str):
        return "missing or invalid field `head.version`"
    return ""


def answer(kind: str, corr_id: str, status: int, data: Any) -> Response:
    """The response envelope, its status mirrored into the HTTP status (§1.2)."""
    body = {"kind": kind, "head": {"corrId": corr_id, "status": status, "version": VERSION}, "data": data}
    return Response(orjson.dumps(body), status=status, mimetype="application/json")


def rejected(error: Rejected) -> Response:
    return answer(error.kind, error.corr_id, error.status, error.message)
