"""`resonate invoke` (start a function on current-protocol workers) and `resonate tree`
(the call graph of a root, from the lineage tags of either generation)."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

import click
import orjson
from rich.tree import Tree

from app.cli.client import REJECTED, Client, CliError
from app.cli.output import console, decoded, duration, emit_json, encoded, parse_duration
from app.cli.records import now_ms
from app.shapes import legacy_as_current

SETTLED_WAIT_S = 0.5  # how often invoke --wait looks


def invocation(func: str, args: list[Any], version: int) -> dict[str, str]:
    """The param the SDKs read: {func, args, kwargs, version} as JSON, base64."""
    text = orjson.dumps({"func": func, "args": args, "kwargs": {}, "version": version}).decode()
    return encoded(text)


@click.command()
@click.argument("promise_id")
@click.option("--func", required=True, help="The registered function's name.")
@click.option("--arg", "args", multiple=True, metavar="JSON", help="An argument, as JSON (repeatable).")
@click.option("--target", default="poll://any@default", show_default=True, help="Workers' address, or a group name.")
@click.option("--timeout", default="1h", show_default=True, help="Time the function has (30s, 5m, 1h, 2d).")
@click.option("--delay", help="Start it only after this long (5s, 1m).")
@click.option("--version", "func_version", default=1, show_default=True, help="The function's registered version.")
@click.option("--wait", is_flag=True, help="Wait for the result, with a spinner.")
@click.pass_obj
def invoke(
    ctx: dict[str, Any],
    promise_id: str,
    func: str,
    args: tuple[str, ...],
    target: str,
    timeout: str,
    delay: str | None,
    func_version: int,
    wait: bool,
) -> None:
    """Start FUNC on current-protocol workers as the root promise PROMISE_ID."""
    client: Client = ctx["client"]
    try:
        arguments = [orjson.loads(arg) for arg in args]
    except orjson.JSONDecodeError as exc:
        raise click.BadParameter(f"not JSON: {exc}", param_hint="--arg") from None
    address = target if "://" in target else f"poll://any@{target}"
    now = now_ms()
    tags = {
        "resonate:origin": promise_id,
        "resonate:branch": promise_id,
        "resonate:parent": promise_id,
        "resonate:scope": "global",
        "resonate:target": address,
    }
    if delay:
        tags["resonate:delay"] = str(now + parse_duration(delay))
    request = {
        "id": promise_id,
        "timeoutAt": now + parse_duration(timeout),
        "param": invocation(func, arguments, func_version),
        "tags": tags,
    }
    promise = client.call("promise.create", request)["promise"]
    if wait and promise["state"] == "pending":
        with console.status(f"running {func} as {promise_id}…", spinner="dots"):
            while promise["state"] == "pending":
                time.sleep(SETTLED_WAIT_S)
                promise = client.call("promise.get", {"id": promise_id})["promise"]
    if ctx["json"]:
        emit_json(promise)
    elif wait:
        click.echo(f"{promise['state']}: {decoded(promise.get('value'))}")
    else:
        click.echo(f"invoked {func} as {promise_id} ({promise['state']}); follow it with: resonate tree {promise_id}")
    if wait and promise["state"] != "resolved":
        raise CliError(f"{promise_id} {promise['state']}", REJECTED)


def lineage(client: Client, root: str) -> list[dict[str, Any]]:
    """The root and every promise of its lineage: current-protocol origin tags first,
    else the legacy root tags."""
    try:
        found = [client.call("promise.get", {"id": root})["promise"]]
        found += _pages(lambda cursor: client.call("promise.search", _search(root, cursor)), "promises")
        return found
    except CliError as error:
        if error.exit_code != 3:
            raise
    found = [legacy_as_current(client.legacy("GET", f"/promises/{quote(root, safe='')}"))]
    query = f"/promises?id=*&tags[resonate:root]={quote(root, safe='')}&limit=100"
    children = _pages(
        lambda cursor: client.legacy("GET", query + (f"&cursor={quote(cursor)}" if cursor else "")), "promises"
    )
    return found + [legacy_as_current(p) for p in children if p["id"] != root]


def _search(root: str, cursor: str | None) -> dict[str, Any]:
    return {"tags": {"resonate:origin": root}, "limit": 1000, **({"cursor": cursor} if cursor else {})}


def _pages(fetch: Any, field: str, most: int = 50) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    cursor = None
    for _ in range(most):  # at most 50 pages
        page = fetch(cursor)
        records += page[field]
        cursor = page.get("cursor")
        if not cursor:
            break
    return records


def label(promise: dict[str, Any]) -> str:
    state = promise["state"]
    colour = {"pending": "yellow", "resolved": "green"}.get(state, "red")
    created, settled = promise.get("createdAt"), promise.get("settledAt")
    took = ""
    if created is not None:
        took = duration((settled if settled is not None else now_ms()) - created)
        took = took if settled is not None else f"running {took}"
    param = decoded(promise.get("param"))
    invocation = orjson.loads(param) if param.startswith("{") else None
    func = invocation.get("func", "") if isinstance(invocation, dict) else ""
    name = f" {func}" if func else ""
    return f"[bold]{promise['id']}[/bold]{name} [{colour}]{state}[/{colour}] {took}"


@click.command()
@click.argument("root_id")
@click.pass_obj
def tree(ctx: dict[str, Any], root_id: str) -> None:
    """The call graph of ROOT_ID as an indented tree with states and durations."""
    promises = lineage(ctx["client"], root_id)
    if ctx["json"]:
        emit_json({"promises": promises})
        return
    by_id = {p["id"]: p for p in promises}
    children: dict[str, list[str]] = {}
    for promise in promises:
        tags = promise.get("tags", {})
        parent = tags.get("resonate:parent") or tags.get("resonate:root")
        if promise["id"] != root_id and parent in by_id and parent != promise["id"]:
            children.setdefault(parent, []).append(promise["id"])
        elif promise["id"] != root_id:
            children.setdefault(root_id, []).append(promise["id"])
    view = Tree(label(by_id[root_id]))

    def grow(node: Tree, promise_id: str, depth: int) -> None:
        for child in sorted(children.get(promise_id, [])):
            branch = node.add(label(by_id[child]))
            if depth < 100:
                grow(branch, child, depth + 1)

    grow(view, root_id, 0)
    console.print(view)
