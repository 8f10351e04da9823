"""Promise routes: create, read, complete and search (protocol §4.1, §4.3-4.5)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from flask import Response as FlaskResponse

from app.http import headers
from app.http.body import Body, ValidationError, parse_body
from app.http.cursor import decode_cursor, encode_cursor
from app.http.dispatch import call, respond
from app.http.search import search_id, search_limit, tag_filters
from app.shapes import promise_json, task_json
from kernel.promise import State
from kernel.t_api import (
    CompletePromiseRequest,
    CreatePromiseAndTaskRequest,
    CreatePromiseRequest,
    PromiseAndTask,
    ReadPromiseRequest,
    SearchClass,
    SearchPromisesPage,
    SearchPromisesRequest,
)

blueprint = Blueprint("promises", __name__)

_NOT_COMPLETABLE = "The field state must be one of resolved, rejected, rejected_canceled."


@blueprint.post("/promises")
def create_promise() -> FlaskResponse:
    create = create_request(parse_body(request.get_data()))
    return respond(call(create), promise_json)


@blueprint.post("/promises/task")
def create_promise_and_task() -> FlaskResponse:
    body = parse_body(request.get_data())
    task = body.object("task")
    create = CreatePromiseAndTaskRequest(
        promise=create_request(body.object("promise")),
        process_id=task.string("processId", required=True),
        ttl=task.int64("ttl", minimum=0),
    )
    return respond(call(create), promise_and_task_json)


def create_request(body: Body) -> CreatePromiseRequest:
    return CreatePromiseRequest(
        id=body.string("id", required=True),
        param=body.value("param"),
        timeout=body.int64("timeout"),
        tags=body.string_map("tags"),
        idempotency_key=headers.idempotency_key(),
        strict=headers.strict(),
    )


def promise_and_task_json(result: PromiseAndTask) -> dict[str, Any]:
    """Both keys always present: "task" is null when the create was deduplicated."""
    task = task_json(result.task) if result.task is not None else None
    return {"promise": promise_json(result.promise), "task": task}


@blueprint.get("/promises/<path:promise_id>")
def read_promise(promise_id: str) -> FlaskResponse:
    return respond(call(ReadPromiseRequest(promise_id)), promise_json)


@blueprint.patch("/promises/<path:promise_id>")
def complete_promise(promise_id: str) -> FlaskResponse:
    body = parse_body(request.get_data())
    complete = CompletePromiseRequest(
        id=promise_id,
        state=completion_state(body.string("state", required=True)),
        value=body.value("value"),
        idempotency_key=headers.idempotency_key(),
        strict=headers.strict(),
    )
    return respond(call(complete), promise_json)


@blueprint.get("/promises")
def search_promises() -> FlaskResponse:
    cursor = request.args.get("cursor")
    search = search_from_cursor(cursor) if cursor is not None else search_from_query()
    return respond(call(search), search_page_json)


def completion_state(text: str) -> State:
    """RESOLVED, REJECTED or REJECTED_CANCELED, in any letter case."""
    try:
        state = State(text.upper())
    except ValueError:
        raise ValidationError(f"invalid state '{text}'") from None
    if state in (State.PENDING, State.REJECTED_TIMEDOUT):
        raise ValidationError(_NOT_COMPLETABLE)
    return state


def search_from_query() -> SearchPromisesRequest:
    return SearchPromisesRequest(
        id=search_id(),
        search_class=search_class(request.args.get("state", "")),
        tags=tag_filters(),
        limit=search_limit(),
    )


def search_from_cursor(token: str) -> SearchPromisesRequest:
    page = decode_cursor(token, ("id", "class", "tags", "limit", "sortId"))
    try:
        search_class = SearchClass(page["class"])
    except ValueError:
        raise ValidationError("The field cursor is invalid.") from None
    return SearchPromisesRequest(page["id"], search_class, page["tags"], page["limit"], page["sortId"])


def search_class(text: str) -> SearchClass:
    if text == "":
        return SearchClass.ALL
    try:
        found = SearchClass(text.lower())
    except ValueError:
        found = SearchClass.ALL
    if found is SearchClass.ALL:
        raise ValidationError("The field state must be one of pending, resolved, rejected.")
    return found


def search_page_json(page: SearchPromisesPage) -> dict[str, Any]:
    cursor = None
    if page.next is not None:
        n = page.next
        cursor = encode_cursor(
            {"id": n.id, "class": n.search_class.value, "tags": n.tags, "limit": n.limit, "sortId": n.before_sort_id}
        )
    return {"promises": [promise_json(p) for p in page.promises], "cursor": cursor}
