"""createSchedule: insert a schedule whose first slot is the cron's next time after now."""

from __future__ import annotations

from app.coroutines.store import run_one
from app.cron import parse_cron
from kernel.coroutine import Coroutine
from kernel.promise import keys_match
from kernel.schedule import Schedule
from kernel.t_aio import CreateSchedule, CreateScheduleResult
from kernel.t_api import CreateScheduleRequest, Response, Status


def create_schedule(c: Coroutine, req: CreateScheduleRequest) -> Response:
    now = c.time()
    schedule = Schedule(
        id=req.id,
        description=req.description,
        cron=req.cron,
        tags=req.tags,
        promise_id=req.promise_id,
        promise_timeout=req.promise_timeout,
        promise_param=req.promise_param,
        promise_tags=req.promise_tags,
        next_run_time=parse_cron(req.cron).next(now),
        idempotency_key=req.idempotency_key,
        created_on=now,
    )
    result: CreateScheduleResult = run_one(c, CreateSchedule(schedule))
    if result.created:
        return Response(Status.CREATED, result.schedule)
    if keys_match(result.schedule.idempotency_key, req.idempotency_key):
        return Response(Status.OK, result.schedule)
    return Response(Status.SCHEDULE_ALREADY_EXISTS)
