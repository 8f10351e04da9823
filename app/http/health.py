"""GET /healthz: 200 when the store answers through the whole kernel path, else 503."""

from __future__ import annotations

from flask import Blueprint
from flask import Response as FlaskResponse

from app.http.dispatch import call
from app.http.render import json_response
from kernel.t_api import PingRequest

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz() -> FlaskResponse:
    call(PingRequest())  # a store failure raises, and becomes a 503
    return json_response({"status": "ok"}, 200)
