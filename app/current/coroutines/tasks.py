"""task.* kinds: the task state machine of §4.6, one store command each."""

from __future__ import annotations

import orjson

from app.coroutines.jobs import Job
from app.coroutines.store import run_one
from app.current import requests as r
from app.current.coroutines.limits import Limits
from app.current.coroutines.promises import count_settled
from app.current.envelope import VERSION
from kernel import metrics
from kernel import t_current as c
from kernel.coroutine import Coroutine

TASK_NOT_FOUND = r.Answer(404, "Task not found")
MISMATCH = r.Answer(409, "Task version mismatch or invalid state")
OK_EMPTY = r.Answer(200, {})


def preload(records: tuple[c.PromiseRecord, ...]) -> list[dict[str, object]]:
    return [record.to_json() for record in records]


def held(outcome: c.Outcome) -> r.Answer:
    """The answer of an acquisition: the task, its promise and the preload."""
    assert outcome.task is not None and outcome.promise is not None
    data = {"task": outcome.task.to_json(), "promise": outcome.promise.to_json(), "preload": preload(outcome.preload)}
    return r.Answer(200, data)


def get_task(co: Coroutine, req: r.GetTask, limits: Limits) -> r.Answer:
    outcome = run_one(co, c.GetTask(req.id, co.time(), limits.retry_ms))
    if outcome.task is None:
        return TASK_NOT_FOUND
    return r.Answer(200, {"task": outcome.task.to_json()})


def create_task(co: Coroutine, req: r.CreateTask, limits: Limits) -> r.Answer:
    command = c.CreateTask(req.promise, req.pid, req.ttl, co.time(), limits.retry_ms, limits.max_preload)
    outcome = run_one(co, command)
    co.signal(Job.SEND_MESSAGES)
    if outcome.status == 409:
        return r.Answer(409, "Already exists")
    if outcome.status == 422:
        return r.Answer(422, "The promise does not have a resonate:target tag")
    if outcome.created:
        metrics.PROMISES_CREATED.labels("current").inc()
    return held(outcome)


def acquire_task(co: Coroutine, req: r.AcquireTask, limits: Limits) -> r.Answer:
    command = c.AcquireTask(req.id, req.version, req.pid, req.ttl, co.time(), limits.retry_ms, limits.max_preload)
    outcome = run_one(co, command)
    if outcome.status == 404:
        return TASK_NOT_FOUND
    if outcome.status == 409:
        co.signal(Job.SEND_MESSAGES)  # the access may have timed the promise out
        return r.Answer(409, "Task is not pending" if outcome.reason == "state" else "Version mismatch")
    return held(outcome)


def release_task(co: Coroutine, req: r.ReleaseTask, limits: Limits) -> r.Answer:
    outcome = run_one(co, c.ReleaseTask(req.id, req.version, co.time(), limits.retry_ms))
    co.signal(Job.SEND_MESSAGES)
    return {200: OK_EMPTY, 404: TASK_NOT_FOUND}.get(outcome.status, MISMATCH)


def fulfill_task(co: Coroutine, req: r.FulfillTask, limits: Limits) -> r.Answer:
    now = co.time()
    outcome = run_one(co, c.FulfillTask(req.id, req.version, req.state, req.value, now, limits.retry_ms))
    count_settled(outcome.promise, now)
    co.signal(Job.SEND_MESSAGES)
    if outcome.status == 404:
        return TASK_NOT_FOUND
    if outcome.status != 200 or outcome.promise is None:
        return MISMATCH
    return r.Answer(200, {"promise": outcome.promise.to_json()})


def suspend_task(co: Coroutine, req: r.SuspendTask, limits: Limits) -> r.Answer:
    awaited = orjson.dumps(list(req.awaited)).decode()
    outcome = run_one(co, c.SuspendTask(req.id, req.version, awaited, co.time(), limits.retry_ms, limits.max_preload))
    co.signal(Job.SEND_MESSAGES)
    if outcome.status == 300:
        return r.Answer(300, {"preload": preload(outcome.preload)})
    answers = {
        200: OK_EMPTY,
        404: TASK_NOT_FOUND,
        409: r.Answer(409, "Task is not acquired or version mismatch"),
        422: r.Answer(422, "Awaited promise not found"),
    }
    return answers[outcome.status]


def fence_task(co: Coroutine, req: r.FenceTask, limits: Limits) -> r.Answer:
    settle = req.settle
    now = co.time()
    command = c.FenceTask(
        req.id,
        req.version,
        req.create,
        settle.id if settle else "",
        settle.state if settle else "",
        settle.value if settle else "",
        now,
        limits.retry_ms,
        limits.max_preload,
    )
    outcome = run_one(co, command)
    co.signal(Job.SEND_MESSAGES)
    if outcome.status == 404:
        return TASK_NOT_FOUND
    if outcome.status == 409:
        return r.Answer(409, "Version mismatch")
    if outcome.created:
        metrics.PROMISES_CREATED.labels("current").inc()
    elif settle is not None:
        count_settled(outcome.promise, now)
    kind = "promise.create" if req.create is not None else "promise.settle"
    head = {"corrId": req.corr_id, "status": outcome.inner_status, "version": VERSION}
    inner = {"promise": outcome.promise.to_json()} if outcome.promise is not None else "Promise not found"
    return r.Answer(200, {"action": {"kind": kind, "head": head, "data": inner}, "preload": preload(outcome.preload)})


def heartbeat_tasks(co: Coroutine, req: r.HeartbeatTasks, limits: Limits) -> r.Answer:
    tasks = orjson.dumps([[task_id, str(version)] for task_id, version in req.tasks]).decode()
    run_one(co, c.HeartbeatTasks(req.pid, tasks, co.time()))
    return OK_EMPTY


def halt_task(co: Coroutine, req: r.HaltTask, limits: Limits) -> r.Answer:
    outcome = run_one(co, c.HaltTask(req.id, co.time(), limits.retry_ms))
    co.signal(Job.SEND_MESSAGES)
    return {200: OK_EMPTY, 404: TASK_NOT_FOUND}.get(outcome.status, r.Answer(409, "Task is fulfilled"))


def continue_task(co: Coroutine, req: r.ContinueTask, limits: Limits) -> r.Answer:
    outcome = run_one(co, c.ContinueTask(req.id, co.time(), limits.retry_ms))
    co.signal(Job.SEND_MESSAGES)
    return {200: OK_EMPTY, 404: TASK_NOT_FOUND}.get(outcome.status, r.Answer(409, "Task is not halted"))


def search_tasks(co: Coroutine, req: r.SearchTasks, limits: Limits) -> r.Answer:
    page = run_one(co, c.SearchTasks(req.state, req.cursor, req.limit))
    data: dict[str, object] = {"tasks": [record.to_json() for record in page.records]}
    if page.cursor:
        data["cursor"] = page.cursor
    return r.Answer(200, data)
