"""Resolving a stored receiver to a destination, when a message is sent (protocol §5.5).

A receiver is a logical name looked up in the targets ("default"), a URL string
("poll://group/id", "http://host/path"), or an object {"type": "poll"|"http", "data"}.
Anything else is a send failure, never a crash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import orjson

DEFAULT_TARGETS: dict[str, Any] = {"default": {"type": "poll", "data": {"group": "default"}}}


@dataclass(frozen=True, slots=True)
class PollDestination:
    group: str
    id: str | None  # None: any connection of the group (never for notify)


@dataclass(frozen=True, slots=True)
class HttpDestination:
    url: str
    headers: dict[str, str] = field(default_factory=dict)


Destination = PollDestination | HttpDestination


class UnknownRecv(ValueError):
    pass


def resolve_recv(recv: str, targets: dict[str, Any] = DEFAULT_TARGETS) -> Destination:
    try:
        value = orjson.loads(recv)
    except orjson.JSONDecodeError:
        raise UnknownRecv(f"recv is not JSON: {recv!r}") from None
    if isinstance(value, str):
        if value in targets:
            value = targets[value]
        else:
            return _from_url(value)
    if isinstance(value, dict):
        return _from_object(value)
    raise UnknownRecv(f"recv must be a name, a URL or an object: {recv!r}")


def _from_url(text: str) -> Destination:
    parts = urlsplit(text)
    if parts.scheme in ("http", "https"):
        return HttpDestination(text)
    if parts.scheme == "poll" and parts.netloc:
        return PollDestination(parts.netloc, parts.path.lstrip("/") or None)
    raise UnknownRecv(f"unknown recv {text!r}")


def _from_object(value: dict[str, Any]) -> Destination:
    kind, data = value.get("type"), value.get("data")
    if not isinstance(data, dict):
        raise UnknownRecv(f"recv data must be an object: {value!r}")
    if kind == "poll" and isinstance(data.get("group"), str) and data["group"]:
        member = data.get("id")
        return PollDestination(data["group"], member if isinstance(member, str) and member else None)
    if kind == "http" and isinstance(data.get("url"), str):
        headers = data.get("headers") or {}
        if isinstance(headers, dict) and all(isinstance(v, str) for v in headers.values()):
            return HttpDestination(data["url"], headers)
    raise UnknownRecv(f"unknown recv {value!r}")
