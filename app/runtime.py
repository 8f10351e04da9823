"""One server process's parts: the store, the kernel with its coroutines, the sender
and the poll listener.

Every gunicorn worker builds its own Runtime after the fork (threads do not survive
a fork); they all share one Redis, which keeps each state change atomic, and one poll
socket bound by the master, with Redis telling which process holds which stream.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass, field

from aio.poll.connections import LocalConnections
from aio.poll.directory import PollDirectory
from aio.poll.server import PollServer
from aio.sender.allow import AllowList
from aio.sender.http_push import HttpPush
from aio.sender.subsystem import SenderSubsystem
from aio.store.embedded import EmbeddedRedis
from aio.store.redis_store import RedisStore, connect
from aio.store.subsystem import StoreSubsystem
from app.auth import BasicAuth
from app.coroutines import handlers as legacy  # the legacy protocol's table
from app.current import handlers as current
from app.settings import POLL_LISTENER_FD, Settings
from kernel import metrics
from kernel.errors import StoreUnavailable
from kernel.supervise import start_thread
from kernel.system import Subsystem, System
from kernel.t_aio import MigrateTaskIndexes
from kernel.t_api import StreamConnectedRequest

log = logging.getLogger(__name__)

METRICS_PERIOD_S = 0.5  # how often a process writes its request tally and kernel load


def build_system(settings: Settings, subsystems: list[Subsystem]) -> System:
    """The kernel with both protocols' tables: a coroutine per request type, and the
    background jobs."""
    system = System(
        subsystems, max_queued_requests=settings.max_queued_requests, max_coroutines=settings.max_coroutines
    )
    for table in (legacy, current):
        for kind, coroutine in table.handlers(settings).items():
            system.add_on_request(kind, coroutine)
        for job, coroutine in table.background(settings).items():
            system.add_background(job, coroutine, settings.signal_timeout_ms)
    return system


def poll_listener(settings: Settings) -> socket.socket:
    """The poll port's socket: inherited from the gunicorn master, or bound here (then
    a second process on the port fails to start rather than sharing it unnoticed)."""
    inherited = os.environ.get(POLL_LISTENER_FD)
    if inherited:
        return socket.socket(fileno=os.dup(int(inherited)))
    return socket.create_server((settings.host, settings.poll_port), backlog=128)


def migrate_task_indexes(store: RedisStore) -> None:
    """Move tasks indexed by an earlier version into today's indexes (a no-op after)."""
    while store.execute_one(MigrateTaskIndexes(1000)):
        pass


@dataclass
class Streams:
    """The current protocol's /poll streams: this process's, and where all of them are."""

    local: LocalConnections
    directory: PollDirectory


@dataclass
class Runtime:
    settings: Settings
    store: RedisStore
    system: System
    poll_server: PollServer
    current_streams: Streams
    _stop_lock: threading.Lock = field(default_factory=threading.Lock)
    _stopping: bool = False
    _metrics_stop: threading.Event = field(default_factory=threading.Event)

    @classmethod
    def start(cls, settings: Settings) -> Runtime:
        redis_url = settings.redis_url
        if not redis_url:
            # Not under `resonate serve` or config/gunicorn.conf.py, whose master owns the
            # store: start it detached, so that no worker's exit stops it under the others.
            embedded = EmbeddedRedis(settings.data_dir, settings.store_fsync)
            if not embedded.answers():
                log.warning("starting the embedded store detached: it keeps running after the server stops")
            redis_url = embedded.start(detached=True)
        client = connect(redis_url)
        store = RedisStore(client, settings.key_prefix)
        with contextlib.suppress(StoreUnavailable):
            migrate_task_indexes(store)
        local = LocalConnections(settings.poll_max_connections, settings.poll_buffer_size)
        directory = PollDirectory(client, settings.key_prefix, local)
        current_local = LocalConnections(settings.poll_max_connections, settings.poll_buffer_size)
        streams = Streams(current_local, PollDirectory(client, settings.key_prefix, current_local, namespace="C"))
        push = HttpPush(settings.http_push_timeout_s, AllowList.parse(settings.http_push_allow))
        sender = SenderSubsystem(directory, push, settings.sender_workers, current_poll=streams.directory)
        system = build_system(settings, [StoreSubsystem(store, settings.store_workers), sender])
        basic = BasicAuth.parse(settings.auth_basic)
        poll_server = PollServer(
            poll_listener(settings),
            directory,
            on_connect=lambda group: system.submit(StreamConnectedRequest(group)),
            allows=basic.allows if basic is not None else None,
        )
        directory.start()
        streams.directory.start()
        system.start()
        poll_server.start()
        runtime = cls(settings, store, system, poll_server, streams)
        start_thread(runtime._record_metrics_forever, "metrics")
        atexit.register(runtime.stop)
        return runtime

    def record_metrics(self) -> None:
        """The request tally and the kernel's load into the metric instruments."""
        metrics.TALLY.flush()
        metrics.COROUTINES.set(self.system.scheduler.in_flight)
        metrics.QUEUED_REQUESTS.set(len(self.system.api_queue))

    def _record_metrics_forever(self) -> None:
        while not self._metrics_stop.wait(METRICS_PERIOD_S):
            self.record_metrics()

    def down(self) -> list[str]:
        """The subsystems that are not working now (empty when all are)."""
        down = []
        if not self.system.alive:
            down.append("kernel")
        if not self.poll_server.alive:
            down.append("poll listener")
        if not self.poll_server.directory.subscribed:
            down.append("poll delivery")
        if not self.current_streams.directory.subscribed:
            down.append("/poll delivery")
        return down

    def end_current_streams(self) -> None:
        """End this process's /poll streams cleanly and give up their registrations
        (clients reconnect, to another process)."""
        streams = self.current_streams
        open_now = streams.local.all()
        streams.local.close_all()
        streams.directory.release_all(open_now)

    def stop(self) -> None:
        """End poll streams cleanly and release them, drain in-flight requests, then
        stop the kernel, all within the settings' stop budget."""
        with self._stop_lock:
            if self._stopping:
                return  # called again (gunicorn's worker_exit, then atexit)
            self._stopping = True
        deadline = time.monotonic() + self.settings.stop_budget_s
        self._metrics_stop.set()
        self.poll_server.stop()
        self.poll_server.directory.stop()
        self.end_current_streams()
        self.current_streams.directory.stop()
        self.system.shutdown(timeout_s=max(0.5, deadline - time.monotonic() - 1.0))
        self.store.client.close()
