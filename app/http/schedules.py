"""Schedule routes: create, read, delete, search (protocol §4.8-4.9)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from flask import Response as FlaskResponse

from app.cron import InvalidCron, parse_cron
from app.http import headers
from app.http.body import ValidationError, parse_body
from app.http.cursor import decode_cursor, encode_cursor
from app.http.dispatch import call, respond
from app.http.search import search_id, search_limit, tag_filters
from app.promise_template import InvalidTemplate, check_template
from app.shapes import schedule_json
from kernel.t_api import (
    CreateScheduleRequest,
    DeleteScheduleRequest,
    ReadScheduleRequest,
    SearchSchedulesPage,
    SearchSchedulesRequest,
)

blueprint = Blueprint("schedules", __name__)


@blueprint.post("/schedules")
def create_schedule() -> FlaskResponse:
    body = parse_body(request.get_data())
    create = CreateScheduleRequest(
        id=body.string("id", required=True),
        description=body.string("desc"),
        cron=body.string("cron", required=True),
        tags=body.string_map("tags"),
        promise_id=body.string("promiseId", required=True),
        promise_timeout=body.int64("promiseTimeout"),
        promise_param=body.value("promiseParam"),
        promise_tags=body.string_map("promiseTags"),
        idempotency_key=headers.idempotency_key(),
    )
    try:
        parse_cron(create.cron)
    except InvalidCron as exc:
        raise ValidationError(f"The field cron must be a valid cron expression ({exc}).") from None
    try:
        check_template(create.promise_id)
    except InvalidTemplate as exc:
        raise ValidationError(f"The field promiseId must be a valid template ({exc}).") from None
    return respond(call(create), schedule_json)


@blueprint.get("/schedules/<path:schedule_id>")
def read_schedule(schedule_id: str) -> FlaskResponse:
    return respond(call(ReadScheduleRequest(schedule_id)), schedule_json)


@blueprint.delete("/schedules/<path:schedule_id>")
def delete_schedule(schedule_id: str) -> FlaskResponse:
    return respond(call(DeleteScheduleRequest(schedule_id)))


@blueprint.get("/schedules")
def search_schedules() -> FlaskResponse:
    cursor = request.args.get("cursor")
    if cursor is not None:
        search = search_from_cursor(cursor)
    else:
        search = SearchSchedulesRequest(search_id(), tag_filters(), search_limit())
    return respond(call(search), search_page_json)


def search_from_cursor(token: str) -> SearchSchedulesRequest:
    page = decode_cursor(token, ("id", "tags", "limit", "sortId"))
    return SearchSchedulesRequest(page["id"], page["tags"], page["limit"], page["sortId"])


def search_page_json(page: SearchSchedulesPage) -> dict[str, Any]:
    cursor = None
    if page.next is not None:
        n = page.next
        cursor = encode_cursor({"id": n.id, "tags": n.tags, "limit": n.limit, "sortId": n.before_sort_id})
    return {"schedules": [schedule_json(s) for s in page.schedules], "cursor": cursor}
