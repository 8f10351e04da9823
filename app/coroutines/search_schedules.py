"""searchSchedules: a page of schedules, newest first, with a cursor for the next."""

from __future__ import annotations

import dataclasses

from app.coroutines.store import run_one
from kernel.coroutine import Coroutine
from kernel.schedule import Schedule
from kernel.t_aio import SearchSchedules, SearchSchedulesResult
from kernel.t_api import Response, SearchSchedulesPage, SearchSchedulesRequest, Status


def search_schedules(c: Coroutine, req: SearchSchedulesRequest) -> Response:
    found: list[tuple[int, Schedule]] = []
    before = req.before_sort_id
    while len(found) < req.limit:
        result: SearchSchedulesResult = run_one(c, SearchSchedules(req.id, req.tags, req.limit - len(found), before))
        found.extend(result.schedules)
        if result.exhausted or result.last_scanned_sort_id is None:
            break
        before = result.last_scanned_sort_id
    next_page = None
    if found and len(found) == req.limit:
        next_page = dataclasses.replace(req, before_sort_id=found[-1][0])
    return Response(Status.OK, SearchSchedulesPage([s for _, s in found], next_page))
