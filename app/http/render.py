"""JSON bodies of responses: the reference's shapes and omission rules, in one place."""

from __future__ import annotations

from typing import Any

import orjson
from flask import Response as FlaskResponse

from kernel.t_api import MESSAGES, Status

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
_REQUEST_ERROR = "Request errors are not retryable since they are caused by invalid client requests"


def json_response(body: Any, http_status: int) -> FlaskResponse:
    return FlaskResponse(orjson.dumps(body), status=http_status, content_type=JSON_CONTENT_TYPE)


def error_json(status: Status, details: list[str] | None = None) -> dict[str, Any]:
    """{"error": {code, message, details}}, the detail kind depending on the status."""
    code = int(status)
    if status is Status.FIELD_VALIDATION_ERROR:
        url = "https://docs.resonatehq.io/resonate/error-codes#4000"
        items = [_detail("FieldValidationError", text, "request", url) for text in details or []]
    elif code < 5000:
        url = f"https://docs.resonatehq.io/reference/error-codes#{code}"
        items = [_detail("RequestError", text, "request", url) for text in details or [_REQUEST_ERROR]]
    else:
        url = f"https://docs.resonatehq.io/reference/error-codes#{code}"
        texts = details or [MESSAGES[status]]
        items = [_detail("ServerError", text, "server", url) for text in texts]
    return {"error": {"code": code, "message": MESSAGES[status], "details": items}}


def error_response(status: Status, details: list[str] | None = None) -> FlaskResponse:
    return json_response(error_json(status, details), status.http)


def _detail(kind: str, message: str, domain: str, url: str) -> dict[str, Any]:
    return {"@type": kind, "message": message, "domain": domain, "metadata": {"url": url}}
