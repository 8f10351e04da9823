"""Our server for a benchmark: started as users start it, and its store filled directly."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import requests

from aio.store.embedded import EmbeddedRedis
from aio.store.redis_store import RedisStore, connect
from bench.load import free_port
from kernel.t_aio import CreatePromise, StoreSubmission

REPO = Path(__file__).resolve().parent.parent
KEY_PREFIX = "resonate"  # the default RESONATE_KEY_PREFIX


@dataclass(frozen=True)
class OurServer:
    url: str
    poll_url: str
    redis_url: str
    pid: int  # the gunicorn master

    def store(self) -> RedisStore:
        """Direct access to the server's store, to fill it faster than HTTP can."""
        return RedisStore(connect(self.redis_url), KEY_PREFIX)


@contextmanager
def our_server(workers: int = 2, redis_url: str = "", **settings: str) -> Iterator[OurServer]:
    """`resonate serve` on free ports, on its embedded store in a fresh folder (or on
    redis_url), with any other RESONATE_* settings given, stopped on exit."""
    port, poll_port = free_port(), free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        env = (
            {k: v for k, v in os.environ.items() if not k.startswith("RESONATE_")}
            | {
                "RESONATE_HOST": "127.0.0.1",
                "RESONATE_PORT": str(port),
                "RESONATE_POLL_PORT": str(poll_port),
                "RESONATE_DATA_DIR": data_dir,
                "RESONATE_REDIS_URL": redis_url,
                "RESONATE_WORKERS": str(workers),
                "RESONATE_LOG_LEVEL": "warning",
            }
            | settings
        )
        process = subprocess.Popen([sys.executable, "-m", "app.cli", "serve"], env=env, cwd=REPO)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url)
            yield OurServer(url, f"http://127.0.0.1:{poll_port}", redis_url or EmbeddedRedis(data_dir).url, process.pid)
        finally:
            process.terminate()
            process.wait(timeout=30)


def wait_healthy(url: str, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"server at {url} did not become healthy")


def store_pending(store: RedisStore, promises: Iterable[tuple[str, int]]) -> None:
    """Create pending promises (id, timeout) through the store's own script, 2,000 to
    a round trip."""
    pending = iter(promises)
    while batch := list(islice(pending, 2000)):
        now = time.time_ns() // 1_000_000
        store.execute([StoreSubmission(tuple(CreatePromise(i, "{}", t, None, {}, now) for i, t in batch))])
