"""Turning failures into responses: 400 for bad input, 413 for a body over the limit,
503 with Retry-After when the server is busy or the store is away, and never an HTML
page, a traceback or internal text in a body."""

from __future__ import annotations

import logging

from flask import Flask, request
from flask import Response as FlaskResponse
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from app.http.limits import check_string
from app.http.render import error_response
from app.http.validation import ValidationError
from kernel.errors import KernelError, ShuttingDown
from kernel.t_api import Status

log = logging.getLogger(__name__)

RETRY_AFTER_S = "1"


def register(app: Flask) -> None:
    @app.before_request
    def bounded_path_values() -> None:
        for name, value in (request.view_args or {}).items():
            if isinstance(value, str):
                check_string(name, value)

    @app.errorhandler(ValidationError)
    def invalid(error: ValidationError) -> FlaskResponse:
        return error_response(Status.FIELD_VALIDATION_ERROR, error.details)

    @app.errorhandler(KernelError)
    def unavailable(error: KernelError) -> FlaskResponse:
        status = Status.SHUTTING_DOWN if isinstance(error, ShuttingDown) else Status.STORE_UNAVAILABLE
        response = error_response(status, [str(error)])
        response.headers["Retry-After"] = RETRY_AFTER_S
        return response

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge) -> FlaskResponse:
        limit = app.config.get("MAX_CONTENT_LENGTH")
        return error_response(Status.REQUEST_TOO_LARGE, [f"The request body must be at most {limit} bytes."])

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> FlaskResponse:
        # Unknown routes and methods answer like the Go server's router does.
        if error.code in (404, 405):
            return FlaskResponse("404 page not found", status=404, content_type="text/plain")
        return error_response(Status.FIELD_VALIDATION_ERROR, [error.description or str(error)])

    @app.errorhandler(Exception)
    def internal(error: Exception) -> FlaskResponse:
        log.exception("unexpected error")  # the details go to the log, not to the client
        return error_response(Status.INTERNAL_SERVER_ERROR)
