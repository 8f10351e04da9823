"""Callback and subscription routes (protocol §4.6-4.7)."""

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
