"""One server process's parts: the store, the kernel with its coroutines, the sender
and the poll listener.

Every gunicorn worker builds its own Runtime after the fork (threads do not survive
a fork); they all share one Redis, which keeps each state change atomic, and one poll
port (SO_REUSEPORT), with Redis telling which process holds which stream.
"""

from __future__ import annotations

import atexit
import functools
import logging
from dataclasses import dataclass

from aio.poll.connections import LocalConnections
from aio.poll.directory import PollDirectory
from aio.poll.server import PollServer
from aio.sender.http_push import HttpPush
from aio.sender.subsystem import SenderSubsystem
from aio.store.embedded import EmbeddedRedis
from aio.store.redis_store import RedisStore, connect
from aio.store.subsystem import StoreSubsystem
from app.coroutines.claim_task import claim_task
from app.coroutines.complete_promise import complete_promise
from app.coroutines.complete_task import complete_task
from app.coroutines.create_callback import create_callback, create_subscription
from app.coroutines.create_promise import ENQUEUE_TASKS, create_promise
from app.coroutines.create_promise_and_task import create_promise_and_task
from app.coroutines.create_schedule import create_schedule
from app.coroutines.enqueue_tasks import enqueue_tasks
from app.coroutines.heartbeat_tasks import heartbeat_tasks
from app.coroutines.locks import acquire_lock, heartbeat_locks, release_lock, timeout_locks
from app.coroutines.ping import ping
from app.coroutines.read_promise import read_promise
from app.coroutines.read_schedule import delete_schedule, read_schedule
from app.coroutines.schedule_promises import schedule_promises
from app.coroutines.search_promises import search_promises
from app.coroutines.search_schedules import search_schedules
from app.coroutines.timeout_promises import timeout_promises
from app.coroutines.timeout_tasks import timeout_tasks
from app.settings import Settings
from kernel.system import Subsystem, System
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
)

log = logging.getLogger(__name__)

SEND_WINDOW_MS = 5_000  # how long a reserved task is held for its sender


def build_system(settings: Settings, subsystems: list[Subsystem]) -> System:
    """The kernel with a coroutine for every request kind and the background jobs."""
    system = System(subsystems)
    handlers = {
        CreatePromiseRequest: create_promise,
        CreatePromiseAndTaskRequest: create_promise_and_task,
        ReadPromiseRequest: read_promise,
        CompletePromiseRequest: complete_promise,
        SearchPromisesRequest: search_promises,
        CreateCallbackRequest: create_callback,
        CreateSubscriptionRequest: create_subscription,
        ClaimTaskRequest: claim_task,
        CompleteTaskRequest: complete_task,
        HeartbeatTasksRequest: heartbeat_tasks,
        CreateScheduleRequest: create_schedule,
        ReadScheduleRequest: read_schedule,
        DeleteScheduleRequest: delete_schedule,
        SearchSchedulesRequest: search_schedules,
        AcquireLockRequest: acquire_lock,
        ReleaseLockRequest: release_lock,
        HeartbeatLocksRequest: heartbeat_locks,
        PingRequest: ping,
    }
    for kind, body in handlers.items():
        system.add_on_request(kind, body)
    period = settings.signal_timeout_ms
    system.add_background(
        "timeoutPromises", functools.partial(timeout_promises, batch_size=settings.promise_batch_size), period
    )
    system.add_background(
        ENQUEUE_TASKS,
        functools.partial(
            enqueue_tasks,
            base_url=settings.public_url,
            batch_size=settings.task_batch_size,
            enqueue_delay_ms=settings.task_enqueue_delay_ms,
            send_window_ms=SEND_WINDOW_MS,
        ),
        period,
    )
    system.add_background("timeoutTasks", functools.partial(timeout_tasks, batch_size=settings.task_batch_size), period)
    system.add_background(
        "schedulePromises",
        functools.partial(schedule_promises, batch_size=settings.schedule_batch_size),
        period,
    )
    system.add_background("timeoutLocks", timeout_locks, period)
    return system


@dataclass
class Runtime:
    settings: Settings
    store: RedisStore
    system: System
    poll_server: PollServer
    embedded: EmbeddedRedis | None = None

    @classmethod
    def start(cls, settings: Settings) -> Runtime:
        embedded = None
        redis_url = settings.redis_url
        if not redis_url:
            embedded = EmbeddedRedis(settings.data_dir)
            redis_url = embedded.start()
        client = connect(redis_url)
        store = RedisStore(client, settings.key_prefix)
        local = LocalConnections(settings.poll_max_connections, settings.poll_buffer_size)
        directory = PollDirectory(client, settings.key_prefix, local)
        sender = SenderSubsystem(directory, HttpPush(settings.http_push_timeout_s), settings.sender_workers)
        system = build_system(settings, [StoreSubsystem(store, settings.store_workers), sender])
        poll_server = PollServer(settings.host, settings.poll_port, directory)
        directory.start()
        system.start()
        poll_server.start()
        runtime = cls(settings, store, system, poll_server, embedded)
        atexit.register(runtime.stop)
        return runtime

    def stop(self) -> None:
        """End poll streams cleanly, drain in-flight requests, then stop the kernel and
        an embedded Redis this process started."""
        if self.system.stopped:
            return
        self.poll_server.stop()
        self.poll_server.directory.stop()
        self.system.shutdown()
        self.store.client.close()
        if self.embedded is not None:
            self.embedded.stop()
