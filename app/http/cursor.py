"""Search cursors: the whole next-page request, as an opaque URL-safe token."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import orjson

from app.http.body import ValidationError

_INVALID = "The field cursor is invalid."


def encode_cursor(next_page: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(next_page)).decode().rstrip("=")


def decode_cursor(token: str, fields: tuple[str, ...]) -> dict[str, Any]:
    """The next-page request in a cursor; a 400 unless it is one this server made."""
    try:
        payload = orjson.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError):
        raise ValidationError(_INVALID) from None
    valid = (
        isinstance(payload, dict)
        and set(payload) == set(fields)
        and isinstance(payload.get("id"), str)
        and payload["id"] != ""
        and isinstance(payload.get("tags"), dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in payload["tags"].items())
        and type(payload.get("limit")) is int
        and 1 <= payload["limit"] <= 100
        and type(payload.get("sortId")) is int
    )
    if not valid:
        raise ValidationError(_INVALID)
    return payload
