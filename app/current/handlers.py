"""The current protocol's table: each request type's coroutine, and its background jobs."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from app.coroutines.jobs import Job
from app.current import requests as r
from app.current.coroutines import delivery, promises, schedules, tasks, timeouts
from app.current.coroutines.limits import Limits
from app.settings import Settings

COROUTINES: dict[type, Callable[..., Any]] = {
    r.GetPromise: promises.get_promise,
    r.CreatePromise: promises.create_promise,
    r.SettlePromise: promises.settle_promise,
    r.RegisterCallback: promises.register_callback,
    r.RegisterListener: promises.register_listener,
    r.SearchPromises: promises.search_promises,
    r.GetTask: tasks.get_task,
    r.CreateTask: tasks.create_task,
    r.AcquireTask: tasks.acquire_task,
    r.ReleaseTask: tasks.release_task,
    r.FulfillTask: tasks.fulfill_task,
    r.SuspendTask: tasks.suspend_task,
    r.FenceTask: tasks.fence_task,
    r.HeartbeatTasks: tasks.heartbeat_tasks,
    r.HaltTask: tasks.halt_task,
    r.ContinueTask: tasks.continue_task,
    r.SearchTasks: tasks.search_tasks,
    r.CreateSchedule: schedules.create_schedule,
    r.GetSchedule: schedules.get_schedule,
    r.DeleteSchedule: schedules.delete_schedule,
    r.SearchSchedules: schedules.search_schedules,
    r.StreamConnected: delivery.stream_connected,
}


def limits(settings: Settings) -> Limits:
    return Limits(
        retry_ms=settings.task_retry_timeout_ms,
        max_preload=settings.max_preload,
        max_callbacks=settings.max_callbacks,
        scan_limit=settings.search_scan_limit,
    )


def handlers(settings: Settings) -> dict[type, Callable[..., Any]]:
    bound = limits(settings)
    return {kind: functools.partial(body, limits=bound) for kind, body in COROUTINES.items()}


def background(settings: Settings) -> dict[Job, Callable[..., Any]]:
    bound = limits(settings)
    outbox = delivery.Outbox(settings.public_url, max_in_flight=settings.task_batch_size)
    return {
        Job.SEND_MESSAGES: functools.partial(delivery.send_messages, outbox=outbox),
        Job.TIMEOUT_CURRENT_PROMISES: functools.partial(
            timeouts.timeout_promises, limits=bound, batch_size=settings.promise_batch_size
        ),
        Job.FIRE_TASK_TIMERS: functools.partial(
            timeouts.fire_task_timers, limits=bound, batch_size=settings.task_batch_size
        ),
        Job.FIRE_SCHEDULES: functools.partial(
            schedules.fire_schedules, limits=bound, batch_size=settings.schedule_batch_size
        ),
    }
