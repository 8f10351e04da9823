"""readSchedule and deleteSchedule (deleting leaves the promises it made in place)."""

from __future__ import annotations

from app.coroutines.store import run_one
from kernel.coroutine import Coroutine
from kernel.t_aio import DeleteSchedule, ReadSchedule
from kernel.t_api import DeleteScheduleRequest, ReadScheduleRequest, Response, Status


def read_schedule(c: Coroutine, req: ReadScheduleRequest) -> Response:
    schedule = run_one(c, ReadSchedule(req.id))
    if schedule is None:
        return Response(Status.SCHEDULE_NOT_FOUND)
    return Response(Status.OK, schedule)


def delete_schedule(c: Coroutine, req: DeleteScheduleRequest) -> Response:
    if not run_one(c, DeleteSchedule(req.id)):
        return Response(Status.SCHEDULE_NOT_FOUND)
    return Response(Status.NO_CONTENT)
