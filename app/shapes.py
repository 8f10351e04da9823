"""The JSON shapes of the protocol's objects, with their omission rules. Used by the
HTTP views and by the task messages sent to workers."""

from __future__ import annotations

from typing import Any

import orjson

from kernel.promise import Promise
from kernel.schedule import Lock, Schedule
from kernel.task import Callback, Task


def promise_json(promise: Promise) -> dict[str, Any]:
    """param and value are always present; keys, tags and completedOn only when set."""
    out: dict[str, Any] = {
        "id": promise.id,
        "state": promise.state.value,
        "param": orjson.Fragment(promise.param),
        "value": orjson.Fragment(promise.value),
        "timeout": promise.timeout,
    }
    if promise.idempotency_key_for_create is not None:
        out["idempotencyKeyForCreate"] = promise.idempotency_key_for_create
    if promise.idempotency_key_for_complete is not None:
        out["idempotencyKeyForComplete"] = promise.idempotency_key_for_complete
    if promise.tags:
        out["tags"] = promise.tags
    out["createdOn"] = promise.created_on
    if promise.completed_on is not None:
        out["completedOn"] = promise.completed_on
    return out


def task_json(task: Task) -> dict[str, Any]:
    """State, recv, message and lease stay internal."""
    out: dict[str, Any] = {"id": task.id, "counter": task.counter, "timeout": task.timeout}
    if task.process_id is not None:
        out["processId"] = task.process_id
    if task.created_on is not None:
        out["createdOn"] = task.created_on
    if task.completed_on is not None:
        out["completedOn"] = task.completed_on
    return out


def callback_json(callback: Callback) -> dict[str, Any]:
    return {
        "id": callback.id,
        "promiseId": callback.promise_id,
        "rootPromiseId": callback.root_promise_id,
        "timeout": callback.timeout,
        "createdOn": callback.created_on,
    }


def task_links(base_url: str, task: Task) -> dict[str, str]:
    suffix = f"{task.id}/{task.counter}"
    return {
        "claim": f"{base_url}/tasks/claim/{suffix}",
        "complete": f"{base_url}/tasks/complete/{suffix}",
        "heartbeat": f"{base_url}/tasks/heartbeat/{suffix}",
    }


def schedule_json(schedule: Schedule) -> dict[str, Any]:
    """tags and promiseParam always present; desc, promiseTags, lastRunTime and
    idempotencyKey only when set."""
    out: dict[str, Any] = {"id": schedule.id}
    if schedule.description:
        out["desc"] = schedule.description
    out["cron"] = schedule.cron
    out["tags"] = schedule.tags
    out["promiseId"] = schedule.promise_id
    out["promiseTimeout"] = schedule.promise_timeout
    out["promiseParam"] = orjson.Fragment(schedule.promise_param)
    if schedule.promise_tags:
        out["promiseTags"] = schedule.promise_tags
    if schedule.last_run_time is not None:
        out["lastRunTime"] = schedule.last_run_time
    out["nextRunTime"] = schedule.next_run_time
    if schedule.idempotency_key is not None:
        out["idempotencyKey"] = schedule.idempotency_key
    out["createdOn"] = schedule.created_on
    return out


def lock_json(lock: Lock) -> dict[str, Any]:
    return {
        "resourceId": lock.resource_id,
        "executionId": lock.execution_id,
        "processId": lock.process_id,
        "ttl": lock.ttl,
        "expiresAt": lock.expires_at,
    }


def legacy_as_current(promise: dict[str, Any]) -> dict[str, Any]:
    """A legacy promise (as promise_json renders it) in the current protocol's shape, so
    the CLI and the dashboard show both generations alike."""
    record = {
        "id": promise["id"],
        "state": promise["state"].lower(),
        "param": promise.get("param") or {},
        "value": promise.get("value") or {},
        "tags": promise.get("tags") or {},
        "timeoutAt": promise["timeout"],
        "createdAt": promise.get("createdOn"),
    }
    if promise.get("completedOn") is not None:
        record["settledAt"] = promise["completedOn"]
    return record


def legacy_schedule_as_current(schedule: dict[str, Any]) -> dict[str, Any]:
    record = {
        "id": schedule["id"],
        "cron": schedule["cron"],
        "promiseId": schedule["promiseId"],
        "promiseTimeout": schedule["promiseTimeout"],
        "promiseParam": schedule.get("promiseParam") or {},
        "promiseTags": schedule.get("promiseTags") or {},
        "createdAt": schedule.get("createdOn"),
        "nextRunAt": schedule.get("nextRunTime"),
    }
    if schedule.get("lastRunTime") is not None:
        record["lastRunAt"] = schedule["lastRunTime"]
    return record
