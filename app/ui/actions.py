"""What an operator may do from the dashboard: settle a pending promise, halt or continue
a task, delete a schedule. Each action is the request a client would send, parsed by the
protocol's own parser and run by the same coroutine, so it checks and does exactly what
the API does. The page asks for confirmation first; access.py guards these routes."""

from __future__ import annotations

import base64
from typing import Any

import orjson
from flask import Response as FlaskResponse
from flask import request

from app.current import requests as r
from app.current.parse import Invalid, parse_request
from app.http import promises as legacy_promises
from app.http.body import parse_body
from app.http.dispatch import call
from app.http.render import json_response
from app.http.validation import ValidationError
from app.shapes import legacy_as_current, promise_json
from app.ui.api import NotFound, api
from app.ui.records import CURRENT, LEGACY, plain, promise_view
from kernel.t_api import CompletePromiseRequest, DeleteScheduleRequest, Response

SETTLE_STATES = ("resolved", "rejected", "rejected_canceled")
CORR_ID = "dashboard"


def action_body() -> dict[str, Any]:
    try:
        body = orjson.loads(request.get_data() or b"{}")
    except orjson.JSONDecodeError:
        raise ValidationError("the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise ValidationError("the body must be a JSON object")
    return body


def value_of(text: Any) -> dict[str, Any]:
    """The Value of a settlement from the JSON text typed in the page ('' for none)."""
    if text is None or text == "":
        return {}
    if not isinstance(text, str):
        raise ValidationError("value must be a string of JSON text")
    try:
        orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise ValidationError(f"value is not JSON: {error}") from None
    return {"headers": {}, "data": base64.b64encode(text.encode()).decode()}


def current_answer(kind: str, data: dict[str, Any]) -> tuple[int, Any]:
    try:
        typed = parse_request(kind, data, CORR_ID)
    except Invalid as error:
        raise ValidationError(str(error)) from None
    answer: r.Answer = call(typed)
    return answer.status, plain(answer.data)


def outcome(status: int, data: Any, key: str | None = None) -> FlaskResponse:
    """The action's result with the protocol's status: the record, or its error message."""
    if status >= 400:
        return json_response({"error": str(data)}, status)
    body = {key: data[key]} if key and isinstance(data, dict) and key in data else {}
    return json_response({"done": True, **body}, 200)


def legacy_refusal(response: Response) -> FlaskResponse:
    """A legacy request refused, with its HTTP status and its reason (its details, else
    its status named in words)."""
    message = " ".join(response.details) or response.status.name.replace("_", " ").capitalize()
    return json_response({"error": message}, response.status.http)


@api.post("/promises/<generation_name>/<path:promise_id>/settle")
def settle(generation_name: str, promise_id: str) -> FlaskResponse:
    body = action_body()
    state = body.get("state")
    if state not in SETTLE_STATES:
        raise ValidationError(f"state must be one of {', '.join(SETTLE_STATES)}")
    value = value_of(body.get("value"))
    if generation_name == CURRENT:
        status, data = current_answer("promise.settle", {"id": promise_id, "state": state, "value": value})
        if status == 200:
            data = {"promise": promise_view(data["promise"], CURRENT)}
        return outcome(status, data, "promise")
    if generation_name == LEGACY:
        parsed = parse_body(orjson.dumps({"value": value}))
        complete = CompletePromiseRequest(
            promise_id, legacy_promises.completion_state(state), parsed.value("value"), None, False
        )
        response = call(complete)
        if response.status.is_error:
            return legacy_refusal(response)
        promise = promise_view(legacy_as_current(plain(promise_json(response.body))), LEGACY)
        return json_response({"done": True, "promise": promise}, 200)
    raise NotFound(f"no generation {generation_name!r}")


@api.post("/tasks/<path:task_id>/<any(halt, continue):verb>")
def halt_or_continue(task_id: str, verb: str) -> FlaskResponse:
    status, data = current_answer(f"task.{verb}", {"id": task_id})
    return outcome(status, data)


@api.post("/schedules/<generation_name>/<path:schedule_id>/delete")
def delete_schedule(generation_name: str, schedule_id: str) -> FlaskResponse:
    if generation_name == CURRENT:
        status, data = current_answer("schedule.delete", {"id": schedule_id})
        return outcome(status, data)
    if generation_name == LEGACY:
        response = call(DeleteScheduleRequest(schedule_id))
        if response.status.is_error:
            return legacy_refusal(response)
        return json_response({"done": True}, 200)
    raise NotFound(f"no generation {generation_name!r}")
