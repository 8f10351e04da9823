"""The dashboard's data, read through the kernel like any request: searches, a promise with
its task and links, a lineage, tasks, schedules and the server. Each view builds the
protocol's own typed requests, so the dashboard sees exactly what clients see."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import orjson
import redis
from flask import Blueprint, current_app, request
from flask import Response as FlaskResponse
from prometheus_client.parser import text_string_to_metric_families

from aio.store.inspect import legacy_links, promise_links, task_targets
from app.current import requests as r
from app.current.parse import PROMISE_STATES, TASK_STATES
from app.http import promises as legacy_promises
from app.http import schedules as legacy_schedules
from app.http.dispatch import EXTENSION, call
from app.http.limits import check_string, check_tags
from app.http.render import json_response
from app.http.validation import ValidationError
from app.metrics import StoreCounts, exposition
from app.settings import SETTINGS
from app.shapes import legacy_as_current, legacy_schedule_as_current, promise_json, schedule_json
from app.ui.records import CURRENT, GENERATIONS, LEGACY, group_of, plain, promise_view, value_view
from kernel.errors import KernelError, StoreUnavailable
from kernel.t_api import (
    PingRequest,
    ReadPromiseRequest,
    ReadScheduleRequest,
    SearchClass,
    SearchPromisesRequest,
    SearchSchedulesRequest,
)

PAGE_SIZE = 25
TREE_PAGE = 100
MAX_TREE_NODES = 2000  # a larger lineage is shown in part, and says so
TASK_SCAN_PAGE = 100  # tasks read per search when filtering by group
GROUP_SCAN_PAGES = 10
MAX_TREE_PAGES = 40  # searches per lineage read: each reads a bounded slice of an index
LEGACY_STATES = ("pending", "resolved", "rejected")
RETRY_AFTER_S = "1"
T = TypeVar("T")

api = Blueprint("ui_api", __name__, url_prefix="/api")


class NotFound(Exception):
    pass


@api.errorhandler(ValidationError)
def invalid(error: ValidationError) -> FlaskResponse:
    return json_response({"error": " ".join(error.details)}, 400)


@api.errorhandler(NotFound)
def not_found(error: NotFound) -> FlaskResponse:
    return json_response({"error": str(error)}, 404)


@api.errorhandler(KernelError)
def unavailable(error: KernelError) -> FlaskResponse:
    response = json_response({"error": f"The server cannot answer now ({error}); try again."}, 503)
    response.headers["Retry-After"] = RETRY_AFTER_S
    return response


def store_read(read: Callable[[redis.Redis, str, Any], T], argument: Any) -> T:
    """A direct read of the store (inspect.py); a store away is a 503, as in the kernel."""
    store = current_app.extensions[EXTENSION].store
    try:
        return read(store.client, store.prefix, argument)
    except redis.RedisError as error:
        raise StoreUnavailable(f"the store did not answer: {type(error).__name__}") from None


def generation() -> str:
    chosen = request.args.get("generation", CURRENT)
    if chosen not in GENERATIONS:
        raise ValidationError(f"generation must be one of {', '.join(GENERATIONS)}")
    return chosen


def tag_filters() -> dict[str, str]:
    """`tag=key=value` query parameters (repeatable)."""
    tags: dict[str, str] = {}
    for item in request.args.getlist("tag"):
        name, equals, wanted = item.partition("=")
        if not equals or not name:
            raise ValidationError(f"a tag filter is key=value, not {item!r}")
        tags[name] = wanted
    check_tags("tag", tags)
    return tags


def answered(answer: r.Answer, missing: str = "") -> Any:
    """The data of a current-protocol answer; 404 or 400 with its message otherwise."""
    if answer.status == 404:
        raise NotFound(missing or str(answer.data))
    if answer.status >= 400:
        raise ValidationError(str(answer.data))
    return plain(answer.data)


def legacy_body(request_: Any, render: Any, missing: str = "") -> Any:
    response = call(request_)
    if response.status.http == 404:
        raise NotFound(missing or "Not found")
    if response.status.is_error:
        raise ValidationError(*(response.details or ["The request failed."]))
    return plain(render(response.body))


# -- promises --------------------------------------------------------------------------------


@api.get("/promises")
def search_promises() -> FlaskResponse:
    gen = generation()
    glob = check_string("id", request.args.get("id") or "*")
    state = request.args.get("state") or "all"
    cursor = check_string("cursor", request.args.get("cursor", ""))
    tags = tag_filters()
    if gen == CURRENT:
        if state not in ("all", *PROMISE_STATES):
            raise ValidationError(f"state must be all or one of {', '.join(PROMISE_STATES)}")
        search = r.SearchPromises(state, orjson.dumps(tags).decode(), PAGE_SIZE, cursor, glob)
        page = answered(call(search))
        return _promise_page(page["promises"], page.get("cursor"), gen)
    if state not in ("all", *LEGACY_STATES):
        raise ValidationError(f"state must be all or one of {', '.join(LEGACY_STATES)}")
    if cursor:
        legacy_search = legacy_promises.search_from_cursor(cursor)
    else:
        legacy_search = SearchPromisesRequest(glob, SearchClass(state), tags, PAGE_SIZE)
    page = legacy_body(legacy_search, legacy_promises.search_page_json)
    return _promise_page([legacy_as_current(p) for p in page["promises"]], page.get("cursor"), gen)


def _promise_page(records: list[dict[str, Any]], cursor: str | None, gen: str) -> FlaskResponse:
    return json_response({"promises": [promise_view(p, gen) for p in records], "cursor": cursor or None}, 200)


@api.get("/promises/<generation_name>/<path:promise_id>")
def promise_detail(generation_name: str, promise_id: str) -> FlaskResponse:
    """A promise with its task, the tasks it will resume, what its task awaits and who
    listens (current protocol); the record alone for the legacy one."""
    if generation_name == CURRENT:
        promise = answered(call(r.GetPromise(promise_id)), "Promise not found")["promise"]
        task_answer = call(r.GetTask(promise_id))
        task = plain(task_answer.data)["task"] if task_answer.status == 200 else None
        links = store_read(promise_links, promise_id)
        if task is not None:
            timer = "leaseExpiresAt" if task["state"] == "acquired" else "retryAt"
            if links.timer_at is not None and task["state"] in ("acquired", "pending"):
                task[timer] = links.timer_at
        body = {
            "promise": promise_view(promise, CURRENT),
            "task": task,
            "callbacks": links.callbacks,
            "awaiting": links.awaiting,
            "listeners": links.listeners,
        }
        return json_response(body, 200)
    if generation_name == LEGACY:
        legacy = legacy_body(ReadPromiseRequest(promise_id), promise_json, "Promise not found")
        legacy_links_ = store_read(legacy_links, promise_id)
        body = {
            "promise": promise_view(legacy_as_current(legacy), LEGACY),
            "task": None,
            "callbacks": [],
            "awaiting": [],
            "listeners": [],
            "legacyTasks": legacy_links_.tasks,  # the live tasks of this root
            "legacyCallbacks": legacy_links_.callbacks,
        }
        return json_response(body, 200)
    raise NotFound(f"no generation {generation_name!r}")


@api.get("/tree/<generation_name>/<path:root_id>")
def lineage(generation_name: str, root_id: str) -> FlaskResponse:
    """The root and the promises of its lineage (at most MAX_TREE_NODES of them)."""
    if generation_name == CURRENT:
        root = answered(call(r.GetPromise(root_id)), "Promise not found")["promise"]
        records, complete = _current_lineage(root_id)
    elif generation_name == LEGACY:
        root = legacy_as_current(legacy_body(ReadPromiseRequest(root_id), promise_json, "Promise not found"))
        records, complete = _legacy_lineage(root_id)
    else:
        raise NotFound(f"no generation {generation_name!r}")
    nodes = [promise_view(root, generation_name)]
    nodes += [promise_view(p, generation_name) for p in records if p["id"] != root_id]
    return json_response({"root": root_id, "promises": nodes, "complete": complete}, 200)


def _current_lineage(root_id: str) -> tuple[list[dict[str, Any]], bool]:
    """The SDKs name every promise of a lineage after its root, so the search reads only
    the ids that start with the root's (one range of the index), tagged with its origin."""
    tags = orjson.dumps({"resonate:origin": root_id}).decode()
    found: list[dict[str, Any]] = []
    cursor = ""
    for _ in range(MAX_TREE_PAGES):
        page = answered(call(r.SearchPromises("all", tags, TREE_PAGE, cursor, root_id + "*")))
        found += page["promises"]
        cursor = page.get("cursor") or ""
        if not cursor:
            return found, True
        if len(found) >= MAX_TREE_NODES:
            break
    return found, False


