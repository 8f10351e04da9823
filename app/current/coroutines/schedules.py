"""schedule.* kinds (§7) and the job that fires due schedules."""

from __future__ import annotations

import orjson

from app.coroutines.jobs import Job
from app.coroutines.store import run, run_one
from app.cron import InvalidCron, parse_cron
from app.current import requests as r
from app.current.coroutines.limits import Limits
from app.current.parse import utc_cron
from kernel import t_current as c
from kernel.coroutine import Coroutine
from kernel.int64 import add_ms

NOT_FOUND = r.Answer(404, "Schedule not found")


def create_schedule(co: Coroutine, req: r.CreateSchedule, limits: Limits) -> r.Answer:
    now = co.time()
    next_run = parse_cron(utc_cron(req.cron)).next(now)
    command = c.CreateSchedule(
        req.id, req.cron, req.promise_id, req.promise_timeout, req.promise_param, req.promise_tags, now, next_run
    )
    schedule = run_one(co, command)
    return r.Answer(200, {"schedule": schedule.to_json()})


def get_schedule(co: Coroutine, req: r.GetSchedule, limits: Limits) -> r.Answer:
    schedule = run_one(co, c.GetSchedule(req.id))
    return NOT_FOUND if schedule is None else r.Answer(200, {"schedule": schedule.to_json()})


def delete_schedule(co: Coroutine, req: r.DeleteSchedule, limits: Limits) -> r.Answer:
    return r.Answer(200, {}) if run_one(co, c.DeleteSchedule(req.id)) else NOT_FOUND


def search_schedules(co: Coroutine, req: r.SearchSchedules, limits: Limits) -> r.Answer:
    budget = max(limits.scan_limit, req.limit + 1)
    page = run_one(co, c.SearchSchedules(req.tags, req.cursor, req.limit, budget))
    data: dict[str, object] = {"schedules": [record.to_json() for record in page.records]}
    if page.cursor:
        data["cursor"] = page.cursor
    return r.Answer(200, data)


def fired_promise(schedule: c.ScheduleRecord, at: int) -> c.NewPromise:
    """The promise of one run (§7.3): the id template filled in, the lineage tags set."""
    promise_id = schedule.promise_id.replace("{{.id}}", schedule.id).replace("{{.timestamp}}", str(at))
    tags = orjson.loads(schedule.promise_tags)
    tags.update(
        {
            "resonate:schedule": schedule.id,
            "resonate:origin": promise_id,
            "resonate:branch": promise_id,
            "resonate:parent": promise_id,
            "resonate:prefix": promise_id,
        }
    )
    return c.NewPromise.from_tags(promise_id, add_ms(at, schedule.promise_timeout), schedule.promise_param, tags)


def fire_schedules(co: Coroutine, limits: Limits, batch_size: int) -> int:
    """Fire every due run, each with its own time (missed runs all fire, in order)."""
    now = co.time()
    due = run_one(co, c.DueSchedules(now, batch_size))
    commands = []
    for schedule in due:
        try:
            next_run = parse_cron(utc_cron(schedule.cron)).next(schedule.next_run_at)
        except InvalidCron:
            next_run = add_ms(now, 60_000)  # stored before a parser change: try again later
        promise = fired_promise(schedule, schedule.next_run_at)
        commands.append(c.FireSchedule(schedule.id, schedule.next_run_at, next_run, promise, now, limits.retry_ms))
    if commands:
        run(co, *commands)
        co.signal(Job.SEND_MESSAGES)
    return len(commands)
