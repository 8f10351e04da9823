"""Prometheus metrics (prometheus-client), correct across gunicorn worker processes.

The gunicorn master points PROMETHEUS_MULTIPROC_DIR at a fresh folder before the
workers start (app/serving.py), so every worker writes its samples there and any
worker's GET /metrics sums them all. Without it (a single process) the default
registry is used. Counts that live in the store (promises and tasks by state) are read
at scrape time, so they are the same whichever worker answers.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import REGISTRY, Collector

MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST


class StoreCounts(Collector):
    """Promises and tasks by state, read from the store when scraped."""

    def __init__(self, read: Callable[[], dict[tuple[str, str, str], int]]) -> None:
        self._read = read  # (record, protocol, state) -> count

    def collect(self) -> Iterable[Metric]:
        promises = GaugeMetricFamily("resonate_promises", "Promises stored, by state", labels=["protocol", "state"])
        tasks = GaugeMetricFamily("resonate_tasks", "Tasks stored, by state", labels=["protocol", "state"])
        try:
            counts = self._read()
        except Exception:  # a scrape during a store outage shows the rest
            counts = {}
        for (record, protocol, state), count in sorted(counts.items()):
            (promises if record == "promise" else tasks).add_metric([protocol, state], count)
        yield promises
        yield tasks


def exposition(store_counts: StoreCounts) -> bytes:
    """The text exposition of every process's metrics plus the store's counts."""
    if os.environ.get(MULTIPROC_DIR):
        processes = CollectorRegistry()
        MultiProcessCollector(processes)
    else:
        processes = REGISTRY
    store = CollectorRegistry()
    store.register(store_counts)
    return generate_latest(processes) + generate_latest(store)
