"""Turning failures into responses: 400 for bad input, 503 for store outages, and
never an HTML page or a bare 500."""

from __future__ import annotations

import logging

from flask import Flask
from flask import Response as FlaskResponse
from werkzeug.exceptions import HTTPException

from app.http.body import ValidationError
from app.http.render import error_response
from kernel.errors import KernelError, ShuttingDown
from kernel.t_api import Status

log = logging.getLogger(__name__)


def register(app: Flask) -> None:
    @app.errorhandler(ValidationError)
    def invalid(error: ValidationError) -> FlaskResponse:
        return error_response(Status.FIELD_VALIDATION_ERROR, error.details)

    @app.errorhandler(KernelError)
    def unavailable(error: KernelError) -> FlaskResponse:
        status = Status.SHUTTING_DOWN if isinstance(error, ShuttingDown) else Status.STORE_UNAVAILABLE
        return error_response(status, [str(error)])

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> FlaskResponse:
        # Unknown routes and methods answer like the Go server's router does.
        if error.code in (404, 405):
            return FlaskResponse("404 page not found", status=404, content_type="text/plain")
        return error_response(Status.FIELD_VALIDATION_ERROR, [error.description or str(error)])

    @app.errorhandler(Exception)
    def internal(error: Exception) -> FlaskResponse:
        log.exception("unexpected error")
        return error_response(Status.INTERNAL_SERVER_ERROR, [f"{type(error).__name__}: {error}"])
