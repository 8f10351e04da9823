"""GET /healthz: 200 when every subsystem of this process runs and the store answers
through the whole kernel path, else 503 naming what is down. GET /metrics: Prometheus."""

from __future__ import annotations

from importlib import resources

from flask import Blueprint, current_app
from flask import Response as FlaskResponse

from app.http.dispatch import EXTENSION, call
from app.http.render import error_response, json_response
from app.metrics import CONTENT_TYPE, StoreCounts, exposition
from kernel.errors import KernelError
from kernel.t_api import PingRequest, Status

blueprint = Blueprint("health", __name__)


def not_ready() -> list[str]:
    """What keeps this process from serving: its subsystems that are down, and "store"
    when the store does not answer through the kernel (asked only of a live kernel: a
    dead one would keep the caller for the whole request timeout). Empty when ready."""
    down = current_app.extensions[EXTENSION].down()
    if "kernel" not in down:
        try:
            call(PingRequest())
        except KernelError:
            down.append("store")
    return down


def current_exposition() -> bytes:
    """The metrics of every worker process (this one's tally flushed first; the others'
    at most half a second old) and the store's counts by state."""
    runtime = current_app.extensions[EXTENSION]
    runtime.record_metrics()
    return exposition(StoreCounts(runtime.store.counts_by_state))


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
    return FlaskResponse(current_exposition(), content_type=CONTENT_TYPE)


@blueprint.get("/openapi.json")
def openapi() -> FlaskResponse:
    """The legacy REST API's OpenAPI description, as this server answers it."""
    spec = resources.files("app.http").joinpath("openapi.json").read_bytes()
    return FlaskResponse(spec, content_type="application/json")
