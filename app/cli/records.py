"""`resonate promises|tasks|schedules …`: read and change records, over the current
protocol by default or the legacy REST API with --legacy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import click

from app.cli.client import Client
from app.cli.output import decoded, emit_json, encoded, parse_duration, table, when
from app.shapes import legacy_as_current, legacy_schedule_as_current
from kernel.system import wall_clock_ms as now_ms

LEGACY_STATES = {"pending", "resolved", "rejected", "rejected_canceled", "rejected_timedout"}


def tags_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--tag", "tags", multiple=True, metavar="KEY=VALUE", help="A tag (repeatable).")(function)


def legacy_option(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--legacy", is_flag=True, help="Use the legacy REST API (resonate-sdk 0.4 to 0.6 records).")(
        function
    )


def parse_tags(pairs: tuple[str, ...]) -> dict[str, str]:
    tags = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name:
            raise click.BadParameter(f"expected KEY=VALUE, got {pair!r}", param_hint="--tag")
        tags[name] = value
    return tags


def show_promises(promises: list[dict[str, Any]], as_json: bool, cursor: str | None = None) -> None:
    if as_json:
        emit_json({"promises": promises, **({"cursor": cursor} if cursor else {})})
        return
    rows = [
        [
            p["id"],
            p["state"],
            when(p.get("createdAt")),
            when(p["timeoutAt"]),
            when(p.get("settledAt")),
            decoded(p.get("value")),
            " ".join(f"{k}={v}" for k, v in sorted(p.get("tags", {}).items())),
        ]
        for p in promises
    ]
    table(["id", "state", "created", "timeout", "settled", "value", "tags"], rows)
    if cursor:
        click.echo(f"more: --cursor {cursor}")


@click.group()
def promises() -> None:
    """Read, create, settle and search promises."""


@promises.command("get")
@click.argument("promise_id")
@legacy_option
@click.pass_obj
def get_promise(ctx: dict[str, Any], promise_id: str, legacy: bool) -> None:
    """Show a promise."""
    client: Client = ctx["client"]
    if legacy:
        promise = legacy_as_current(client.legacy("GET", f"/promises/{quote(promise_id, safe='')}"))
    else:
        promise = client.call("promise.get", {"id": promise_id})["promise"]
    if ctx["json"]:
        emit_json(promise)
        return
    show_promises([promise], False)
    if promise.get("param"):
        click.echo(f"param: {decoded(promise['param'])}")


@promises.command("create")
@click.argument("promise_id")
@click.option("--timeout", default="1h", show_default=True, help="Time to settle it in (500ms, 30s, 5m, 1h, 2d).")
@click.option("--data", help="The param, as JSON.")
@click.option("--target", help="Address of the workers to run it (current protocol): poll://any@group or a URL.")
@tags_option
@legacy_option
@click.pass_obj
def create_promise(
    ctx: dict[str, Any],
    promise_id: str,
    timeout: str,
    data: str | None,
    target: str | None,
    tags: tuple[str, ...],
    legacy: bool,
) -> None:
    """Create a promise (an existing one is shown as it is)."""
    client: Client = ctx["client"]
    all_tags = parse_tags(tags)
    deadline = now_ms() + parse_duration(timeout)
    if legacy:
        body = {"id": promise_id, "timeout": deadline, "param": encoded(data), "tags": all_tags}
        promise = legacy_as_current(client.legacy("POST", "/promises", body))
    else:
        if target:
            all_tags["resonate:target"] = target
        request = {"id": promise_id, "timeoutAt": deadline, "param": encoded(data), "tags": all_tags}
        promise = client.call("promise.create", request)["promise"]
    emit_json(promise) if ctx["json"] else show_promises([promise], False)


def _settle(state: str) -> Callable[..., None]:
    @click.argument("promise_id")
    @click.option("--data", help="The value, as JSON.")
    @legacy_option
    @click.pass_obj
    def settle(ctx: dict[str, Any], promise_id: str, data: str | None, legacy: bool) -> None:
        client: Client = ctx["client"]
        if legacy:
            body = {"state": state.upper(), "value": encoded(data)}
            promise = legacy_as_current(client.legacy("PATCH", f"/promises/{quote(promise_id, safe='')}", body))
        else:
            request = {"id": promise_id, "state": state, "value": encoded(data)}
            promise = client.call("promise.settle", request)["promise"]
        emit_json(promise) if ctx["json"] else show_promises([promise], False)

    return settle


promises.command("resolve", help="Resolve a pending promise.")(_settle("resolved"))
promises.command("reject", help="Reject a pending promise.")(_settle("rejected"))
promises.command("cancel", help="Cancel a pending promise.")(_settle("rejected_canceled"))


@promises.command("search")
@click.option("--id", "id_glob", default="*", show_default=True, help="An id glob (legacy API only).")
@click.option("--state", type=click.Choice(sorted(LEGACY_STATES)), help="Only promises in this state.")
@tags_option
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--cursor", help="Where the previous page ended.")
@legacy_option
@click.pass_obj
def search_promises(
    ctx: dict[str, Any],
    id_glob: str,
    state: str | None,
    tags: tuple[str, ...],
    limit: int,
    cursor: str | None,
    legacy: bool,
) -> None:
    """Search promises, a page at a time."""
    client: Client = ctx["client"]
    if legacy:
        params = [("id", id_glob), ("limit", str(limit))]
        if state:
            params.append(("state", state.split("_")[0]))
        params += [(f"tags[{k}]", v) for k, v in parse_tags(tags).items()]
        if cursor:
            params.append(("cursor", cursor))
        query = "&".join(f"{quote(k)}={quote(v)}" for k, v in params)
        page = client.legacy("GET", f"/promises?{query}")
        show_promises([legacy_as_current(p) for p in page["promises"]], ctx["json"], page.get("cursor"))
        return
    if id_glob != "*":
        raise click.UsageError("--id needs --legacy: the current protocol searches by state and tags")
    request: dict[str, Any] = {"tags": parse_tags(tags), "limit": limit}
    if state:
        request["state"] = state
    if cursor:
        request["cursor"] = cursor
    page = client.call("promise.search", request)
    show_promises(page["promises"], ctx["json"], page.get("cursor"))


# -- tasks -----------------------------------------------------------------------------------


def show_tasks(tasks: list[dict[str, Any]], as_json: bool, cursor: str | None = None) -> None:
    if as_json:
        emit_json({"tasks": tasks, **({"cursor": cursor} if cursor else {})})
        return
    rows = [
        [t["id"], t["state"], str(t["version"]), str(t["resumes"]), t.get("pid", ""), str(t.get("ttl", ""))]
        for t in tasks
    ]
    table(["id", "state", "version", "resumes", "held by", "ttl ms"], rows)
    if cursor:
        click.echo(f"more: --cursor {cursor}")


@click.group()
def tasks() -> None:
    """Read and search tasks (current protocol)."""


@tasks.command("get")
@click.argument("task_id")
@click.pass_obj
def get_task(ctx: dict[str, Any], task_id: str) -> None:
    """Show a task."""
    task = ctx["client"].call("task.get", {"id": task_id})["task"]
    emit_json(task) if ctx["json"] else show_tasks([task], False)


@tasks.command("search")
@click.option("--state", type=click.Choice(["pending", "acquired", "suspended", "halted", "fulfilled"]))
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--cursor", help="Where the previous page ended.")
@click.pass_obj
def search_tasks(ctx: dict[str, Any], state: str | None, limit: int, cursor: str | None) -> None:
    """Search tasks, a page at a time."""
    request: dict[str, Any] = {"limit": limit, **({"state": state} if state else {})}
    if cursor:
        request["cursor"] = cursor
    page = ctx["client"].call("task.search", request)
    show_tasks(page["tasks"], ctx["json"], page.get("cursor"))


# -- schedules --------------------------------------------------------------------------------


def show_schedules(schedules: list[dict[str, Any]], as_json: bool, cursor: str | None = None) -> None:
    if as_json:
        emit_json({"schedules": schedules, **({"cursor": cursor} if cursor else {})})
        return
    rows = [
        [
            s["id"],
            s["cron"],
            s["promiseId"],
            when(s.get("nextRunAt")),
            when(s.get("lastRunAt")),
            " ".join(f"{k}={v}" for k, v in sorted(s.get("promiseTags", {}).items())),
        ]
        for s in schedules
    ]
    table(["id", "cron", "promise id", "next run", "last run", "promise tags"], rows)
    if cursor:
        click.echo(f"more: --cursor {cursor}")


@click.group()
def schedules() -> None:
    """Create, read, delete and search schedules."""


@schedules.command("create")
@click.argument("schedule_id")
@click.option("--cron", required=True, help="Cron expression (5 fields, or 6 with seconds), UTC.")
@click.option("--promise-id", default="{{.id}}-{{.timestamp}}", show_default=True, help="Id template of each run.")
@click.option("--promise-timeout", default="1h", show_default=True, help="Time each run's promise has.")
@click.option("--target", default="poll://any@default", show_default=True, help="Where runs go (current protocol).")
@click.option("--data", help="Each run's param, as JSON.")
@tags_option
@legacy_option
@click.pass_obj
def create_schedule(
    ctx: dict[str, Any],
    schedule_id: str,
    cron: str,
    promise_id: str,
    promise_timeout: str,
    target: str,
    data: str | None,
    tags: tuple[str, ...],
    legacy: bool,
) -> None:
    """Create a schedule (an existing one is shown as it is)."""
    client: Client = ctx["client"]
    timeout = parse_duration(promise_timeout)
    all_tags = parse_tags(tags)
    if legacy:
        body = {
            "id": schedule_id,
            "cron": cron,
            "promiseId": promise_id,
            "promiseTimeout": timeout,
            "promiseParam": encoded(data),
            "promiseTags": all_tags,
        }
        schedule = legacy_schedule_as_current(client.legacy("POST", "/schedules", body))
    else:
        request = {
            "id": schedule_id,
            "cron": cron,
            "promiseId": promise_id,
            "promiseTimeout": timeout,
            "promiseParam": encoded(data),
            "promiseTags": {**all_tags, "resonate:target": target},
        }
        schedule = client.call("schedule.create", request)["schedule"]
    emit_json(schedule) if ctx["json"] else show_schedules([schedule], False)


@schedules.command("get")
@click.argument("schedule_id")
@legacy_option
@click.pass_obj
def get_schedule(ctx: dict[str, Any], schedule_id: str, legacy: bool) -> None:
    """Show a schedule."""
    client: Client = ctx["client"]
    if legacy:
        schedule = legacy_schedule_as_current(client.legacy("GET", f"/schedules/{quote(schedule_id, safe='')}"))
    else:
        schedule = client.call("schedule.get", {"id": schedule_id})["schedule"]
    emit_json(schedule) if ctx["json"] else show_schedules([schedule], False)


@schedules.command("delete")
@click.argument("schedule_id")
@legacy_option
@click.pass_obj
def delete_schedule(ctx: dict[str, Any], schedule_id: str, legacy: bool) -> None:
    """Delete a schedule (the promises it created stay)."""
    client: Client = ctx["client"]
    if legacy:
        client.legacy("DELETE", f"/schedules/{quote(schedule_id, safe='')}")
    else:
        client.call("schedule.delete", {"id": schedule_id})
    emit_json({"deleted": schedule_id}) if ctx["json"] else click.echo(f"deleted {schedule_id}")


@schedules.command("search")
@tags_option
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--cursor", help="Where the previous page ended.")
@legacy_option
@click.pass_obj
def search_schedules(ctx: dict[str, Any], tags: tuple[str, ...], limit: int, cursor: str | None, legacy: bool) -> None:
    """Search schedules, a page at a time."""
    client: Client = ctx["client"]
    if legacy:
        params = [("id", "*"), ("limit", str(limit)), *((f"tags[{k}]", v) for k, v in parse_tags(tags).items())]
        if cursor:
            params.append(("cursor", cursor))
        page = client.legacy("GET", "/schedules?" + "&".join(f"{quote(k)}={quote(v)}" for k, v in params))
        show_schedules([legacy_schedule_as_current(s) for s in page["schedules"]], ctx["json"], page.get("cursor"))
        return
    request: dict[str, Any] = {"tags": parse_tags(tags), "limit": limit, **({"cursor": cursor} if cursor else {})}
    page = client.call("schedule.search", request)
    show_schedules(page["schedules"], ctx["json"], page.get("cursor"))
