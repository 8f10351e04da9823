"""Callback and subscription routes: `/callbacks` and `/subscriptions` (v0.7.6, used by
resonate-sdk 0.4.x to 0.6.3) and `/promises/callback/{id}` and `/promises/subscribe/{id}`
(v0.7.8, used by 0.6.4 to 0.6.7), whose ids derive from what they join."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from flask import Response as FlaskResponse

from app.http.body import Body, ValidationError, parse_body
from app.http.dispatch import call, respond
from app.shapes import callback_json, promise_json
from kernel.t_api import CallbackAndPromise, CreateCallbackRequest, CreateSubscriptionRequest

blueprint = Blueprint("callbacks", __name__)


@blueprint.post("/callbacks")
def create_callback() -> FlaskResponse:
    body = parse_body(request.get_data())
    create = CreateCallbackRequest(
        id=body.string("id", required=True),
        promise_id=body.string("promiseId", required=True),
        root_promise_id=body.string("rootPromiseId", required=True),
        timeout=body.int64("timeout"),
        recv=recv(body),
    )
    return respond(call(create), callback_and_promise_json)


@blueprint.post("/subscriptions")
def create_subscription() -> FlaskResponse:
    body = parse_body(request.get_data())
    create = CreateSubscriptionRequest(
        id=body.string("id", required=True),
        promise_id=body.string("promiseId", required=True),
        timeout=body.int64("timeout"),
        recv=recv(body),
    )
    return respond(call(create), callback_and_promise_json)


@blueprint.post("/promises/callback/<path:promise_id>")
def register_callback(promise_id: str) -> FlaskResponse:
    body = parse_body(request.get_data())
    root_promise_id = body.string("rootPromiseId", required=True)
    if root_promise_id == promise_id:
        raise ValidationError("The field rootPromiseId must not be the promise itself.")
    create = CreateCallbackRequest(
        id="",
        promise_id=promise_id,
        root_promise_id=root_promise_id,
        timeout=body.int64("timeout"),
        recv=recv(body),
        callback_id=f"__resume:{root_promise_id}:{promise_id}",  # one per (root, promise): replays reuse it
    )
    return respond(call(create), v078_json)


@blueprint.post("/promises/subscribe/<path:promise_id>")
def register_subscription(promise_id: str) -> FlaskResponse:
    body = parse_body(request.get_data())
    subscriber = body.string("id", required=True)
    create = CreateSubscriptionRequest(
        id=subscriber,
        promise_id=promise_id,
        timeout=body.int64("timeout"),
        recv=recv(body),
        callback_id=f"__notify:{promise_id}:{subscriber}",
    )
    return respond(call(create), v078_json)


def recv(body: Body) -> str:
    """Any JSON but null; it is resolved (or fails) only when a message is sent."""
    text = body.json_text("recv")
    if text == "null":
        raise ValidationError("The field recv is required.")
    return text


def callback_and_promise_json(result: CallbackAndPromise) -> dict[str, Any]:
    """Both keys always present: "callback" is null when none was created."""
    callback = callback_json(result.callback) if result.callback is not None else None
    return {"callback": callback, "promise": promise_json(result.promise)}


def v078_json(result: CallbackAndPromise) -> dict[str, Any]:
    """As the Go server v0.7.8 answers: the callback's rootPromiseId comes out empty."""
    out = callback_and_promise_json(result)
    if out["callback"] is not None:
        out["callback"]["rootPromiseId"] = ""
    return out
