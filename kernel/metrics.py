"""The server's Prometheus instruments (prometheus-client), in one place below every
layer that records into them; app/metrics.py serves them. Code reads them as
`metrics.NAME` at the time it records, because a gunicorn worker builds them again
after the fork (use_multiprocess_values) so that its samples go to the folder
PROMETHEUS_MULTIPROC_DIR names, where any worker's /metrics sums them all.
"""

from __future__ import annotations

import threading
from typing import Any

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, values

REQUESTS: Counter
REQUEST_SECONDS: Histogram
COROUTINES: Gauge
QUEUED_REQUESTS: Gauge
STORE_ROUND_TRIPS: Counter
STORE_BATCH: Histogram
STORE_SECONDS: Histogram
STORE_ERRORS: Counter
MESSAGES: Counter
MESSAGE_RETRIES: Counter
PROMISES_CREATED: Counter
PROMISES_SETTLED: Counter
POLL_STREAMS: Gauge


def _build(registry: CollectorRegistry | None) -> dict[str, Any]:
    REQUESTS = Counter(
        "resonate_requests_total",
        "Requests answered, by protocol, kind and status",
        ["protocol", "kind", "status"],
        registry=registry,
    )
    REQUEST_SECONDS = Histogram(
        "resonate_request_duration_seconds",
        "Time from a request's arrival to its answer",
        ["protocol", "kind"],
        buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        registry=registry,
    )
    COROUTINES = Gauge(
        "resonate_coroutines", "Coroutines in flight in the kernels", multiprocess_mode="livesum", registry=registry
    )
    QUEUED_REQUESTS = Gauge(
        "resonate_queued_requests",
        "Requests waiting for a kernel to take them",
        multiprocess_mode="livesum",
        registry=registry,
    )
    STORE_ROUND_TRIPS = Counter("resonate_store_round_trips_total", "Pipelines sent to Redis", registry=registry)
    STORE_BATCH = Histogram(
        "resonate_store_batch_commands",
        "Commands per Redis round trip",
        buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256),
        registry=registry,
    )
    STORE_SECONDS = Histogram(
        "resonate_store_round_trip_seconds",
        "Time of one Redis round trip",
        buckets=(0.0002, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1),
        registry=registry,
    )
    STORE_ERRORS = Counter(
        "resonate_store_errors_total", "Round trips that failed (store away or busy)", registry=registry
    )
    MESSAGES = Counter(
        "resonate_messages_total",
        "Messages to workers and clients, by protocol, transport and outcome (delivered, failed, undeliverable)",
        ["protocol", "transport", "outcome"],
        registry=registry,
    )
    MESSAGE_RETRIES = Counter(
        "resonate_message_retries_total",
        "Task messages sent again (retry timers, lapsed leases)",
        ["protocol"],
        registry=registry,
    )
    PROMISES_CREATED = Counter("resonate_promises_created_total", "Promises created", ["protocol"], registry=registry)
    PROMISES_SETTLED = Counter(
        "resonate_promises_settled_total", "Promises settled, by final state", ["protocol", "state"], registry=registry
    )
    POLL_STREAMS = Gauge(
        "resonate_poll_streams", "Poll streams connected", ["protocol"], multiprocess_mode="livesum", registry=registry
    )
    return {
        "REQUESTS": REQUESTS,
        "REQUEST_SECONDS": REQUEST_SECONDS,
        "COROUTINES": COROUTINES,
        "QUEUED_REQUESTS": QUEUED_REQUESTS,
        "STORE_ROUND_TRIPS": STORE_ROUND_TRIPS,
        "STORE_BATCH": STORE_BATCH,
        "STORE_SECONDS": STORE_SECONDS,
        "STORE_ERRORS": STORE_ERRORS,
        "MESSAGES": MESSAGES,
        "MESSAGE_RETRIES": MESSAGE_RETRIES,
        "PROMISES_CREATED": PROMISES_CREATED,
        "PROMISES_SETTLED": PROMISES_SETTLED,
        "POLL_STREAMS": POLL_STREAMS,
    }


globals().update(_build(REGISTRY))


def use_multiprocess_values() -> None:
    """In a forked worker: record into PROMETHEUS_MULTIPROC_DIR from now on. The
    master imported this module (and made the instruments) before it set the folder."""
    values.ValueClass = values.get_value_class()
    globals().update(_build(None))


class RequestTally:
    """Request counts and durations gathered in memory, written to the instruments by one
    thread twice a second: in multiprocess mode every write takes prometheus-client's
    process-wide lock, which request threads would otherwise queue on (measured: up to a
    fifth of the throughput at 32 clients)."""

    MAX_DURATIONS = 10_000  # kept per (protocol, kind) between flushes; counts stay exact

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[tuple[str, str, str], int] = {}
        self._durations: dict[tuple[str, str], list[float]] = {}

    def add(self, protocol: str, kind: str, status: str, seconds: float) -> None:
        with self._lock:
            key = (protocol, kind, status)
            self._counts[key] = self._counts.get(key, 0) + 1
            durations = self._durations.setdefault((protocol, kind), [])
            if len(durations) < self.MAX_DURATIONS:
                durations.append(seconds)

    def flush(self) -> None:
        with self._lock:
            counts, self._counts = self._counts, {}
            durations, self._durations = self._durations, {}
        instruments = globals()  # as rebuilt after a fork (use_multiprocess_values)
        for labels, count in counts.items():
            instruments["REQUESTS"].labels(*labels).inc(count)
        for labels, seconds in durations.items():
            histogram = instruments["REQUEST_SECONDS"].labels(*labels)
            for value in seconds:
                histogram.observe(value)


TALLY = RequestTally()
