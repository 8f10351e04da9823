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

from aio.sender.allow import AllowList
from aio.store.embedded import FSYNC_POLICIES
from app.auth import AuthConfigError, BasicAuth, JwtAuth

# Set by the gunicorn master for its workers: the poll port's listening socket.
POLL_LISTENER_FD = "RESONATE_POLL_LISTENER_FD"


MASK = "********"


@dataclass(frozen=True, slots=True)
class Setting:
    env: str
    field: str
    default: str
    parse: Callable[[str], Any]
    description: str
    secret: bool = False  # printed masked

    def shown(self, value: Any) -> str:
        """The value as printed for people: a secret masked, and the password of a URL
        (redis://user:password@host) too."""
        if self.secret and value:
            return MASK
        text = str(value)
        scheme, sep, rest = text.partition("://")
        credentials, at, host = rest.rpartition("@")
        if sep and at and ":" in credentials:
            user = credentials.split(":", 1)[0]
            return f"{scheme}://{user}:{MASK}@{host}"
        return text


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise ValueError(f"must be a positive integer, got {text!r}")
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError(f"must be 0 or more, got {text!r}")
    return value


def _fsync(text: str) -> str:
    if text not in FSYNC_POLICIES:
        raise ValueError(f"must be one of {', '.join(FSYNC_POLICIES)}, got {text!r}")
    return text


def _allow_list(text: str) -> str:
    AllowList.parse(text)
    return text


def _basic_pairs(text: str) -> str:
    BasicAuth.parse(text)
    return text


def _log_format(text: str) -> str:
    if text not in ("text", "json"):
        raise ValueError(f"must be text or json, got {text!r}")
    return text


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
    Setting(
        "RESONATE_HTTP_PUSH_ALLOW",
        "http_push_allow",
        "*",
        _allow_list,
        "hosts HTTP push may reach: * or a comma-separated list of names (*.example.com), addresses and networks",
    ),
    Setting(
        "RESONATE_NOTIFY_GRACE",
        "notify_grace_ms",
        "5000",
        _non_negative_int,
        "milliseconds a notify waits for its stream to connect before it is dropped",
    ),
    Setting(
        "RESONATE_MAX_BODY_SIZE",
        "max_body_size",
        "10485760",
        _positive_int,
        "largest request body in bytes (then 413)",
    ),
    Setting(
        "RESONATE_MAX_QUEUED_REQUESTS",
        "max_queued_requests",
        "256",
        _positive_int,
        "requests one process holds waiting for the kernel (then 503 with Retry-After)",
    ),
    Setting(
        "RESONATE_MAX_COROUTINES",
        "max_coroutines",
        "1000",
        _positive_int,
        "requests one process's kernel works on at once; more wait in the queue",
    ),
    Setting(
        "RESONATE_MAX_CALLBACKS",
        "max_callbacks",
        "1000",
        _positive_int,
        "callbacks and subscriptions one promise may hold (then 400)",
    ),
    Setting(
        "RESONATE_SEARCH_SCAN_LIMIT",
        "search_scan_limit",
        "10000",
        _positive_int,
        "index entries one search request reads at most; it then answers what it found with a cursor",
    ),
    Setting(
        "RESONATE_TASK_RETENTION",
        "task_retention_ms",
        "86400000",
        _positive_int,
        "milliseconds a finished task's record is kept",
    ),
    Setting(
        "RESONATE_PROMISE_RETENTION",
        "promise_retention_ms",
        "0",
        _non_negative_int,
        "milliseconds a completed promise is kept; 0 keeps it forever",
    ),
    Setting(
        "RESONATE_STORE_FSYNC",
        "store_fsync",
        "everysec",
        _fsync,
        "when the embedded store fsyncs its append-only file: everysec or always",
    ),
    Setting(
        "RESONATE_SHUTDOWN_TIMEOUT",
        "shutdown_timeout_s",
        "15",
        _positive_int,
        "seconds a stopping worker has to finish (gunicorn's graceful timeout); must exceed the request timeout by 2",
    ),
    Setting(
        "RESONATE_TASK_RETRY_TIMEOUT",
        "task_retry_timeout_ms",
        "30000",
        _positive_int,
        "current protocol: milliseconds between sends of a pending task's execute",
    ),
    Setting(
        "RESONATE_MAX_PRELOAD",
        "max_preload",
        "1000",
        _positive_int,
        "current protocol: promises of a task's branch sent with it at most (a cache for the worker)",
    ),
    Setting(
        "RESONATE_POLL_STREAM_LIFETIME",
        "poll_stream_lifetime_s",
        "240",
        _positive_int,
        "current protocol: seconds after which a /poll stream is ended cleanly (clients reconnect)",
    ),
    Setting(
        "RESONATE_POLL_KEEPALIVE",
        "poll_keepalive_s",
        "15",
        _positive_int,
        "current protocol: seconds between keep-alive comments on an idle /poll stream",
    ),
    Setting(
        "RESONATE_AUTH_BASIC",
        "auth_basic",
        "",
        _basic_pairs,
        "legacy protocol: user:password pairs, comma separated, for HTTP basic auth (API and poll port); empty: off",
        secret=True,
    ),
    Setting(
        "RESONATE_AUTH_JWT_PUBLIC_KEY",
        "auth_jwt_public_key",
        "",
        str,
        "current protocol: PEM public key (or the path of a PEM file) verifying JWTs; empty: off",
    ),
    Setting(
        "RESONATE_AUTH_JWT_ISSUER", "auth_jwt_issuer", "", str, "current protocol: the iss a token must carry, if set"
    ),
    Setting(
        "RESONATE_AUTH_JWT_AUDIENCE",
        "auth_jwt_audience",
        "",
        str,
        "current protocol: an aud a token must carry, if set",
    ),
    Setting("RESONATE_LOG_LEVEL", "log_level", "info", str.lower, "debug, info, warning or error"),
    Setting(
        "RESONATE_LOG_FORMAT",
        "log_format",
        "text",
        _log_format,
        "text, or json for JSON lines (one per request, with request_id, kind, status and duration_ms)",
    ),
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
    http_push_allow: str
    notify_grace_ms: int
    max_body_size: int
    max_queued_requests: int
    max_coroutines: int
    max_callbacks: int
    search_scan_limit: int
    task_retention_ms: int
    promise_retention_ms: int
    store_fsync: str
    shutdown_timeout_s: int
    task_retry_timeout_ms: int
    max_preload: int
    poll_stream_lifetime_s: int
    poll_keepalive_s: int
    auth_basic: str
    auth_jwt_public_key: str
    auth_jwt_issuer: str
    auth_jwt_audience: str
    log_level: str
    log_format: str

    @property
    def public_url(self) -> str:
        return self.url or f"http://{self.host}:{self.port}"

    @property
    def stop_budget_s(self) -> float:
        """What a worker's runtime may spend stopping: gunicorn's graceful timeout less
        the longest request it may still be finishing."""
        return self.shutdown_timeout_s - self.request_timeout_s


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
    settings = Settings(**values)
    try:
        JwtAuth.load(settings.auth_jwt_public_key)
    except AuthConfigError as exc:
        raise SettingsError(f"RESONATE_AUTH_JWT_PUBLIC_KEY: {exc}") from None
    if settings.stop_budget_s < 2:
        raise SettingsError(
            "RESONATE_SHUTDOWN_TIMEOUT must exceed RESONATE_REQUEST_TIMEOUT by at least 2 seconds, "
            f"got {settings.shutdown_timeout_s} and {settings.request_timeout_s}"
        )
    return settings
