"""The blueprint of the dashboard's data (/ui/api) and what its views share: errors as
JSON, the query parameters, and the answers of the kernel and the store. The views
(promises.py, tasks.py, schedules.py, server.py, actions.py) build the protocols' own
typed requests, so the dashboard sees exactly what clients see."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import redis
from flask import Blueprint, current_app, request
from flask import Response as FlaskResponse

from app.current import requests as r
from app.http.dispatch import EXTENSION, call
from app.http.limits import check_tags
from app.http.render import json_response
from app.http.validation import ValidationError
from app.ui.records import CURRENT, GENERATIONS, plain
from kernel.errors import KernelError, StoreUnavailable

PAGE_SIZE = 25
RETRY_AFTER_S = "1"
T = TypeVar("T")

api = Blueprint("ui_api", __name__, url_prefix="/api")


class NotFound(Exception):
    pass


@api.errorhandler(ValidationError)
def invalid(error: ValidationError) -> FlaskResponse:
    return json_response({"error": " ".join(error.details)}, 400)


@api.errorhandler(NotFound)
def not_found(error: NotFound) -> FlaskResponse:
    return json_response({"error": str(error)}, 404)


@api.errorhandler(KernelError)
def unavailable(error: KernelError) -> FlaskResponse:
    response = json_response({"error": f"The server cannot answer now ({error}); try again."}, 503)
    response.headers["Retry-After"] = RETRY_AFTER_S
    return response


def store_read(read: Callable[[redis.Redis, str, Any], T], argument: Any) -> T:
    """A direct read of the store (inspect.py); a store away is a 503, as in the kernel."""
    store = current_app.extensions[EXTENSION].store
    try:
        return read(store.client, store.prefix, argument)
    except redis.RedisError as error:
        raise StoreUnavailable(f"the store did not answer: {type(error).__name__}") from None


def generation() -> str:
    chosen = request.args.get("generation", CURRENT)
    if chosen not in GENERATIONS:
        raise ValidationError(f"generation must be one of {', '.join(GENERATIONS)}")
    return chosen


def tag_filters() -> dict[str, str]:
    """`tag=key=value` query parameters (repeatable)."""
    tags: dict[str, str] = {}
    for item in request.args.getlist("tag"):
        name, equals, wanted = item.partition("=")
        if not equals or not name:
            raise ValidationError(f"a tag filter is key=value, not {item!r}")
        tags[name] = wanted
    check_tags("tag", tags)
    return tags


def answered(answer: r.Answer, missing: str = "") -> Any:
    """The data of a current-protocol answer; 404 or 400 with its message otherwise."""
    if answer.status == 404:
        raise NotFound(missing or str(answer.data))
    if answer.status >= 400:
        raise ValidationError(str(answer.data))
    return plain(answer.data)


def legacy_body(request_: Any, render: Any, missing: str = "") -> Any:
    response = call(request_)
    if response.status.http == 404:
        raise NotFound(missing or "Not found")
    if response.status.is_error:
        raise ValidationError(*(response.details or ["The request failed."]))
    return plain(render(response.body))
