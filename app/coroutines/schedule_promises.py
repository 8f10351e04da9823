"""schedulePromises (background): each due slot of each schedule creates its promise.

The store fires a slot only if the schedule is still at that slot, so every slot
fires exactly once whatever the number of server processes, and across restarts.
After downtime every missed slot fires, each with its own timestamp; a pass fires
up to MAX_ROUNDS slots per schedule, the next pass goes on.
"""

from __future__ import annotations

import logging

from app.coroutines.jobs import Job
from app.coroutines.router import invoke_recv
from app.coroutines.store import run, run_one
from app.cron import InvalidCron, parse_cron
from app.promise_template import InvalidTemplate, render
from kernel.coroutine import Coroutine
from kernel.int64 import add_ms
from kernel.schedule import Schedule
from kernel.t_aio import CreatePromise, DueSchedules, FireSchedule, NewTask, PostponeSchedule

log = logging.getLogger(__name__)

MAX_ROUNDS = 10
RETRY_BROKEN_MS = 60_000
SCHEDULE_TAG = "resonate:schedule"
INVOCATION_TAG = "resonate:invocation"


def schedule_promises(c: Coroutine, batch_size: int) -> int:
    fired = 0
    for _ in range(MAX_ROUNDS):
        due: list[Schedule] = run_one(c, DueSchedules(c.time(), batch_size))
        if not due:
            break
        commands = [fire_command_or_postpone(schedule, c.time()) for schedule in due]
        results = run(c, *commands)
        fired += sum(1 for command, result in zip(commands, results, strict=True) if is_fired(command, result))
        if any(isinstance(command, FireSchedule) and command.promise.task is not None for command in commands):
            c.signal(Job.ENQUEUE_TASKS)
    return fired


def fire_command_or_postpone(schedule: Schedule, now: int) -> FireSchedule | PostponeSchedule:
    """A schedule that no longer parses, such as one whose TZ= zone this host lacks, is
    logged and tried again after RETRY_BROKEN_MS; the others keep firing meanwhile."""
    try:
        return fire_command(schedule, now)
    except (InvalidCron, InvalidTemplate, OverflowError, ValueError) as exc:
        log.warning("schedule %s skipped: %r no longer parses (%s)", schedule.id, schedule.cron, exc)
        return PostponeSchedule(schedule.id, schedule.next_run_time, add_ms(now, RETRY_BROKEN_MS))


def is_fired(command: FireSchedule | PostponeSchedule, result: bool) -> bool:
    return isinstance(command, FireSchedule) and result


def fire_command(schedule: Schedule, now: int) -> FireSchedule:
    """The slot's promise: id from the template, timeout relative to the slot."""
    slot = schedule.next_run_time
    tags = {**schedule.promise_tags, SCHEDULE_TAG: schedule.id, INVOCATION_TAG: "true"}
    recv = invoke_recv(tags)
    promise = CreatePromise(
        id=render(schedule.promise_id, schedule.id, slot),
        param=schedule.promise_param,
        timeout=add_ms(slot, schedule.promise_timeout),
        idempotency_key=None,
        tags=tags,
        now=now,
        task=NewTask(recv) if recv is not None else None,
    )
    return FireSchedule(schedule.id, slot, parse_cron(schedule.cron).next(slot), promise)
