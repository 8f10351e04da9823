"""The dashboard's server page: readiness, the settings in force (secrets masked) and key
metrics, summed from the same exposition /metrics serves."""

from __future__ import annotations

from typing import Any

from flask import Response as FlaskResponse
from flask import current_app
from prometheus_client.parser import text_string_to_metric_families

from app.http.dispatch import EXTENSION, call
from app.http.render import json_response
from app.metrics import StoreCounts, exposition
from app.settings import SETTINGS
from app.ui.api import api
from kernel.errors import KernelError
from kernel.t_api import PingRequest

# metric -> the labels its figures are summed by on the server page
KEY_METRICS: dict[str, tuple[str, ...]] = {
    "resonate_requests": ("protocol", "status"),
    "resonate_coroutines": (),
    "resonate_queued_requests": (),
    "resonate_poll_streams": ("protocol",),
    "resonate_store_round_trips": (),
    "resonate_store_errors": (),
    "resonate_messages": ("transport", "outcome"),
    "resonate_promises_created": ("protocol",),
    "resonate_promises_settled": ("protocol", "state"),
    "resonate_promises": ("protocol", "state"),
    "resonate_tasks": ("protocol", "state"),
}


def key_metrics(exposition_text: str) -> list[dict[str, Any]]:
    """The figures of KEY_METRICS from the Prometheus exposition, summed by their labels."""
    sums: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(exposition_text):
        by = KEY_METRICS.get(family.name)
        if by is None:
            continue
        for sample in family.samples:
            if sample.name.endswith("_created"):
                continue
            labels = tuple((name, sample.labels.get(name, "")) for name in by)
            sums[(family.name, labels)] = sums.get((family.name, labels), 0.0) + sample.value
    return [
        {"metric": name, "labels": dict(labels), "value": value}
        for (name, labels), value in sorted(
            sums.items(), key=lambda item: (list(KEY_METRICS).index(item[0][0]), item[0][1])
        )
    ]


@api.get("/server")
def server() -> FlaskResponse:
    """Store health, the settings in force (secrets masked) and key metrics (the same
    figures /metrics gives, summed)."""
    runtime = current_app.extensions[EXTENSION]
    settings = runtime.settings
    runtime.record_metrics()
    metrics_text = exposition(StoreCounts(runtime.store.counts_by_state)).decode()
    rows = [
        {
            "name": setting.env,
            "value": setting.shown(getattr(settings, setting.field)),
            "secret": setting.secret,
            "help": setting.description,
        }
        for setting in SETTINGS
    ]
    down = runtime.down()
    try:
        call(PingRequest())
    except KernelError:
        down.append("store")
    body = {"ready": not down, "down": down, "settings": rows, "metrics": key_metrics(metrics_text)}
    return json_response(body, 200)
