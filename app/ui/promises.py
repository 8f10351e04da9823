"""The dashboard's promises: a search of either generation (id glob, state, tags, cursor),
a promise with its task and links, and the lineage of a root for the call tree."""

from __future__ import annotations

from typing import Any

import orjson
from flask import Response as FlaskResponse
from flask import request

from aio.store.inspect import legacy_links, promise_links
from app.current import requests as r
from app.current.parse import PROMISE_STATES
from app.http import promises as legacy_promises
from app.http.dispatch import call
from app.http.limits import check_string
from app.http.render import json_response
from app.http.validation import ValidationError
from app.shapes import legacy_as_current, promise_json
from app.ui.api import PAGE_SIZE, NotFound, answered, api, generation, legacy_body, store_read, tag_filters
from app.ui.records import CURRENT, LEGACY, plain, promise_view, with_timer
from kernel.t_api import ReadPromiseRequest, SearchClass, SearchPromisesRequest

LEGACY_STATES = ("pending", "resolved", "rejected")
TREE_PAGE = 100
MAX_TREE_NODES = 2000  # a larger lineage is shown in part, and says so
MAX_TREE_PAGES = 40  # searches per lineage read: each reads a bounded slice of an index


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
    listens (current protocol); with its root's live tasks and its callbacks (legacy)."""
    if generation_name == CURRENT:
        promise = read_promise(CURRENT, promise_id)
        task_answer = call(r.GetTask(promise_id))
        links = store_read(promise_links, promise_id)
        task = with_timer(plain(task_answer.data)["task"], links.timer_at) if task_answer.status == 200 else None
        body = {
            "promise": promise_view(promise, CURRENT),
            "task": task,
            "callbacks": links.callbacks,
            "awaiting": links.awaiting,
            "listeners": links.listeners,
        }
        return json_response(body, 200)
    if generation_name == LEGACY:
        promise = read_promise(LEGACY, promise_id)
        legacy_links_ = store_read(legacy_links, promise_id)
        body = {
            "promise": promise_view(promise, LEGACY),
            "task": None,
            "callbacks": [],
            "awaiting": [],
            "listeners": [],
            "legacyTasks": legacy_links_.tasks,  # the live tasks of this root
            "legacyCallbacks": legacy_links_.callbacks,
        }
        return json_response(body, 200)
    raise NotFound(f"no generation {generation_name!r}")


def read_promise(generation_name: str, promise_id: str) -> dict[str, Any]:
    """A promise of either generation, in the current protocol's shape; 404 if absent."""
    if generation_name == CURRENT:
        return answered(call(r.GetPromise(promise_id)), "Promise not found")["promise"]
    if generation_name == LEGACY:
        return legacy_as_current(legacy_body(ReadPromiseRequest(promise_id), promise_json, "Promise not found"))
    raise NotFound(f"no generation {generation_name!r}")


@api.get("/tree/<generation_name>/<path:root_id>")
def lineage(generation_name: str, root_id: str) -> FlaskResponse:
    """The root and the promises of its lineage (at most MAX_TREE_NODES of them)."""
    root = read_promise(generation_name, root_id)
    records, complete = _current_lineage(root_id) if generation_name == CURRENT else _legacy_lineage(root_id)
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
        found += [legacy_as_current(plain(promise_json(p))) for p in response.body.promises]
        search = response.body.next
    return found, search is None
