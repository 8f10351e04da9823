"""Serving under gunicorn: options and hooks shared by `resonate serve` and
config/gunicorn.conf.py.

The master process owns what all workers share: it starts the embedded Redis (when
no URL is set), restarts it if it dies, and binds the poll port once, so a second
server instance on the same port fails to start instead of quietly taking a share of
the streams. Workers inherit the poll socket and the store's URL, and each builds its
own app and kernel.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import tempfile
from typing import Any

from aio.store.embedded import EmbeddedRedis
from app.settings import POLL_LISTENER_FD, load_settings

_embedded: EmbeddedRedis | None = None
_metrics_dir: str | None = None
MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"


def on_starting(server: Any) -> None:
    global _embedded, _metrics_dir
    settings = load_settings()
    if not os.environ.get(MULTIPROC_DIR):  # every worker writes its metric samples here
        _metrics_dir = tempfile.mkdtemp(prefix="resonate-metrics-")
        os.environ[MULTIPROC_DIR] = _metrics_dir
    try:
        listener = socket.create_server((settings.host, settings.poll_port), backlog=128)
    except OSError as exc:
        raise RuntimeError(
            f"cannot listen on the poll port {settings.poll_port} ({exc.strerror}): is another server running on it?"
        ) from None
    listener.set_inheritable(True)
    os.environ[POLL_LISTENER_FD] = str(listener.detach())
    if not settings.redis_url:
        _embedded = EmbeddedRedis(settings.data_dir, settings.store_fsync)
        os.environ["RESONATE_REDIS_URL"] = _embedded.start()
        _embedded.supervise()


def on_exit(server: Any) -> None:
    if _embedded is not None:
        _embedded.stop()
    if _metrics_dir is not None:
        shutil.rmtree(_metrics_dir, ignore_errors=True)


def post_fork(server: Any, worker: Any) -> None:
    if os.environ.get(MULTIPROC_DIR):
        from kernel import metrics

        metrics.use_multiprocess_values()


def child_exit(server: Any, worker: Any) -> None:
    """A worker's live gauges (coroutines, streams) leave the sums when it exits."""
    if os.environ.get(MULTIPROC_DIR):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker: Any) -> None:
    """On SIGTERM, end this worker's /poll streams at once: they are requests gunicorn
    would otherwise wait for until its graceful timeout."""
    runtime = _runtime_of(worker)
    if runtime is None:
        return
    graceful = signal.getsignal(signal.SIGTERM)

    def end_streams_then_stop(signum: int, frame: Any) -> None:
        runtime.end_current_streams()
        if callable(graceful):
            graceful(signum, frame)

    signal.signal(signal.SIGTERM, end_streams_then_stop)


def _runtime_of(worker: Any) -> Any:
    app = getattr(worker, "wsgi", None)
    return getattr(app, "extensions", {}).get("resonate") if app is not None else None


def worker_exit(server: Any, worker: Any) -> None:
    runtime = _runtime_of(worker)
    if runtime is not None:
        runtime.stop()


def gunicorn_options() -> dict[str, Any]:
    """gunicorn settings from RESONATE_* settings (gthread: one kernel per process,
    many request threads waiting on it)."""
    settings = load_settings()
    return {
        "bind": [f"{settings.host}:{settings.port}"],
        "workers": settings.workers,
        "worker_class": "gthread",
        # request threads, plus one per current-protocol /poll stream a process may hold;
        # idle keep-alive connections beyond them wait without a thread
        "threads": settings.threads + settings.poll_max_connections,
        "worker_connections": 2 * (settings.threads + settings.poll_max_connections),
        "preload_app": False,  # each worker must start its own kernel threads
        "timeout": 60,
        "graceful_timeout": settings.shutdown_timeout_s,
        "keepalive": 30,
        "limit_request_line": 8190,  # the largest gunicorn allows: path ids reach our own 400
        "loglevel": settings.log_level,
        "on_starting": on_starting,
        "on_exit": on_exit,
        "worker_exit": worker_exit,
        "post_worker_init": post_worker_init,
        "child_exit": child_exit,
        "post_fork": post_fork,
    }
