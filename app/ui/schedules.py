"""The dashboard's schedules of both generations, and the promises a schedule created."""

from __future__ import annotations

from typing import Any

import orjson
from flask import Response as FlaskResponse
from flask import request

from app.current import requests as r
from app.http import promises as legacy_promises
from app.http import schedules as legacy_schedules
from app.http.dispatch import call
from app.http.limits import check_string
from app.http.render import json_response
from app.shapes import legacy_as_current, legacy_schedule_as_current, schedule_json
from app.ui.api import PAGE_SIZE, NotFound, answered, api, generation, legacy_body
from app.ui.records import CURRENT, LEGACY, promise_view, value_view
from kernel.t_api import ReadScheduleRequest, SearchClass, SearchPromisesRequest, SearchSchedulesRequest


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
