"""searchPromises: a page of promises, newest first, with a cursor for the next page.

The store scans a bounded slice of the index per call, so one call never blocks Redis
for long; this coroutine keeps calling until the page is full or the index ends.
"""

from __future__ import annotations

import dataclasses

from app.coroutines.store import run_one
from kernel.coroutine import Coroutine
from kernel.promise import Promise
from kernel.t_aio import SearchPromises, SearchPromisesResult
from kernel.t_api import Response, SearchPromisesPage, SearchPromisesRequest, Status


def search_promises(c: Coroutine, req: SearchPromisesRequest) -> Response:
    found: list[tuple[int, Promise]] = []
    before = req.before_sort_id
    while len(found) < req.limit:
        command = SearchPromises(req.id, req.search_class, req.tags, req.limit - len(found), before, c.time())
        result: SearchPromisesResult = run_one(c, command)
        found.extend(result.promises)
        if result.exhausted or result.last_scanned_sort_id is None:
            break
        before = result.last_scanned_sort_id
    next_page = None
    if found and len(found) == req.limit:
        next_page = dataclasses.replace(req, before_sort_id=found[-1][0])
    return Response(Status.OK, SearchPromisesPage([p for _, p in found], next_page))
