"""Every setting with its default and meaning, read from RESONATE_* variables.

Precedence: the real environment, then the env file named by RESONATE_ENV_FILE, then
the defaults below. The README's settings table lists the same names.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from dotenv import dotenv_values


@dataclass(frozen=True, slots=True)
class Setting:
    env: str
    field: str
    default: str
    parse: Callable[[str], Any]
    description: str


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise ValueError(f"must be a positive integer, got {text!r}")
    return value


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise ValueError(f"must be a port number, got {text!r}")
    return value


SETTINGS: tuple[Setting, ...] = (
    Setting("RESONATE_HOST", "host", "0.0.0.0", str, "address the API binds to"),
    Setting("RESONATE_PORT", "port", "8001", _port, "port of the HTTP API"),
    Setting("RESONATE_POLL_PORT", "poll_port", "8002", _port, "port of the poll transport (server-sent events)"),
    Setting(
        "RESONATE_URL", "url", "", str, "public base URL of the API, used in task links; empty means http://HOST:PORT"
    ),
    Setting(
        "RESONATE_DATA_DIR",
        "data_dir",
        "./data",
        str,
        "folder of the embedded store: its append-only file, socket and log",
    ),
    Setting(
        "RESONATE_REDIS_URL",
        "redis_url",
        "",
        str,
        "Redis to use (redis://, rediss:// or unix://); empty starts the embedded store",
    ),
    Setting(
        "RESONATE_KEY_PREFIX", "key_prefix", "resonate", str, "prefix of every Redis key, so servers can share a Redis"
    ),
    Setting("RESONATE_WORKERS", "workers", "2", _positive_int, "gunicorn worker processes, each with its own kernel"),
    Setting("RESONATE_THREADS", "threads", "32", _positive_int, "request threads per worker process"),
    Setting("RESONATE_STORE_WORKERS", "store_workers", "1", _positive_int, "AIO store threads per worker process"),
    Setting(
        "RESONATE_REQUEST_TIMEOUT",
        "request_timeout_s",
        "10",
        float,
        "seconds a request waits for the kernel before a 503",
    ),
    Setting(
        "RESONATE_SIGNAL_TIMEOUT",
        "signal_timeout_ms",
        "1000",
        _positive_int,
        "milliseconds between runs of each background job",
    ),
    Setting(
        "RESONATE_PROMISE_BATCH_SIZE",
        "promise_batch_size",
        "100",
        _positive_int,
        "due promises timed out per store call by the background sweep",
    ),
    Setting(
        "RESONATE_SCHEDULE_BATCH_SIZE",
        "schedule_batch_size",
        "100",
        _positive_int,
        "due schedules fired per store call by the background job",
    ),
    Setting(
        "RESONATE_TASK_BATCH_SIZE",
        "task_batch_size",
        "100",
        _positive_int,
        "tasks sent, or timed out, per store call by the background jobs",
    ),
    Setting(
        "RESONATE_TASK_ENQUEUE_DELAY",
        "task_enqueue_delay_ms",
        "10000",
        _positive_int,
        "milliseconds a sent task may wait to be claimed before it is sent again",
    ),
    Setting(
        "RESONATE_TASK_FREQUENCY",
        "task_frequency_ms",
        "60000",
        _positive_int,
        "lease in milliseconds of a claim made through a task link (GET /tasks/claim/...)",
    ),
    Setting(
        "RESONATE_SENDER_WORKERS", "sender_workers", "4", _positive_int, "threads per process sending task messages"
    ),
    Setting(
        "RESONATE_HTTP_PUSH_TIMEOUT", "http_push_timeout_s", "1", float, "seconds an HTTP push receiver has to answer"
    ),
    Setting(
        "RESONATE_POLL_MAX_CONNECTIONS",
        "poll_max_connections",
        "1000",
        _positive_int,
        "poll streams one server process holds at most (then 429)",
    ),
    Setting(
        "RESONATE_POLL_BUFFER_SIZE",
        "poll_buffer_size",
        "100",
        _positive_int,
        "messages buffered per poll stream; a full buffer fails the send",
    ),
    Setting("RESONATE_LOG_LEVEL", "log_level", "info", str.lower, "debug, info, warning or error"),
)


@dataclass(frozen=True, slots=True)
class Settings:
    host: str
    port: int
    poll_port: int
    url: str
    data_dir: str
    redis_url: str
    key_prefix: str
    workers: int
    threads: int
    store_workers: int
    request_timeout_s: float
    signal_timeout_ms: int
    promise_batch_size: int
    schedule_batch_size: int
    task_batch_size: int
    task_enqueue_delay_ms: int
    task_frequency_ms: int
    sender_workers: int
    http_push_timeout_s: float
    poll_max_connections: int
    poll_buffer_size: int
    log_level: str

    @property
    def public_url(self) -> str:
        return self.url or f"http://{self.host}:{self.port}"


class SettingsError(ValueError):
    pass


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from the environment, the env file it names, and the defaults."""
    environ = os.environ if environ is None else environ
    from_file: dict[str, str | None] = {}
    env_file = environ.get("RESONATE_ENV_FILE")
    if env_file:
        if not os.path.isfile(env_file):
            raise SettingsError(f"RESONATE_ENV_FILE {env_file!r} is not a file")
        from_file = dotenv_values(env_file)
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        text = environ.get(setting.env)
        if text is None:
            text = from_file.get(setting.env)
        if text is None:
            text = setting.default
        try:
            values[setting.field] = setting.parse(text.strip())
        except ValueError as exc:
            raise SettingsError(f"{setting.env}: {exc}") from None
    return Settings(**values)
