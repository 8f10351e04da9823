"""createCallback and createSubscription: register what a promise's completion fires.

A callback resumes a waiting root's task (resume message); a subscription notifies a
receiver (notify message, at most once). Both are keyed '<promiseId>.<id>' on the
v0.7.6 routes, and by the ids the v0.7.8 routes derive.
"""

from __future__ import annotations

from app.coroutines.store import run_one
from kernel.coroutine import Coroutine
from kernel.t_aio import CallbackOutcome, CreateCallback, CreateCallbackResult
from kernel.t_api import (
    CallbackAndPromise,
    CreateCallbackRequest,
    CreateSubscriptionRequest,
    Response,
    Status,
)
from kernel.task import MessageType, callback_id


def create_callback(c: Coroutine, req: CreateCallbackRequest, max_callbacks: int = 1000) -> Response:
    command = CreateCallback(
        req.promise_id,
        req.callback_id or callback_id(req.promise_id, req.id),
        MessageType.RESUME,
        req.root_promise_id,
        req.recv,
        req.timeout,
        c.time(),
        max_callbacks,
    )
    return respond(run_one(c, command), max_callbacks)


def create_subscription(c: Coroutine, req: CreateSubscriptionRequest, max_callbacks: int = 1000) -> Response:
    command = CreateCallback(
        req.promise_id,
        req.callback_id or callback_id(req.promise_id, req.id),
        MessageType.NOTIFY,
        req.promise_id,
        req.recv,
        req.timeout,
        c.time(),
        max_callbacks,
    )
    return respond(run_one(c, command), max_callbacks)


def respond(result: CreateCallbackResult, max_callbacks: int) -> Response:
    if result.outcome is CallbackOutcome.PROMISE_NOT_FOUND or result.promise is None:
        return Response(Status.PROMISE_NOT_FOUND)
    if result.outcome is CallbackOutcome.TOO_MANY:
        detail = f"The promise already holds {max_callbacks} callbacks and subscriptions, the most it may."
        return Response(Status.FIELD_VALIDATION_ERROR, details=[detail])
    if result.outcome is CallbackOutcome.CREATED:
        return Response(Status.CREATED, CallbackAndPromise(result.callback, result.promise))
    return Response(Status.OK, CallbackAndPromise(None, result.promise))
