"""The current protocol's routes on the API port (§9.3): POST / for envelopes, GET
/poll/{group}/{id} for server-sent events, GET /health and GET /ready."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

from flask import Blueprint, current_app, request
from flask import Response as FlaskResponse

from aio.poll.connections import POLL_INTERVAL_S, peer_gone
from app.auth import JwtAuth, Unauthorized, allowed, bearer
from app.current.envelope import Rejected, answer, read_envelope, rejected
from app.current.parse import KINDS, Invalid, parse_request
from app.current.requests import Answer, StreamConnected
from app.http.access_log import note_envelope
from app.http.dispatch import EXTENSION, call
from app.http.health import not_ready
from kernel import metrics
from kernel.errors import KernelError

log = logging.getLogger(__name__)

blueprint = Blueprint("current", __name__)
JWT_EXTENSION = "resonate.jwt"  # the JwtAuth of the app, or None when auth is off

RETRY_AFTER_S = "1"


@blueprint.post("/")
def envelope() -> FlaskResponse:
    try:
        env = read_envelope(request.get_data(cache=False))
    except Rejected as error:
        return rejected(error)
    note_envelope(env.kind, env.corr_id)
    jwt_auth: JwtAuth | None = current_app.extensions[JWT_EXTENSION]
    if jwt_auth is not None:  # after the envelope checks, before the kind is looked up (§1.4)
        try:
            claims = jwt_auth.claims(env.auth)
        except Unauthorized:
            return answer(env.kind, env.corr_id, 401, "Unauthorized")
        if not allowed(claims, env.kind, env.data):
            return answer(env.kind, env.corr_id, 403, "Forbidden")
    if env.kind not in KINDS:
        return answer(env.kind, env.corr_id, 400, f"Unknown operation: {env.kind}")
    try:
        typed = parse_request(env.kind, env.data, env.corr_id)
    except Invalid as error:
        return answer(env.kind, env.corr_id, 400, str(error))
    try:
        result: Answer = call(typed)
    except KernelError as error:
        response = answer(env.kind, env.corr_id, 503, f"Unavailable: {error}")
        response.headers["Retry-After"] = RETRY_AFTER_S
        return response
    except Exception:
        log.exception("unexpected error in %s", env.kind)  # the details go to the log only
        return answer(env.kind, env.corr_id, 500, "Internal error")
    return answer(env.kind, env.corr_id, result.status, result.data)


@blueprint.get("/health")
def health() -> FlaskResponse:
    return FlaskResponse(status=200)


@blueprint.get("/ready")
def ready() -> FlaskResponse:
    return FlaskResponse(status=503 if not_ready() else 200)


@blueprint.get("/poll/<group>/<path:member>")
def poll(group: str, member: str) -> FlaskResponse:
    """A stream of execute and unblock messages for (group, id): the newest stream of
    a (group, id) wins; keep-alive comments; a clean end before clients time out."""
    jwt_auth: JwtAuth | None = current_app.extensions[JWT_EXTENSION]
    if jwt_auth is not None:
        try:
            jwt_auth.claims(bearer(request.headers.get("Authorization")))
        except Unauthorized:
            return FlaskResponse("Unauthorized", status=401, content_type="text/plain")
    runtime = current_app.extensions[EXTENSION]
    streams = runtime.current_streams
    connection = streams.local.open(group, member)
    if connection is None:
        return FlaskResponse("Poll registration at capacity", status=503, content_type="text/plain")
    streams.directory.register(connection)
    metrics.POLL_STREAMS.labels("current").inc()
    runtime.system.submit(StreamConnected(group))  # tasks waiting for this group go now
    settings = runtime.settings
    sock = request.environ.get("gunicorn.socket")  # to notice a worker gone without a write

    def events() -> Iterator[bytes]:
        now = time.monotonic()
        ends = now + settings.poll_stream_lifetime_s
        quiet_since = now
        try:
            yield b": connected\n\n"
            while not connection.closed.is_set() and time.monotonic() < ends:
                body = connection.next_message(POLL_INTERVAL_S)
                if body is not None:
                    yield b"data: " + body + b"\n\n"
                    quiet_since = time.monotonic()
                elif sock is not None and peer_gone(sock):
                    return
                elif time.monotonic() - quiet_since >= settings.poll_keepalive_s:
                    yield b": keep-alive\n\n"
                    quiet_since = time.monotonic()
        finally:
            metrics.POLL_STREAMS.labels("current").dec()
            if streams.local.close(connection):
                streams.directory.unregister(connection)

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return FlaskResponse(events(), status=200, mimetype="text/event-stream", headers=headers)
