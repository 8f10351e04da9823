"""The process model: the gunicorn master owns what its workers share (the embedded
store, the poll port), a stopping worker gives its streams back, and `resonate
serve` takes gunicorn's own settings from GUNICORN_CMD_ARGS."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import redis

from aio.store.embedded import EmbeddedRedis
from tests import client
from tests.conftest import REPO, ServerProcess, free_port, gunicorn_server, server_env, unique, wait_until
from tests.sse import EventStream

NEVER = 2**63 - 1


def resonate_serve(log_path: Path, **settings: str) -> ServerProcess:
    command = [sys.executable, "-m", "app.cli", "serve"]
    return ServerProcess(command, server_env(free_port(), **settings), log_path)


def children(pid: int) -> list[int]:
    """Child processes of any thread of the process (a thread's children are its own)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):  # the thread ended meanwhile
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


def command_line(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def redis_server_pid(master: int) -> int:
    """The live redis-server the master started (0 while there is none)."""
    for pid in children(master):
        status = Path(f"/proc/{pid}/status").read_text()
        if "redis-server" in command_line(pid) and "State:\tZ" not in status:
            return pid
    return 0


def worker_pids(master: int) -> list[int]:
    return [pid for pid in children(master) if "redis-server" not in command_line(pid)]


def test_a_second_server_on_the_same_poll_port_fails_to_start(redis_url: str, tmp_path: Path) -> None:
    first = gunicorn_server(tmp_path / "a.log", RESONATE_REDIS_URL=redis_url, RESONATE_KEY_PREFIX=unique("a"))
    first.start()
    try:
        env = server_env(free_port(), RESONATE_REDIS_URL=redis_url, RESONATE_POLL_PORT=first.env["RESONATE_POLL_PORT"])
        command = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "wsgi:app"]
        second = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode != 0
        assert "is another server running on it?" in second.stdout + second.stderr
        assert client.get(f"{first.url}/healthz").status_code == 200
    finally:
        first.stop()


def test_a_stopping_server_releases_its_streams(redis_url: str, tmp_path: Path) -> None:
    prefix = unique("release")
    server = gunicorn_server(tmp_path / "s.log", RESONATE_REDIS_URL=redis_url, RESONATE_KEY_PREFIX=prefix)
    server.start()
    direct = redis.Redis.from_url(redis_url, decode_responses=True)
    for n in range(6):  # connections the workers race for
        EventStream(server.poll_url, "g", f"short-{n}").close()
    stream = EventStream(server.poll_url, "g", "w")
    try:
        owner = f'{prefix}:poll:owner:["g","w"]'
        wait_until(lambda: direct.exists(owner), 5, "the stream was never registered")
        started = time.monotonic()
        server.stop()
        # Within its budget, not gunicorn's 15 s graceful timeout (a worker blocked in
        # accept on the shared poll socket held its stop until then).
        assert time.monotonic() - started < 8
        assert stream.ended.wait(10) and stream.clean_end
        assert not direct.exists(owner)  # not left to lapse for 15 s
        assert direct.zcard(f"{prefix}:poll:group:g") == 0
    finally:
        stream.close()
        server.stop()


def test_resonate_serve_honours_gunicorn_cmd_args(redis_url: str, tmp_path: Path) -> None:
    server = resonate_serve(
        tmp_path / "s.log",
        RESONATE_REDIS_URL=redis_url,
        RESONATE_KEY_PREFIX=unique("cmdargs"),
        RESONATE_WORKERS="1",
        GUNICORN_CMD_ARGS="--max-requests 5 --max-requests-jitter 0",
    )
    server.start()
    try:
        assert server._process is not None
        (first_worker,) = worker_pids(server._process.pid)
        for _ in range(12):
            with contextlib.suppress(OSError):  # a connection the retiring worker closed
                client.get(f"{server.url}/promises/{unique()}")
        wait_until(lambda: first_worker not in worker_pids(server._process.pid), 10, "max_requests was ignored")
        server.wait_listening()
    finally:
        server.stop()


def test_the_master_restarts_a_dead_embedded_store_and_always_fsync_keeps_every_write(tmp_path: Path) -> None:
    data = tmp_path / "data"
    server = resonate_serve(
        tmp_path / "s.log", RESONATE_DATA_DIR=str(data), RESONATE_WORKERS="1", RESONATE_STORE_FSYNC="always"
    )
    server.start()
    try:
        assert server._process is not None
        store_pid = redis_server_pid(server._process.pid)
        direct = redis.Redis(unix_socket_path=str(EmbeddedRedis(data).socket_path), decode_responses=True)
        assert direct.config_get("appendfsync") == {"appendfsync": "always"}
        promise_id = unique()
        assert client.post(f"{server.url}/promises", json={"id": promise_id, "timeout": NEVER}).status_code == 201
        os.kill(store_pid, signal.SIGKILL)  # no chance to flush anything
        wait_until(
            lambda: redis_server_pid(server._process.pid) not in (0, store_pid), 15, "the store was not restarted"
        )
        server.wait_listening()
        assert client.get(f"{server.url}/promises/{promise_id}").json()["state"] == "PENDING"
    finally:
        server.stop()


def test_a_worker_without_the_masters_hooks_never_owns_the_embedded_store(tmp_path: Path) -> None:
    """Run as `gunicorn wsgi:app` from elsewhere (no config, so no master hooks): the
    worker starts the store detached, and a worker that exits leaves it running."""
    data = tmp_path / "data"
    env = server_env(free_port(), RESONATE_DATA_DIR=str(data))
    bind = f"127.0.0.1:{env['RESONATE_PORT']}"
    command = [sys.executable, "-m", "gunicorn", "--chdir", str(REPO), "--bind", bind, "--workers", "1", "wsgi:app"]
    server = ServerProcess(command, env, tmp_path / "s.log")
    server._command = command
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server._process = process
    store = EmbeddedRedis(data)
    direct = redis.Redis(unix_socket_path=str(store.socket_path))
    store_pid = 0
    try:
        server.wait_listening()
        store_pid = int(direct.info("server")["process_id"])
        (worker,) = worker_pids(process.pid)
        os.kill(worker, signal.SIGTERM)
        wait_until(lambda: worker not in worker_pids(process.pid) and worker_pids(process.pid), 15)
        server.wait_listening()
        assert int(direct.info("server")["process_id"]) == store_pid  # the same store, never stopped
    finally:
        server.stop()
        if store_pid:
            os.kill(store_pid, signal.SIGTERM)
