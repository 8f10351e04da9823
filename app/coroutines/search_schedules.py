"""searchSchedules: a page of schedules, newest first, with a cursor for the next."""

from __future__ import annotations

import dataclasses

from app.coroutines.store import collect_page
from kernel.coroutine import Coroutine
from kernel.t_aio import SearchSchedules
from kernel.t_api import Response, SearchSchedulesPage, SearchSchedulesRequest, Status


def search_schedules(c: Coroutine, req: SearchSchedulesRequest) -> Response:
    def command(limit: int, before: int | None) -> SearchSchedules:
        return SearchSchedules(req.id, req.tags, limit, before)

    found = collect_page(c, req.limit, req.before_sort_id, command)
    next_page = None
    if found and len(found) == req.limit:
        next_page = dataclasses.replace(req, before_sort_id=found[-1][0])
    return Response(Status.OK, SearchSchedulesPage([s for _, s in found], next_page))
