"""The router: which new promises get an invoke task, and where it goes (protocol §6.1).

The `resonate:invoke` tag holds either a JSON object {"type", "data"} (a physical
receiver) or a plain string that is not JSON (a logical one: "default", "poll://g/id",
"http://..."). Any other JSON value matches nothing.
"""

from __future__ import annotations

import orjson

INVOKE_TAG = "resonate:invoke"


def invoke_recv(tags: dict[str, str]) -> str | None:
    """The receiver of the promise's invoke task as JSON text, or None for no task."""
    value = tags.get(INVOKE_TAG)
    if value is None:
        return None
    try:
        decoded = orjson.loads(value)
    except orjson.JSONDecodeError:
        return orjson.dumps(value).decode()  # a logical receiver, resolved when sending
    is_recv = (
        isinstance(decoded, dict)
        and set(decoded) == {"type", "data"}
        and isinstance(decoded["type"], str)
        and decoded["type"] != ""
        and decoded["data"] is not None
    )
    return orjson.dumps(decoded).decode() if is_recv else None
