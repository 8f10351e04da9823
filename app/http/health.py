"""GET /healthz: 200 when every subsystem of this process runs and the store answers
through the whole kernel path, else 503 naming what is down. GET /metrics: Prometheus."""

from __future__ import annotations

from importlib import resources

from flask import Blueprint, current_app
from flask import Response as FlaskResponse

from app.http.dispatch import EXTENSION, call
from app.http.render import error_response, json_response
from app.metrics import CONTENT_TYPE, StoreCounts, exposition
from kernel.t_api import PingRequest, Status

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz() -> FlaskResponse:
    down = current_app.extensions[EXTENSION].down()
    if down:
        return error_response(Status.STORE_UNAVAILABLE, [f"down: {', '.join(down)}"])
    call(PingRequest())  # a store failure raises, and becomes a 503
    return json_response({"status": "ok"}, 200)


@blueprint.get("/metrics")
def prometheus_metrics() -> FlaskResponse:
    """Every worker process's samples, and the store's counts by state."""
    runtime = current_app.extensions[EXTENSION]
    runtime.record_metrics()  # this process's tally is current; the others' at most half a second old
    return FlaskResponse(exposition(StoreCounts(runtime.store.counts_by_state)), content_type=CONTENT_TYPE)


@blueprint.get("/openapi.json")
def openapi() -> FlaskResponse:
    """The legacy REST API's OpenAPI description, as this server answers it."""
    spec = resources.files("app.http").joinpath("openapi.json").read_bytes()
    return FlaskResponse(spec, content_type="application/json")
