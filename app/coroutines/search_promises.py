"""searchPromises: a page of promises, newest first, with a cursor for the next page.

The store scans a bounded slice of the index per call, so one call never blocks Redis
for long; this coroutine keeps calling until the page is full or the index ends.
"""

from __future__ import annotations

import dataclasses

from app.coroutines.store import collect_page
from kernel.coroutine import Coroutine
from kernel.t_aio import SearchPromises
from kernel.t_api import Response, SearchPromisesPage, SearchPromisesRequest, Status


def search_promises(c: Coroutine, req: SearchPromisesRequest, scan_limit: int = 10_000) -> Response:
    def command(limit: int, before: int | None, budget: int) -> SearchPromises:
        return SearchPromises(req.id, req.search_class, req.tags, limit, before, c.time(), budget)

    found, continue_below = collect_page(c, req.limit, req.before_sort_id, scan_limit, command)
    next_page = None if continue_below is None else dataclasses.replace(req, before_sort_id=continue_below)
    return Response(Status.OK, SearchPromisesPage([p for _, p in found], next_page))
