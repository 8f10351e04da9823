"""The request headers the protocol honours."""

from __future__ import annotations

from flask import request

from app.http.limits import check_string
from app.http.validation import ValidationError

_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
_FALSE = {"0", "f", "F", "FALSE", "false", "False", ""}


def idempotency_key() -> str | None:
    """Absent means no key; an empty header is a key too."""
    key = request.headers.get("Idempotency-Key")
    return check_string("idempotency-key", key) if key is not None else None


def strict() -> bool:
    """Parsed like Go's strconv.ParseBool; absent or empty is false."""
    text = request.headers.get("Strict", "")
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValidationError(f"The header strict must be a boolean (true or false), not {text!r}.")
