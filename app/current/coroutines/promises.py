"""promise.* kinds: each one store command, its outcome turned into an answer."""

from __future__ import annotations

from app.coroutines.jobs import Job
from app.coroutines.store import run_one
from app.current import requests as r
from app.current.coroutines.limits import Limits
from kernel import metrics
from kernel import t_current as c
from kernel.coroutine import Coroutine

NOT_FOUND = r.Answer(404, "Promise not found")


def count_settled(promise: c.PromiseRecord | None, now: int) -> None:
    """Counts a promise this request settled (its settledAt is this request's now)."""
    if promise is not None and promise.settled_at == now:
        metrics.PROMISES_SETTLED.labels("current", promise.state).inc()


def promise_answer(outcome: c.Outcome, missing: str = "Promise not found") -> r.Answer:
    if outcome.status == 404 or outcome.promise is None:
        return r.Answer(404, missing)
    return r.Answer(200, {"promise": outcome.promise.to_json()})


def get_promise(co: Coroutine, req: r.GetPromise, limits: Limits) -> r.Answer:
    outcome = run_one(co, c.GetPromise(req.id, co.time(), limits.retry_ms))
    return promise_answer(outcome)


def create_promise(co: Coroutine, req: r.CreatePromise, limits: Limits) -> r.Answer:
    outcome = run_one(co, c.CreatePromise(req.promise, co.time(), limits.retry_ms))
    if outcome.created:
        metrics.PROMISES_CREATED.labels("current").inc()
    if req.promise.target:
        co.signal(Job.SEND_MESSAGES)  # only a targeted create queues a message
    return promise_answer(outcome)


def settle_promise(co: Coroutine, req: r.SettlePromise, limits: Limits) -> r.Answer:
    now = co.time()
    outcome = run_one(co, c.SettlePromise(req.id, req.state, req.value, now, limits.retry_ms))
    count_settled(outcome.promise, now)
    co.signal(Job.SEND_MESSAGES)
    return promise_answer(outcome)


def register_callback(co: Coroutine, req: r.RegisterCallback, limits: Limits) -> r.Answer:
    command = c.RegisterCallback(req.awaited, req.awaiter, co.time(), limits.retry_ms, limits.max_callbacks)
    outcome = run_one(co, command)
    co.signal(Job.SEND_MESSAGES)
    if outcome.status == 422:
        if outcome.reason == "awaiter":
            return r.Answer(422, "Awaiter promise not found")
        return r.Answer(422, "Awaiter promise has no resonate:target tag")
    if outcome.status == 409:
        return r.Answer(409, f"The awaited promise has {limits.max_callbacks} callbacks already")
    return promise_answer(outcome, "Awaited promise not found")


def register_listener(co: Coroutine, req: r.RegisterListener, limits: Limits) -> r.Answer:
    command = c.RegisterListener(req.awaited, req.address, co.time(), limits.retry_ms, limits.max_callbacks)
    outcome = run_one(co, command)
    if outcome.status == 409:
        return r.Answer(409, f"The promise has {limits.max_callbacks} listeners already")
    return promise_answer(outcome, "Awaited promise not found")


def search_promises(co: Coroutine, req: r.SearchPromises, limits: Limits) -> r.Answer:
    budget = max(limits.scan_limit, req.limit + 1)
    page = run_one(co, c.SearchPromises(req.state, req.tags, req.cursor, req.limit, budget, req.id))
    data: dict[str, object] = {"promises": [record.to_json() for record in page.records]}
    if page.cursor:
        data["cursor"] = page.cursor
    return r.Answer(200, data)
