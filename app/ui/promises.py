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
from app.ui.records import CURRENT, LEGACY, plain, promise_view
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
