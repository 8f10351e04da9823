"""One log line per request: its id (the Request-Id header, or the envelope's corrId),
what it asked for (the envelope's kind, or the legacy route's name), its status and
how long it took. In JSON lines these are fields of their own. The same facts feed
the request metrics."""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request

from kernel import metrics

log = logging.getLogger("resonate.access")

# blueprint -> the protocol generation its routes belong to (others: "server")
PROTOCOLS = {
    "current": "current",
    "promises": "legacy",
    "callbacks": "legacy",
    "tasks": "legacy",
    "schedules": "legacy",
    "locks": "legacy",
}


def note_envelope(kind: str, corr_id: str) -> None:
    """The current protocol's view says what the request was, once it has read it."""
    g.kind = kind
    g.request_id = corr_id


def register(app: Flask) -> None:
    @app.before_request
    def started() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def finished(response: Response) -> Response:
        elapsed_s = time.perf_counter() - g.get("started", time.perf_counter())
        kind = g.get("kind") or request.endpoint or "unknown"
        protocol = PROTOCOLS.get(request.blueprint or "", "server")
        metrics.TALLY.add(protocol, kind, str(response.status_code), elapsed_s)
        if log.isEnabledFor(logging.INFO):
            elapsed_ms = elapsed_s * 1000
            request_id = g.get("request_id") or request.headers.get("Request-Id", "")
            log.info(
                "%s %s %s %d %.2fms id=%s",
                request.method,
                request.path,
                kind,
                response.status_code,
                elapsed_ms,
                request_id,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "kind": kind,
                    "status": response.status_code,
                    "duration_ms": round(elapsed_ms, 3),
                    "request_id": request_id,
                },
            )
        return response
