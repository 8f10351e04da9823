"""Read-only looks at lineage structures, for the dashboard: which tasks a promise will
resume, what a task awaits, who listens, when a task's timer fires (current protocol);
a root's live tasks and a promise's callbacks (legacy protocol). Plain reads, each set
bounded by the limits the scripts enforce; the scripts alone change these keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
import redis

from aio.store.keys import key, lineage_suffix

MAX_LEGACY_TASKS = 100  # a root has a few live tasks; a page never shows more


@dataclass(frozen=True)
class PromiseLinks:
    callbacks: list[str]  # the tasks a settlement resumes
    awaiting: list[str]  # the promises its task waits for
    listeners: list[str]  # addresses unblocked once, on settlement
    timer_at: int | None  # when its task's retry or lease fires


def promise_links(client: redis.Redis, prefix: str, promise_id: str) -> PromiseLinks:
    """Each set is bounded by the callback and listener limits the scripts enforce."""
    suffix = lineage_suffix(promise_id)
    pipe = client.pipeline(transaction=False)
    pipe.smembers(key(prefix, "C_CALLBACKS", suffix))
    pipe.smembers(key(prefix, "C_AWAITING", suffix))
    pipe.smembers(key(prefix, "C_LISTENERS", suffix))
    pipe.zscore(key(prefix, "C_TASK_TIMERS"), promise_id)
    callbacks, awaiting, listeners, timer_at = pipe.execute()
    return PromiseLinks(
        sorted(_text(m) for m in callbacks),
        sorted(_text(m) for m in awaiting),
        sorted(_text(m) for m in listeners),
        int(timer_at) if timer_at is not None else None,
    )


def task_targets(client: redis.Redis, prefix: str, task_ids: list[str]) -> dict[str, tuple[str | None, int | None]]:
    """Each task's target address (its promise's resonate:target) and when its timer
    fires (lease expiry while acquired, retry while pending); a page of tasks at a time."""
    if not task_ids:
        return {}
    pipe = client.pipeline(transaction=False)
    for task_id in task_ids:
        pipe.hget(key(prefix, "C_PROMISE", lineage_suffix(task_id)), "target")
    pipe.zmscore(key(prefix, "C_TASK_TIMERS"), task_ids)
    *targets, scores = pipe.execute()
    return {
        task_id: (target or None, int(score) if score is not None else None)
        for task_id, target, score in zip(task_ids, targets, scores, strict=True)
    }


@dataclass(frozen=True)
class LegacyLinks:
    tasks: list[dict[str, Any]]  # the live tasks of a root promise
    callbacks: list[dict[str, Any]]  # what fires when the promise completes


LEGACY_TASK_FIELDS = ("id", "state", "type", "counter", "process_id", "expires_at", "recv", "leaf")


def legacy_links(client: redis.Redis, prefix: str, promise_id: str) -> LegacyLinks:
    task_ids = sorted(client.smembers(key(prefix, "K_TASKS_OF_ROOT", promise_id)), key=int)[:MAX_LEGACY_TASKS]
    pipe = client.pipeline(transaction=False)
    for task_id in task_ids:
        pipe.hmget(key(prefix, "K_TASK", task_id), LEGACY_TASK_FIELDS)
    pipe.hgetall(key(prefix, "K_CALLBACKS", promise_id))
    *task_rows, callbacks = pipe.execute()
    tasks = [dict(zip(LEGACY_TASK_FIELDS, row, strict=True)) for row in task_rows if row[0] is not None]
    records = [{"id": callback_id, **orjson.loads(record)} for callback_id, record in sorted(callbacks.items())]
    return LegacyLinks(tasks, records)


def _text(member: bytes | str) -> str:
    return member.decode() if isinstance(member, bytes) else member
