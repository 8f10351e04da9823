"""searchSchedules: a page of schedules, newest first, with a cursor for the next."""

from __future__ import annotations

import dataclasses

from app.coroutines.store import collect_page
from kernel.coroutine import Coroutine
from kernel.t_aio import SearchSchedules
from kernel.t_api import Response, SearchSchedulesPage, SearchSchedulesRequest, Status


def search_schedules(c: Coroutine, req: SearchSchedulesRequest, scan_limit: int = 10_000) -> Response:
    def command(limit: int, before: int | None, budget: int) -> SearchSchedules:
        return SearchSchedules(req.id, req.tags, limit, before, budget)

    found, continue_below = collect_page(c, req.limit, req.before_sort_id, scan_limit, command)
    next_page = None if continue_below is None else dataclasses.replace(req, before_sort_id=continue_below)
    return Response(Status.OK, SearchSchedulesPage([s for _, s in found], next_page))