def _legacy_lineage(root_id: str) -> tuple[list[dict[str, Any]], bool]:
    search: SearchPromisesRequest | None = SearchPromisesRequest("*", SearchClass.ALL, {"resonate:root": root_id}, 100)
    found: list[dict[str, Any]] = []
    for _ in range(MAX_TREE_PAGES):
        if search is None or len(found) >= MAX_TREE_NODES:
            break
        response = call(search)
        if response.status.is_error:
            raise ValidationError(*(response.details or ["The search failed."]))
        page = plain(legacy_promises.search_page_json(response.body))
        found += [legacy_as_current(p) for p in page["promises"]]
        search = response.body.next
    return found, search is None


# -- tasks -----------------------------------------------------------------------------------


@api.get("/tasks")
def search_tasks() -> FlaskResponse:
    """Current-protocol tasks in a state, optionally of one worker group, with the group
    of each and the time its lease lapses (acquired) or its retry comes (pending). A
    group filter reads at most GROUP_SCAN_PAGES pages of the task index per request and
    answers with a cursor to go on from."""
    state = request.args.get("state") or "all"
    if state not in ("all", *TASK_STATES):
        raise ValidationError(f"state must be all or one of {', '.join(TASK_STATES)}")
    group = check_string("group", request.args.get("group", ""))
    cursor = check_string("cursor", request.args.get("cursor", ""))
    found: list[dict[str, Any]] = []
    for _ in range(GROUP_SCAN_PAGES if group else 1):
        page = answered(call(r.SearchTasks(state, TASK_SCAN_PAGE if group else PAGE_SIZE, cursor)))
        for task in _with_targets(page["tasks"]):
            if group and task["group"] != group:
                continue
            found.append(task)
            if len(found) == PAGE_SIZE and group:
                return json_response({"tasks": found, "cursor": task["id"]}, 200)
        cursor = page.get("cursor") or ""
        if not cursor:
            break
    return json_response({"tasks": found, "cursor": cursor or None}, 200)


