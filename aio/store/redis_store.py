"""The Redis store: executes batches of store submissions in one pipeline round trip.

Each command is one EVALSHA of its script, so each is atomic and conditional on its
own; commands from many coroutines share the round trip. A failure to reach Redis
fails the batch with StoreUnavailable (a 503 upstream); redis-py reconnects on the
next batch, so the server recovers by itself when Redis is back.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.exceptions import (
    BusyLoadingError,
    ClusterDownError,
    MasterDownError,
    NoScriptError,
    OutOfMemoryError,
    ReadOnlyError,
    ResponseError,
    TryAgainError,
)
from redis.retry import Retry

from aio.store import current, promises, schedules, tasks
from aio.store.binding import Binding
from aio.store.keys import key
from aio.store.scripts import Script, load_scripts
from kernel import metrics
from kernel.errors import StoreUnavailable
from kernel.t_aio import (
    AcquireLock,
    ClaimTask,
    CompletePromise,
    CompleteTask,
    CreateCallback,
    CreatePromise,
    CreateSchedule,
    DeleteSchedule,
    DueSchedules,
    ExpirePromises,
    ExpireTasks,
    FireSchedule,
    HeartbeatLocks,
    HeartbeatTasks,
    MigrateTaskIndexes,
    Ping,
    PostponeSchedule,
    ReadPromise,
    ReadSchedule,
    RecordSendOutcome,
    ReleaseLock,
    ReserveTasks,
    SearchPromises,
    SearchSchedules,
    StoreSubmission,
    TimeoutLocks,
    TimeoutPromises,
    TimeoutTasks,
    WakePollGroup,
)

BINDINGS: dict[type, Binding] = {
    ReadPromise: promises.READ,
    CreatePromise: promises.CREATE,
    CompletePromise: promises.COMPLETE,
    SearchPromises: promises.SEARCH,
    TimeoutPromises: promises.TIMEOUT,
    ExpirePromises: promises.EXPIRE,
    CreateCallback: tasks.CREATE_CALLBACK,
    ClaimTask: tasks.CLAIM,
    CompleteTask: tasks.COMPLETE_TASK,
    HeartbeatTasks: tasks.HEARTBEAT,
    ReserveTasks: tasks.RESERVE,
    RecordSendOutcome: tasks.RECORD_OUTCOME,
    TimeoutTasks: tasks.TIMEOUT_TASKS,
    ExpireTasks: tasks.EXPIRE_TASKS,
    MigrateTaskIndexes: tasks.MIGRATE_TASKS,
    WakePollGroup: tasks.WAKE_POLL_GROUP,
    CreateSchedule: schedules.CREATE,
    ReadSchedule: schedules.READ,
    DeleteSchedule: schedules.DELETE,
    SearchSchedules: schedules.SEARCH,
    DueSchedules: schedules.DUE,
    FireSchedule: schedules.FIRE,
    PostponeSchedule: schedules.POSTPONE,
    AcquireLock: schedules.ACQUIRE_LOCK,
    ReleaseLock: schedules.RELEASE_LOCK,
    HeartbeatLocks: schedules.HEARTBEAT_LOCKS,
    TimeoutLocks: schedules.TIMEOUT_LOCKS,
    **current.BINDINGS,
}

CURRENT_PROMISE_STATES = ("pending", "resolved", "rejected", "rejected_canceled", "rejected_timedout")
CURRENT_TASK_STATES = ("pending", "acquired", "suspended", "halted", "fulfilled")

_UNAVAILABLE = (redis.ConnectionError, redis.TimeoutError, BusyLoadingError)
# Error replies that say "not now" rather than "wrong": the command did not run, and a
# retry may succeed (a long script, a replica, a failover, memory, a loading dataset).
_TRANSIENT_REPLIES = (ReadOnlyError, OutOfMemoryError, TryAgainError, MasterDownError, ClusterDownError)
_TRANSIENT_PREFIXES = (
    "BUSY",
    "LOADING",
    "READONLY",
    "MASTERDOWN",
    "TRYAGAIN",
    "OOM",
    "CLUSTERDOWN",
    "NOREPLICAS",
    "MISCONF",
)


def is_transient(error: ResponseError) -> bool:
    return isinstance(error, _TRANSIENT_REPLIES) or str(error).startswith(_TRANSIENT_PREFIXES)


def connect(url: str) -> redis.Redis:
    """A client that fails fast: no hidden retries, short connect and read timeouts."""
    return redis.Redis.from_url(
        url,
        decode_responses=True,
        socket_connect_timeout=2,
        socket_timeout=10,
        retry=Retry(NoBackoff(), 0),
    )


log = logging.getLogger(__name__)


class StoreError(Exception):
    """Redis answered a command with an error, or its reply could not be read: a bug,
    not an outage. Only the submission it belongs to fails."""


class RedisStore:
    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self.client = client
        self.prefix = prefix
        self._scripts: dict[str, Script] = load_scripts(prefix, BINDINGS.values())

    def execute(self, submissions: list[StoreSubmission]) -> list[list[Any] | BaseException]:
        """Run every command of every submission; one result list (or error) each."""
        commands = [command for submission in submissions for command in submission.commands]
        started = time.perf_counter()
        try:
            replies = self._run(commands)
        except _UNAVAILABLE as exc:
            metrics.STORE_ERRORS.inc()
            log.warning("store unavailable: %s", exc)
            unavailable = StoreUnavailable("the store is unavailable")
            return [unavailable for _ in submissions]
        metrics.STORE_ROUND_TRIPS.inc()
        metrics.STORE_BATCH.observe(len(commands))
        metrics.STORE_SECONDS.observe(time.perf_counter() - started)
        results: list[list[Any] | BaseException] = []
        position = 0
        for submission in submissions:
            count = len(submission.commands)
            chunk = zip(submission.commands, replies[position : position + count], strict=True)
            position += count
            try:
                results.append([self._decode(command, reply) for command, reply in chunk])
            except (StoreError, StoreUnavailable) as exc:
                results.append(exc)
            except Exception as exc:  # a reply this code cannot read fails its own submission only
                log.exception("cannot read the store's reply to %s", type(submission.commands[0]).__name__)
                results.append(StoreError(f"unreadable reply: {exc}"))
        return results

    def counts_by_state(self) -> dict[tuple[str, str, str], int]:
        """(record, protocol, state) -> how many the store holds, in one round trip."""
        names: list[tuple[str, str, str]] = []
        pipe = self.client.pipeline(transaction=False)
        for state in CURRENT_PROMISE_STATES:
            names.append(("promise", "current", state))
            pipe.zcard(key(self.prefix, "C_PROMISES", state))
        for state in CURRENT_TASK_STATES:
            names.append(("task", "current", state))
            pipe.zcard(key(self.prefix, "C_TASKS", state))
        for state in ("pending", "resolved", "rejected"):
            names.append(("promise", "legacy", state))
            pipe.zcard(key(self.prefix, "K_PROMISES_IN", state))
        names.append(("task", "legacy", "enqueued_or_claimed"))
        pipe.zcard(key(self.prefix, "K_TASK_LEASES"))
        names.append(("task", "legacy", "completed"))
        pipe.zcard(key(self.prefix, "K_TASKS_FINISHED"))
        return dict(zip(names, pipe.execute(), strict=True))

    def execute_one(self, command: Any) -> Any:
        """Run a single command (tests and tools); raises what execute would return."""
        (result,) = self.execute([StoreSubmission((command,))])
        if isinstance(result, BaseException):
            raise result
        return result[0]

    def _run(self, commands: list[Any]) -> list[Any]:
        replies = self._pipeline(commands)
        # After a Redis restart the script cache is empty: load and rerun only those.
        missing = [i for i, reply in enumerate(replies) if isinstance(reply, NoScriptError)]
        if missing:
            for script in self._scripts.values():
                self.client.script_load(script.source)
            for i, reply in zip(missing, self._pipeline([commands[i] for i in missing]), strict=True):
                replies[i] = reply
        return replies

    def _pipeline(self, commands: list[Any]) -> list[Any]:
        """One round trip on a pooled connection: send every command, read every reply.

        (redis-py's Pipeline object does the same with more bookkeeping per call; this
        is the hot path of every request.)"""
        packed = [self._command_args(command) for command in commands]
        pool = self.client.connection_pool
        connection = pool.get_connection()  # no arguments: redis-py 5.3 and later
        try:
            connection.send_packed_command(connection.pack_commands(packed), check_health=False)
            replies: list[Any] = []
            for _ in packed:
                try:
                    replies.append(connection.read_response())
                except ResponseError as error:  # this command failed; the others stand
                    replies.append(error)
            return replies
        except BaseException:
            connection.disconnect()  # the replies on this connection are out of step now
            raise
        finally:
            pool.release(connection)

    def _command_args(self, command: Any) -> tuple[Any, ...]:
        if isinstance(command, Ping):
            return ("PING",)
        binding = BINDINGS[type(command)]
        return ("EVALSHA", self._scripts[binding.script].sha, 0, *binding.argv(command))

    def _decode(self, command: Any, reply: Any) -> Any:
        if isinstance(reply, ResponseError):
            if is_transient(reply):
                log.warning("store busy: %s", reply)
                raise StoreUnavailable("the store is busy")
            raise StoreError(f"{type(command).__name__}: {reply}")
        if isinstance(command, Ping):
            return True
        return BINDINGS[type(command)].result(command, reply)
