"""Handing a typed request to this process's kernel and rendering what comes back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response as FlaskResponse
from flask import current_app

from app.http.render import error_response, json_response
from kernel.errors import StoreUnavailable
from kernel.t_api import Response, Status

EXTENSION = "resonate"


def call(request: Any) -> Response:
    """Submit to the kernel and wait (bounded) for the coroutine's response."""
    runtime = current_app.extensions[EXTENSION]
    completion = runtime.system.submit(request)
    try:
        return completion.result(timeout=runtime.settings.request_timeout_s)
    except TimeoutError:
        completion.abandon()  # its coroutine stops at its next yield
        raise StoreUnavailable("the request timed out waiting for the store") from None


def respond(response: Response, render: Callable[[Any], Any] | None = None) -> FlaskResponse:
    """Errors get the error body; success the rendered body (or none for 204)."""
    if response.status.is_error:
        return error_response(response.status, response.details)
    if response.status is Status.NO_CONTENT or render is None:
        return FlaskResponse(status=response.status.http)
    return json_response(render(response.body), response.status.http)
