"""Task routes: claim, complete, heartbeat, in POST and GET forms (protocol §4.11)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, request
from flask import Response as FlaskResponse

from app.http.body import ValidationError, parse_body
from app.http.dispatch import EXTENSION, call, respond
from app.shapes import promise_json, task_json
from kernel.promise import Promise
from kernel.t_api import ClaimedMessage, ClaimTaskRequest, CompleteTaskRequest, HeartbeatTasksRequest

blueprint = Blueprint("tasks", __name__)


@blueprint.post("/tasks/claim")
def claim_task() -> FlaskResponse:
    body = parse_body(request.get_data())
    claim = ClaimTaskRequest(
        id=body.string("id", required=True),
        counter=counter_of(body.int64("counter", minimum=0)),
        process_id=body.string("processId", required=True),
        ttl=body.int64("ttl", minimum=0),
    )
    return respond(call(claim), message_json)


@blueprint.get("/tasks/claim/<task_id>/<counter>")
def claim_task_by_link(task_id: str, counter: str) -> FlaskResponse:
    ttl = current_app.extensions[EXTENSION].settings.task_frequency_ms
    claim = ClaimTaskRequest(task_id, counter_in_path(counter), f"{task_id}/{counter}", ttl)
    return respond(call(claim), message_json)


@blueprint.post("/tasks/complete")
def complete_task() -> FlaskResponse:
    body = parse_body(request.get_data())
    complete = CompleteTaskRequest(
        id=body.string("id", required=True), counter=counter_of(body.int64("counter", minimum=0))
    )
    return respond(call(complete), task_json)


@blueprint.get("/tasks/complete/<task_id>/<counter>")
def complete_task_by_link(task_id: str, counter: str) -> FlaskResponse:
    return respond(call(CompleteTaskRequest(task_id, counter_in_path(counter))), task_json)


@blueprint.post("/tasks/heartbeat")
def heartbeat_tasks() -> FlaskResponse:
    body = parse_body(request.get_data())
    heartbeat = HeartbeatTasksRequest(process_id=body.string("processId", required=True))
    return respond(call(heartbeat), tasks_affected_json)


@blueprint.get("/tasks/heartbeat/<task_id>/<counter>")
def heartbeat_tasks_by_link(task_id: str, counter: str) -> FlaskResponse:
    counter_in_path(counter)
    return respond(call(HeartbeatTasksRequest(f"{task_id}/{counter}")), tasks_affected_json)


def counter_of(counter: int) -> int:
    if counter == 0:
        raise ValidationError("The field counter is required.")
    return counter


def counter_in_path(text: str) -> int:
    try:
        return counter_of(int(text))
    except ValueError:
        raise ValidationError("The field counter must be a number.") from None


def tasks_affected_json(affected: int) -> dict[str, int]:
    return {"tasksAffected": affected}


def message_json(message: ClaimedMessage) -> dict[str, Any]:
    """The claimed task's message with its promises read fresh (null if missing)."""
    base_url = current_app.extensions[EXTENSION].settings.public_url
    promises = {"root": promise_entry(base_url, message.root_promise_id, message.root)}
    if message.leaf_promise_id is not None:
        promises["leaf"] = promise_entry(base_url, message.leaf_promise_id, message.leaf)
    return {"type": message.type.value, "promises": promises}


def promise_entry(base_url: str, promise_id: str, promise: Promise | None) -> dict[str, Any]:
    data = promise_json(promise) if promise is not None else None
    return {"id": promise_id, "href": f"{base_url}/promises/{promise_id}", "data": data}
