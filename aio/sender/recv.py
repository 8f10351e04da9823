"""Resolving a stored receiver to a destination, when a message is sent (protocol §5.5).

A receiver is a logical name looked up in the targets ("default"), a URL string, or
an object {"type": "poll"|"http", "data"}. Poll URLs come in the forms every legacy
client writes: `poll://group[/id]` (0.4.x), `poll://any@group[/id]` and
`poll://uni@group/id` (0.5.x, 0.6.x): the group is the host, the id the path; `uni`
reaches only that exact stream, `any` (or none) that stream if connected, else any of
the group. Anything else can never be delivered (UnknownRecv), never a crash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import orjson

DEFAULT_TARGETS: dict[str, Any] = {"default": {"type": "poll", "data": {"group": "default"}}}
_CASTS = ("uni", "any")


@dataclass(frozen=True, slots=True)
class PollDestination:
    group: str
    id: str | None  # None: any connection of the group (never for notify)
    exact: bool = False  # uni: only the (group, id) stream


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
    if parts.scheme == "poll":
        cast, at, group = parts.netloc.rpartition("@")
        member = parts.path.removeprefix("/") or None
        if not group or (at and cast not in _CASTS) or parts.query or parts.fragment:
            raise UnknownRecv(f"unknown recv {text!r}")
        if cast == "uni" and member is None:
            raise UnknownRecv(f"recv {text!r} is unicast but names no stream")
        return PollDestination(group, member, exact=cast == "uni")
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
