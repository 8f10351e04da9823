"""Every Redis key the store uses, in one place: one structure per question.

The Lua scripts get the same names from `lua_prelude`, so no key is spelled twice.
All keys start with a configurable prefix, so several servers (or test runs) can
share one Redis without seeing each other's data.
"""

from __future__ import annotations

import re

# name in Lua -> key suffix, and the question the structure answers
KEYS: dict[str, tuple[str, str]] = {
    "K_PROMISE": ("promise:", "hash per promise, suffixed by its id: the promise itself"),
    "K_PROMISE_SEQ": ("promises:seq", "counter: the insertion order of promises (sort id)"),
    "K_PROMISES_ALL": ("promises:all", "zset sort id -> id: which promises, newest first?"),
    "K_PROMISES_IN": ("promises:in:", "zset per search class (pending, resolved, rejected)"),
    "K_PROMISE_TIMEOUTS": ("promises:timeouts", "zset timeout -> id: which pending are due?"),
    "K_PROMISES_COMPLETED": ("promises:completed", "zset id -> completed on: which completed have expired?"),
    "K_CALLBACKS": ("callbacks:", "hash per promise: callback id -> record; what fires on completion?"),
    "K_TASK": ("task:", "hash per task, suffixed by its id: the task itself"),
    "K_TASK_SEQ": ("tasks:seq", "counter: task ids, in creation order"),
    "K_TASKS_INIT_V1": ("tasks:init", "zset of INIT tasks from before the ready index: emptied at start-up"),
    "K_TASKS_READY": ("tasks:ready:", "zset per lane (poll, http): task id -> ready at; which tasks may be sent now?"),
    "K_ROOT_QUEUE": ("tasks:queue:", "zset per root promise: its waiting invoke/resume tasks, oldest first"),
    "K_ROOT_BUSY": ("tasks:busy:", "set per root promise: its invoke/resume tasks enqueued or claimed"),
    "K_POLL_WAITING": ("tasks:waiting:", "set per poll group: tasks whose send failed for want of a stream"),
    "K_TASKS_FINISHED": ("tasks:finished", "zset task id -> completed on: which finished tasks have expired?"),
    "K_TASK_LEASES": ("tasks:leases", "zset min(expiresAt, timeout) -> id: which leases lapse?"),
    "K_TASKS_OF_ROOT": ("tasks:root:", "set per root promise: its live (not final) tasks"),
    "K_TASKS_OF_PROCESS": ("tasks:process:", "set per process id: the tasks it has claimed"),
    "K_SCHEDULE": ("schedule:", "hash per schedule, suffixed by its id: the schedule itself"),
    "K_SCHEDULE_SEQ": ("schedules:seq", "counter: the creation order of schedules (sort id)"),
    "K_SCHEDULES_ALL": ("schedules:all", "zset sort id -> id: which schedules, newest first?"),
    "K_SCHEDULES_DUE": ("schedules:due", "zset next run time -> id: which schedules are due?"),
    "K_LOCK": ("lock:", "hash per lock, suffixed by its resource id: who holds it"),
    "K_LOCK_EXPIRIES": ("locks:expiry", "zset expiresAt -> resource id: which locks lapsed?"),
    "K_LOCKS_OF_PROCESS": ("locks:process:", "set per process id: the locks it holds"),
    "K_POLL_OWNER": ("poll:owner:", "string per poll connection: which server process holds it?"),
    "K_POLL_GROUP": ("poll:group:", "zset per group: connection id -> registration expiry"),
    "K_POLL_CHANNEL": ("poll:process:", "pub/sub channel per server process: messages to deliver"),
    # The current protocol (2026-04-01), in a namespace of its own. Keys of one lineage
    # carry the hash tag {origin} (the id before its first ':'), so each transition of
    # that lineage touches one slot; the keys without a tag are the global indexes.
    "C_PROMISE": ("c:promise:", "hash per promise, suffixed by {origin}id: the promise"),
    "C_TASK": ("c:task:", "hash per task, suffixed by {origin}id: the task of a targeted promise"),
    "C_CALLBACKS": ("c:callbacks:", "set per awaited promise ({origin}id): the tasks to resume"),
    "C_AWAITING": ("c:awaiting:", "set per task ({origin}id): the promises it awaits"),
    "C_LISTENERS": ("c:listeners:", "set per promise ({origin}id): addresses to unblock, once"),
    "C_BRANCH": ("c:branch:", "zset per branch ({origin}branch), by id: the preload of a task"),
    "C_PROMISES": ("c:promises:", "global zset per state or 'all', by id: promise search"),
    "C_TASKS": ("c:tasks:", "global zset per state or 'all', by id: task search"),
    "C_TIMEOUTS": ("c:timeouts", "global zset timeoutAt -> id: which targeted promises are due?"),
    "C_TASK_TIMERS": ("c:timers", "global zset due -> task id: which retries and leases fire?"),
    "C_OUTBOX": ("c:outbox", "global zset queued at -> message: execute and unblock to send"),
    "C_WAITING": ("c:waiting:", "set per poll group: tasks whose execute found no stream"),
    "C_SCHEDULE": ("c:schedule:", "hash per schedule, suffixed by its id"),
    "C_SCHEDULES": ("c:schedules", "global zset by id: schedule search"),
    "C_SCHEDULES_DUE": ("c:schedules:due", "global zset nextRunAt -> id: which schedules fire?"),
    "C_POLL_OWNER": ("c:poll:owner:", "string per /poll stream: which server process holds it?"),
    "C_POLL_GROUP": ("c:poll:group:", "zset per group: /poll stream id -> registration expiry"),
    "C_POLL_CHANNEL": ("c:poll:process:", "pub/sub channel per server process: /poll messages"),
}

_PREFIX_PATTERN = re.compile(r"^[A-Za-z0-9_.:-]+$")


def check_prefix(prefix: str) -> str:
    if not _PREFIX_PATTERN.match(prefix):
        raise ValueError(f"key prefix {prefix!r} may hold only letters, digits and _ . : -")
    return prefix


def key(prefix: str, name: str, suffix: str = "") -> str:
    """The full key for a structure named in KEYS, e.g. key(p, 'K_PROMISE', id)."""
    return f"{prefix}:{KEYS[name][0]}{suffix}"


def lua_prelude(prefix: str) -> str:
    """Lua locals holding every key name (or key-name stem) for this prefix."""
    check_prefix(prefix)
    return "".join(f"local {name} = '{prefix}:{suffix}'\n" for name, (suffix, _) in KEYS.items())


def lineage_suffix(promise_id: str) -> str:
    """The suffix of a lineage key: the hash tag {origin} (the id before its first ':',
    as the scripts' `slot` computes it) then the id."""
    origin = promise_id.split(":", 1)[0] or ":"
    return "{" + origin + "}" + promise_id
