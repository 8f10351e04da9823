"""The legacy protocol's table: each request type's coroutine, and its background jobs."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from app.coroutines.claim_task import claim_task
from app.coroutines.complete_promise import complete_promise
from app.coroutines.complete_task import complete_task
from app.coroutines.create_callback import create_callback, create_subscription
from app.coroutines.create_promise import create_promise
from app.coroutines.create_promise_and_task import create_promise_and_task
from app.coroutines.create_schedule import create_schedule
from app.coroutines.enqueue_tasks import Delivery, SendsInFlight, enqueue_tasks
from app.coroutines.expire_records import expire_records
from app.coroutines.heartbeat_tasks import heartbeat_tasks
from app.coroutines.jobs import Job
from app.coroutines.locks import acquire_lock, heartbeat_locks, release_lock, timeout_locks
from app.coroutines.ping import ping
from app.coroutines.read_promise import read_promise
from app.coroutines.read_schedule import delete_schedule, read_schedule
from app.coroutines.schedule_promises import schedule_promises
from app.coroutines.search_promises import search_promises
from app.coroutines.search_schedules import search_schedules
from app.coroutines.timeout_promises import timeout_promises
from app.coroutines.timeout_tasks import timeout_tasks
from app.coroutines.wake_poll_group import stream_connected
from app.settings import Settings
from kernel.t_api import (
    AcquireLockRequest,
    ClaimTaskRequest,
    CompletePromiseRequest,
    CompleteTaskRequest,
    CreateCallbackRequest,
    CreatePromiseAndTaskRequest,
    CreatePromiseRequest,
    CreateScheduleRequest,
    CreateSubscriptionRequest,
    DeleteScheduleRequest,
    HeartbeatLocksRequest,
    HeartbeatTasksRequest,
    PingRequest,
    ReadPromiseRequest,
    ReadScheduleRequest,
    ReleaseLockRequest,
    SearchPromisesRequest,
    SearchSchedulesRequest,
    StreamConnectedRequest,
)

RETENTION_BATCH = 1000


def handlers(settings: Settings) -> dict[type, Callable[..., Any]]:
    scan = {"scan_limit": settings.search_scan_limit}
    callbacks = {"max_callbacks": settings.max_callbacks}
    return {
        CreatePromiseRequest: create_promise,
        CreatePromiseAndTaskRequest: create_promise_and_task,
        ReadPromiseRequest: read_promise,
        CompletePromiseRequest: complete_promise,
        SearchPromisesRequest: functools.partial(search_promises, **scan),
        CreateCallbackRequest: functools.partial(create_callback, **callbacks),
        CreateSubscriptionRequest: functools.partial(create_subscription, **callbacks),
        ClaimTaskRequest: claim_task,
        CompleteTaskRequest: complete_task,
        HeartbeatTasksRequest: heartbeat_tasks,
        CreateScheduleRequest: create_schedule,
        ReadScheduleRequest: read_schedule,
        DeleteScheduleRequest: delete_schedule,
        SearchSchedulesRequest: functools.partial(search_schedules, **scan),
        AcquireLockRequest: acquire_lock,
        ReleaseLockRequest: release_lock,
        HeartbeatLocksRequest: heartbeat_locks,
        PingRequest: ping,
        StreamConnectedRequest: stream_connected,
    }


def background(settings: Settings) -> dict[Job, Callable[..., Any]]:
    delivery = Delivery(
        base_url=settings.public_url,
        in_flight_per_lane=settings.task_batch_size,
        http_workers=settings.sender_workers,
        http_timeout_ms=int(settings.http_push_timeout_s * 1000),
        enqueue_delay_ms=settings.task_enqueue_delay_ms,
        notify_grace_ms=settings.notify_grace_ms,
    )
    return {
        Job.TIMEOUT_PROMISES: functools.partial(timeout_promises, batch_size=settings.promise_batch_size),
        Job.ENQUEUE_TASKS: functools.partial(enqueue_tasks, delivery=delivery, in_flight=SendsInFlight()),
        Job.TIMEOUT_TASKS: functools.partial(timeout_tasks, batch_size=settings.task_batch_size),
        Job.SCHEDULE_PROMISES: functools.partial(schedule_promises, batch_size=settings.schedule_batch_size),
        Job.TIMEOUT_LOCKS: timeout_locks,
        Job.EXPIRE_RECORDS: functools.partial(
            expire_records,
            task_retention_ms=settings.task_retention_ms,
            promise_retention_ms=settings.promise_retention_ms,
            batch_size=RETENTION_BATCH,
        ),
    }
