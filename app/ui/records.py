"""What the dashboard shows of a record: both generations in the current protocol's shape,
values decoded once here (JSON when they are JSON, else the base64 as stored), and the
lineage links of either generation's tags."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import orjson

CURRENT = "current"
LEGACY = "legacy"
GENERATIONS = (CURRENT, LEGACY)

# (parent tag, root tag) of each generation's lineage
LINEAGE_TAGS = {CURRENT: ("resonate:parent", "resonate:origin"), LEGACY: ("resonate:parent", "resonate:root")}


def plain(data: Any) -> Any:
    """Wire data (with orjson Fragments inside) as plain Python objects."""
    return orjson.loads(orjson.dumps(data))


def value_view(value: Any) -> dict[str, Any]:
    """A Value {headers, data}: `json` holds the decoded JSON when data is base64 of JSON,
    `text` the decoded text when it is UTF-8, else only the base64 is there to show."""
    value = value if isinstance(value, dict) else {}
    data = value.get("data")
    view: dict[str, Any] = {
        "headers": value.get("headers") or {},
        "base64": data,
        "text": None,
        "json": None,
        "isJson": False,
    }
    if not isinstance(data, str) or data == "":
        return view
    try:
        text = base64.b64decode(data, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return view
    view["text"] = text
    try:
        view["json"] = orjson.loads(text)
        view["isJson"] = True
    except orjson.JSONDecodeError:
        pass
    return view


def promise_view(record: dict[str, Any], generation: str) -> dict[str, Any]:
    """A promise for a row or a page: decoded param and value, the function it runs (when
    its param is an SDK invocation), its parent and root, and the worker group it targets."""
    tags: dict[str, str] = record.get("tags") or {}
    parent_tag, root_tag = LINEAGE_TAGS[generation]
    param = value_view(record.get("param"))
    invocation = param["json"] if isinstance(param["json"], dict) else {}
    func = invocation.get("func") or invocation.get("name") or ""
    parent = tags.get(parent_tag)
    root = tags.get(root_tag)
    return {
        **record,
        "generation": generation,
        "param": param,
        "value": value_view(record.get("value")),
        "func": func if isinstance(func, str) else "",
        "parent": parent if parent and parent != record["id"] else None,
        "root": root if root and root != record["id"] else None,
        "group": group_of(tags.get("resonate:target") or tags.get("resonate:invoke") or ""),
    }


def with_timer(task: dict[str, Any], timer_at: int | None) -> dict[str, Any]:
    """A task with what its timer means: when its lease lapses (acquired) or when its
    execute is sent again (pending); other states have no timer."""
    if timer_at is not None and task["state"] == "acquired":
        task["leaseExpiresAt"] = timer_at
    elif timer_at is not None and task["state"] == "pending":
        task["retryAt"] = timer_at
    return task


def group_of(address: str) -> str | None:
    """The worker group of a poll address (poll://any@group/id, poll://uni@group/id, the
    legacy poll://group/id), or the address itself for http(s) targets."""
    if not address:
        return None
    scheme, sep, rest = address.partition("://")
    if not sep:
        return address
    if scheme != "poll":
        return address
    return rest.split("@", 1)[-1].split("/", 1)[0] or None
