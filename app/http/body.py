"""Reading JSON request bodies the way the Resonate server does.

Keys match case-insensitively, unknown keys are ignored, null counts as absent, and a
value of the wrong type is a 400 naming the field. Integers are signed 64-bit.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

import orjson

from app.http import limits
from app.http.validation import ValidationError
from kernel.promise import EMPTY_VALUE

__all__ = ["Body", "ValidationError", "parse_body"]

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def parse_body(raw: bytes) -> Body:
    """The request body as a JSON object (an empty or null body is an empty object
    only where no field is required; the required checks then report it)."""
    if not raw.strip():
        raise ValidationError("The request body is empty: expected a JSON object.")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ValidationError(f"The request body is not valid JSON: {exc}.") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ValidationError(f"The request body must be a JSON object, not {_json_type(data)}.")
    return Body(data)


class Body:
    """One JSON object of a request, read field by field."""

    def __init__(self, data: dict[str, Any], path: str = "") -> None:
        self._fields = {key.lower(): value for key, value in data.items()}
        self._path = path

    def _name(self, name: str) -> str:
        return f"{self._path}{name}".lower()

    def get(self, name: str) -> Any:
        """The raw value of a field, None when absent or null."""
        return self._fields.get(name.lower())

    def string(self, name: str, required: bool = False) -> str:
        value = self.get(name)
        if value is None:
            value = ""
        elif not isinstance(value, str):
            raise ValidationError(f"The field {self._name(name)} must be a string, not {_json_type(value)}.")
        if required and value == "":
            raise ValidationError(f"The field {self._name(name)} is required.")
        return limits.check_string(self._name(name), value)

    def int64(self, name: str, default: int = 0, required: bool = False, minimum: int | None = None) -> int:
        value = self.get(name)
        if value is None:
            if required:
                raise ValidationError(f"The field {self._name(name)} is required.")
            return default
        if type(value) is not int or not INT64_MIN <= value <= INT64_MAX:
            raise ValidationError(f"The field {self._name(name)} must be a 64-bit integer, not {_json_repr(value)}.")
        if minimum is not None and value < minimum:
            raise ValidationError(f"The field {self._name(name)} must be at least {minimum}.")
        return value

    def string_map(self, name: str) -> dict[str, str]:
        value = self.get(name)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise ValidationError(
                f"The field {self._name(name)} must be an object of strings, not {_json_type(value)}."
            )
        out: dict[str, str] = {}
        for key, item in value.items():
            if item is None:
                item = ""
            elif not isinstance(item, str):
                raise ValidationError(f"The field {self._name(name)}.{key} must be a string, not {_json_type(item)}.")
            out[key] = item
        limits.check_tags(self._name(name), out)
        return out

    def json_text(self, name: str, required: bool = False) -> str:
        """Any JSON value (such as a receiver), kept as compact JSON text."""
        value = self.get(name)
        if value is None:
            if required:
                raise ValidationError(f"The field {self._name(name)} is required.")
            return "null"
        return limits.check_string(self._name(name), orjson.dumps(value).decode(), limits.MAX_RECV)

    def object(self, name: str) -> Body:
        value = self.get(name)
        if value is None:
            return Body({}, f"{self._path}{name}.")
        if not isinstance(value, dict):
            raise ValidationError(f"The field {self._name(name)} must be an object, not {_json_type(value)}.")
        return Body(value, f"{self._path}{name}.")

    def value(self, name: str) -> str:
        """A Value ({headers, data}) as canonical JSON text, empty parts left out."""
        body = self.object(name)
        headers = body.string_map("headers")
        data = body.get("data")
        payload = b""
        if data is not None:
            if not isinstance(data, str):
                raise ValidationError(
                    f"The field {self._name(name)}.data must be a base64 string, not {_json_type(data)}."
                )
            try:
                payload = base64.b64decode(data, validate=True)
            except (binascii.Error, ValueError):
                raise ValidationError(f"The field {self._name(name)}.data is not valid base64.") from None
        out: dict[str, Any] = {}
        if headers:
            out["headers"] = headers
        if payload:
            out["data"] = base64.b64encode(payload).decode()
        return orjson.dumps(out).decode() if out else EMPTY_VALUE


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return "null"


def _json_repr(value: Any) -> str:
    return orjson.dumps(value).decode() if isinstance(value, int | float | bool) else _json_type(value)