def _with_targets(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    looked_up = store_read(task_targets, [t["id"] for t in tasks])
    for task in tasks:
        target, timer_at = looked_up[task["id"]]
        task["target"] = target
        task["group"] = group_of(target or "")
        if timer_at is not None and task["state"] in ("acquired", "pending"):
            task["leaseExpiresAt" if task["state"] == "acquired" else "retryAt"] = timer_at
    return tasks


# -- schedules -------------------------------------------------------------------------------


@api.get("/schedules")
def search_schedules() -> FlaskResponse:
    gen = generation()
    cursor = check_string("cursor", request.args.get("cursor", ""))
    if gen == CURRENT:
        page = answered(call(r.SearchSchedules("{}", PAGE_SIZE, cursor)))
        schedules = [_schedule_view(s) for s in page["schedules"]]
        return json_response({"schedules": schedules, "cursor": page.get("cursor") or None}, 200)
    search = legacy_schedules.search_from_cursor(cursor) if cursor else SearchSchedulesRequest("*", {}, PAGE_SIZE)
    page = legacy_body(search, legacy_schedules.search_page_json)
    schedules = [_schedule_view(legacy_schedule_as_current(s)) for s in page["schedules"]]
    return json_response({"schedules": schedules, "cursor": page.get("cursor") or None}, 200)


@api.get("/schedules/<generation_name>/<path:schedule_id>")
def schedule_detail(generation_name: str, schedule_id: str) -> FlaskResponse:
    """A schedule and the newest promises it created (tagged resonate:schedule)."""
    tag = {"resonate:schedule": schedule_id}
    if generation_name == CURRENT:
        schedule = answered(call(r.GetSchedule(schedule_id)), "Schedule not found")["schedule"]
        page = answered(call(r.SearchPromises("all", orjson.dumps(tag).decode(), PAGE_SIZE, "")))
        runs = page["promises"]
    elif generation_name == LEGACY:
        schedule = legacy_schedule_as_current(
            legacy_body(ReadScheduleRequest(schedule_id), schedule_json, "Schedule not found")
        )
        search = SearchPromisesRequest("*", SearchClass.ALL, tag, PAGE_SIZE)
        runs = [legacy_as_current(p) for p in legacy_body(search, legacy_promises.search_page_json)["promises"]]
    else:
        raise NotFound(f"no generation {generation_name!r}")
    body = {"schedule": _schedule_view(schedule), "promises": [promise_view(p, generation_name) for p in runs]}
    return json_response(body, 200)


def _schedule_view(schedule: dict[str, Any]) -> dict[str, Any]:
    return {**schedule, "promiseParam": value_view(schedule.get("promiseParam"))}


# -- the server ------------------------------------------------------------------------------


# metric -> the labels its figures are summed by on the server page
KEY_METRICS: dict[str, tuple[str, ...]] = {
    "resonate_requests": ("protocol", "status"),
    "resonate_coroutines": (),
    "resonate_queued_requests": (),
    "resonate_poll_streams": ("protocol",),
    "resonate_store_round_trips": (),
    "resonate_store_errors": (),
    "resonate_messages": ("transport", "outcome"),
    "resonate_promises_created": ("protocol",),
    "resonate_promises_settled": ("protocol", "state"),
    "resonate_promises": ("protocol", "state"),
    "resonate_tasks": ("protocol", "state"),
}


def key_metrics(exposition_text: str) -> list[dict[str, Any]]:
    """The figures of KEY_METRICS from the Prometheus exposition, summed by their labels."""
    sums: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(exposition_text):
        by = KEY_METRICS.get(family.name)
        if by is None:
            continue
        for sample in family.samples:
            if sample.name.endswith("_created"):
                continue
            labels = tuple((name, sample.labels.get(name, "")) for name in by)
            sums[(family.name, labels)] = sums.get((family.name, labels), 0.0) + sample.value
    return [
        {"metric": name, "labels": dict(labels), "value": value}
        for (name, labels), value in sorted(
            sums.items(), key=lambda item: (list(KEY_METRICS).index(item[0][0]), item[0][1])
        )
    ]


@api.get("/server")
def server() -> FlaskResponse:
    """Store health, the settings in force (secrets masked) and key metrics (the same
    figures /metrics gives, summed)."""
    runtime = current_app.extensions[EXTENSION]
    settings = runtime.settings
    runtime.record_metrics()
    metrics_text = exposition(StoreCounts(runtime.store.counts_by_state)).decode()
    rows = [
        {
            "name": setting.env,
            "value": setting.shown(getattr(settings, setting.field)),
            "secret": setting.secret,
            "help": setting.description,
        }
        for setting in SETTINGS
    ]
    down = runtime.down()
    try:
        call(PingRequest())
    except KernelError:
        down.append("store")
    body = {"ready": not down, "down": down, "settings": rows, "metrics": key_metrics(metrics_text)}
    return json_response(body, 200)
