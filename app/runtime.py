"""One server process's parts: the store connection, the kernel and its coroutines.

Every gunicorn worker builds its own Runtime after the fork (threads do not survive
a fork); they all share one Redis, which keeps each state change atomic.
"""

from __future__ import annotations

import atexit
import functools
import logging
from dataclasses import dataclass

from aio.store.embedded import EmbeddedRedis
from aio.store.redis_store import RedisStore, connect
from aio.store.subsystem import StoreSubsystem
from app.coroutines.complete_promise import complete_promise
from app.coroutines.create_promise import create_promise
from app.coroutines.ping import ping
from app.coroutines.read_promise import read_promise
from app.coroutines.search_promises import search_promises
from app.coroutines.timeout_promises import timeout_promises
from app.settings import Settings
from kernel.system import System
from kernel.t_api import (
    CompletePromiseRequest,
    CreatePromiseRequest,
    PingRequest,
    ReadPromiseRequest,
    SearchPromisesRequest,
)

log = logging.getLogger(__name__)


def build_system(settings: Settings, store: RedisStore) -> System:
    """The kernel with a coroutine for every request kind and the background jobs."""
    system = System([StoreSubsystem(store, settings.store_workers)])
    system.add_on_request(CreatePromiseRequest, create_promise)
    system.add_on_request(ReadPromiseRequest, read_promise)
    system.add_on_request(CompletePromiseRequest, complete_promise)
    system.add_on_request(SearchPromisesRequest, search_promises)
    system.add_on_request(PingRequest, ping)
    system.add_background(
        "timeoutPromises",
        functools.partial(timeout_promises, batch_size=settings.promise_batch_size),
        settings.signal_timeout_ms,
    )
    return system


@dataclass
class Runtime:
    settings: Settings
    store: RedisStore
    system: System
    embedded: EmbeddedRedis | None = None

    @classmethod
    def start(cls, settings: Settings) -> Runtime:
        embedded = None
        redis_url = settings.redis_url
        if not redis_url:
            embedded = EmbeddedRedis(settings.data_dir)
            redis_url = embedded.start()
        store = RedisStore(connect(redis_url), settings.key_prefix)
        system = build_system(settings, store)
        system.start()
        runtime = cls(settings, store, system, embedded)
        atexit.register(runtime.stop)
        return runtime

    def stop(self) -> None:
        """Drain in-flight requests, then stop the kernel and an embedded Redis we own."""
        self.system.shutdown()
        self.store.client.close()
        if self.embedded is not None:
            self.embedded.stop()
