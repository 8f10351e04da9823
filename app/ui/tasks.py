"""The dashboard's tasks (current protocol): by state and worker group, each with its
group and the time its lease lapses or its next send comes."""

from __future__ import annotations

from typing import Any

from flask import Response as FlaskResponse
from flask import request

from aio.store.inspect import task_targets
from app.current import requests as r
from app.current.parse import TASK_STATES
from app.http.dispatch import call
from app.http.limits import check_string
from app.http.render import json_response
from app.http.validation import ValidationError
from app.ui.api import PAGE_SIZE, answered, api, store_read
from app.ui.records import group_of, with_timer

TASK_SCAN_PAGE = 100  # tasks read per search when filtering by group
GROUP_SCAN_PAGES = 10


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
        with_timer(task, timer_at)
    return tasks
