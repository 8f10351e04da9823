"""The Redis store: executes batches of store submissions in one pipeline round trip.

Each command is one EVALSHA of its script, so each is atomic and conditional on its
own; commands from many coroutines share the round trip. A failure to reach Redis
fails the batch with StoreUnavailable (a 503 upstream); redis-py reconnects on the
next batch, so the server recovers by itself when Redis is back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.exceptions import BusyLoadingError, NoScriptError, ResponseError
from redis.retry import Retry

from aio.store import promises, schedules, tasks
from aio.store.scripts import Script, load_scripts
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
    FireSchedule,
    HeartbeatLocks,
    HeartbeatTasks,
    Ping,
    ReadPromise,
    ReadSchedule,
    RecordSendOutcomes,
    ReleaseLock,
    ReserveTasks,
    SearchPromises,
    SearchSchedules,
    StoreSubmission,
    TimeoutLocks,
    TimeoutPromises,
    TimeoutTasks,
)


@dataclass(frozen=True, slots=True)
class _Binding:
    script: str
    args: Callable[[Any], list[Any]]
    result: Callable[[Any, Any], Any]


BINDINGS: dict[type, _Binding] = {
    ReadPromise: _Binding("read_promise", promises.read_args, promises.read_result),
    CreatePromise: _Binding("create_promise", promises.create_args, promises.create_result),
    CompletePromise: _Binding("complete_promise", promises.complete_args, promises.complete_result),
    SearchPromises: _Binding("search_promises", promises.search_args, promises.search_result),
    TimeoutPromises: _Binding("timeout_promises", promises.timeout_args, promises.timeout_result),
    CreateCallback: _Binding("create_callback", tasks.create_callback_args, tasks.create_callback_result),
    ClaimTask: _Binding("claim_task", tasks.claim_args, tasks.claim_result),
    CompleteTask: _Binding("complete_task", tasks.complete_task_args, tasks.complete_task_result),
    HeartbeatTasks: _Binding("heartbeat_tasks", tasks.heartbeat_args, tasks.count_result),
    ReserveTasks: _Binding("reserve_tasks", tasks.reserve_args, tasks.reserve_result),
    RecordSendOutcomes: _Binding("record_send_outcomes", tasks.record_outcomes_args, tasks.done_result),
    TimeoutTasks: _Binding("timeout_tasks", tasks.timeout_tasks_args, tasks.count_result),
    CreateSchedule: _Binding("create_schedule", schedules.create_args_, schedules.create_result),
    ReadSchedule: _Binding("read_schedule", schedules.id_args, schedules.read_result),
    DeleteSchedule: _Binding("delete_schedule", schedules.id_args, schedules.deleted_result),
    SearchSchedules: _Binding("search_schedules", schedules.search_args, schedules.search_result),
    DueSchedules: _Binding("due_schedules", schedules.due_args, schedules.due_result),
    FireSchedule: _Binding("fire_schedule", schedules.fire_args, schedules.fired_result),
    AcquireLock: _Binding("acquire_lock", schedules.acquire_args, schedules.acquired_result),
    ReleaseLock: _Binding("release_lock", schedules.release_args, schedules.released_result),
    HeartbeatLocks: _Binding("heartbeat_locks", schedules.heartbeat_locks_args, tasks.count_result),
    TimeoutLocks: _Binding("timeout_locks", schedules.timeout_locks_args, tasks.count_result),
}

_UNAVAILABLE = (redis.ConnectionError, redis.TimeoutError, BusyLoadingError)


def connect(url: str) -> redis.Redis:
    """A client that fails fast: no hidden retries, short connect and read timeouts."""
    return redis.Redis.from_url(
        url,
        decode_responses=True,
        socket_connect_timeout=2,
        socket_timeout=10,
        retry=Retry(NoBackoff(), 0),
    )


class StoreError(Exception):
    """Redis answered a command with an error: a bug, not an outage."""


class RedisStore:
    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self.client = client
        self.prefix = prefix
        self._scripts: dict[str, Script] = load_scripts(prefix)

    def execute(self, submissions: list[StoreSubmission]) -> list[list[Any] | BaseException]:
        """Run every command of every submission; one result list (or error) each."""
        commands = [command for submission in submissions for command in submission.commands]
        try:
            replies = self._run(commands)
        except _UNAVAILABLE as exc:
            unavailable = StoreUnavailable(f"redis: {exc}")
            return [unavailable for _ in submissions]
        results: list[list[Any] | BaseException] = []
        position = 0
        for submission in submissions:
            count = len(submission.commands)
            chunk = zip(submission.commands, replies[position : position + count], strict=True)
            position += count
            try:
                results.append([self._decode(command, reply) for command, reply in chunk])
            except StoreError as exc:
                results.append(exc)
        return results

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
        connection = pool.get_connection()
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
        return ("EVALSHA", self._scripts[binding.script].sha, 0, *binding.args(command))

    def _decode(self, command: Any, reply: Any) -> Any:
        if isinstance(reply, ResponseError):
            raise StoreError(f"{type(command).__name__}: {reply}")
        if isinstance(command, Ping):
            return True
        return BINDINGS[type(command)].result(command, reply)
