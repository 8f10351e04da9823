"""Fixtures that start real things: a Redis (started the way the embedded store starts
one), servers under gunicorn on free ports, and HTTP clients."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import requests

from aio.store.embedded import EmbeddedRedis
from aio.store.redis_store import RedisStore, connect
from tests import client
from tests.client import TimedSession

REPO = Path(__file__).resolve().parent.parent


_PORTS_GIVEN: set[int] = set()


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port() -> int:
    """A free port for a server, below the kernel's ephemeral range: a port from that
    range (what binding port 0 gives) can be taken by some client's outgoing connection
    before the server binds it. Never the same port twice in a run."""
    low = max(_ephemeral_low(), 12_000)
    for _ in range(500):
        port = random.randrange(10_000, low)
        if port in _PORTS_GIVEN:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _PORTS_GIVEN.add(port)
        return port
    raise RuntimeError("no free port below the ephemeral range")


def unique(name: str = "p") -> str:
    return f"{name}-{uuid.uuid4().hex[:12]}"


def wait_until(condition: Callable[[], object], timeout_s: float = 10.0, message: str = "") -> None:
    """Poll a condition until it holds; fail with `message` after timeout_s."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, message or "the condition did not hold in time"
        time.sleep(0.05)


class ServerProcess:
    """A server started as users start it, on a free port, stopped with SIGTERM."""

    def __init__(self, command: list[str], env: dict[str, str], log_path: Path) -> None:
        self.port = int(env["RESONATE_PORT"])
        self.url = f"http://127.0.0.1:{self.port}"
        self.poll_url = f"http://127.0.0.1:{env['RESONATE_POLL_PORT']}"
        self.env = env
        self.log_path = log_path
        self._command = command
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, wait_healthy: bool = True) -> ServerProcess:
        with open(self.log_path, "ab") as log:
            self._process = subprocess.Popen(
                self._command, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        self.wait_listening(healthy=wait_healthy)
        return self

    def wait_listening(self, healthy: bool = True, timeout_s: float = 30.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise RuntimeError(f"server exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                reply = client.get(f"{self.url}/healthz", timeout=2)
                if reply.status_code == 200 or not healthy:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not start:\n{self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.send_signal(signal.SIGTERM)
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None


def server_env(port: int, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RESONATE_")}
    env.update(
        RESONATE_HOST="127.0.0.1",
        RESONATE_PORT=str(port),
        RESONATE_POLL_PORT=str(free_port()),
        RESONATE_WORKERS="2",
        RESONATE_THREADS="16",
        RESONATE_LOG_LEVEL=os.environ.get("TEST_SERVER_LOG_LEVEL", "warning"),
    )
    env.update(settings)
    return env


def gunicorn_server(log_path: Path, **settings: str) -> ServerProcess:
    """`gunicorn -c config/gunicorn.conf.py wsgi:app`, as the README runs it."""
    command = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "wsgi:app"]
    return ServerProcess(command, server_env(free_port(), **settings), log_path)


@contextlib.contextmanager
def own_server(redis_url: str, folder: Path, **settings: str) -> Iterator[ServerProcess]:
    """A server of a test's own: its own key prefix and the given settings."""
    server = gunicorn_server(
        folder / "s.log", RESONATE_REDIS_URL=redis_url, RESONATE_KEY_PREFIX=unique("own"), **settings
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    redis = EmbeddedRedis(tmp_path_factory.mktemp("redis"))
    yield redis.start()
    redis.stop()


@pytest.fixture
def store(redis_url: str) -> Iterator[RedisStore]:
    """A store on the shared Redis with a key prefix of its own: a clean slate."""
    store = RedisStore(connect(redis_url), unique("test"))
    yield store
    store.client.close()


@pytest.fixture(scope="session")
def server(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One server (2 gunicorn workers) shared by the API tests; ids keep tests apart."""
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    process = gunicorn_server(log_path, RESONATE_REDIS_URL=redis_url, RESONATE_KEY_PREFIX=unique("api"))
    process.start()
    yield process
    process.stop()


FAST_TASKS = {"RESONATE_TASK_ENQUEUE_DELAY": "1000", "RESONATE_SIGNAL_TIMEOUT": "200"}


@contextlib.contextmanager
def server_pair(redis_url: str, folder: Path, **settings: str) -> Iterator[list[ServerProcess]]:
    """Two servers (2 workers each) on one Redis and one key prefix."""
    prefix = unique("pair")
    servers = [
        gunicorn_server(folder / f"s{n}.log", RESONATE_REDIS_URL=redis_url, RESONATE_KEY_PREFIX=prefix, **settings)
        for n in range(2)
    ]
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


@pytest.fixture(scope="module")
def fast_servers(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[ServerProcess]]:
    """A server pair with a 1 s enqueue delay and a 200 ms background period, for
    tests of leases and delivery."""
    with server_pair(redis_url, tmp_path_factory.mktemp("fast"), **FAST_TASKS) as servers:
        yield servers


@pytest.fixture
def fast_api(fast_servers: list[ServerProcess]) -> Iterator[Api]:
    with TimedSession() as session:
        yield Api(fast_servers[0].url, session)


@pytest.fixture
def store_of_server(server: ServerProcess, redis_url: str) -> Iterator[RedisStore]:
    """Direct access to what the shared server stored, to check what reads cannot show."""
    store = RedisStore(connect(redis_url), server.env["RESONATE_KEY_PREFIX"])
    yield store
    store.client.close()


@pytest.fixture
def api(server: ServerProcess) -> Iterator[Api]:
    with TimedSession() as session:
        yield Api(server.url, session)


class Api:
    """A thin HTTP client for the promise routes, returning requests' responses."""

    def __init__(self, url: str, session: requests.Session) -> None:
        self.url = url
        self.session = session

    def create(
        self,
        promise_id: str,
        timeout: int = 2**63 - 1,
        key: str | None = None,
        strict: bool | None = None,
        **body: object,
    ) -> requests.Response:
        return self.session.post(
            f"{self.url}/promises",
            json={"id": promise_id, "timeout": timeout, **body},
            headers=headers(key, strict),
        )

    def complete(
        self, promise_id: str, state: str, key: str | None = None, strict: bool | None = None, **body: object
    ) -> requests.Response:
        return self.session.patch(
            f"{self.url}/promises/{quote(promise_id)}", json={"state": state, **body}, headers=headers(key, strict)
        )

    def read(self, promise_id: str) -> requests.Response:
        return self.session.get(f"{self.url}/promises/{quote(promise_id)}")

    def search(self, **params: object) -> requests.Response:
        return self.session.get(f"{self.url}/promises", params=params)


def headers(key: str | None, strict: bool | None) -> dict[str, str]:
    out = {}
    if key is not None:
        out["Idempotency-Key"] = key
    if strict is not None:
        out["Strict"] = "True" if strict else "False"  # as the SDK sends it
    return out
