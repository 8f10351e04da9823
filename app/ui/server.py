"""The dashboard's server page: readiness, the settings in force (secrets masked) and key
metrics, summed from the same exposition /metrics serves."""

from __future__ import annotations

from typing import Any

from flask import Response as FlaskResponse
from flask import current_app
from prometheus_client.parser import text_string_to_metric_families

from app.http.dispatch import EXTENSION
from app.http.health import current_exposition, not_ready
from app.http.render import json_response
from app.settings import SETTINGS
from app.ui.api import api

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
    order = {name: position for position, name in enumerate(KEY_METRICS)}
    rows = sorted(sums.items(), key=lambda item: (order[item[0][0]], item[0][1]))
    return [{"metric": name, "labels": dict(labels), "value": value} for (name, labels), value in rows]


@api.get("/server")
def server() -> FlaskResponse:
    """Readiness (what /ready checks, with names), the settings in force (secrets
    masked) and key metrics (the figures /metrics gives, summed)."""
    settings = current_app.extensions[EXTENSION].settings
    rows = [
        {
            "name": setting.env,
            "value": setting.shown(getattr(settings, setting.field)),
            "secret": setting.secret,
            "help": setting.description,
        }
        for setting in SETTINGS
    ]
    down = not_ready()
    body = {"ready": not down, "down": down, "settings": rows, "metrics": key_metrics(current_exposition().decode())}
    return json_response(body, 200)
