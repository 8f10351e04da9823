"""Lock routes: acquire, release, heartbeat (protocol §4.10)."""

from __future__ import annotations

from flask import Blueprint, request
from flask import Response as FlaskResponse

from app.http.body import parse_body
from app.http.dispatch import call, respond
from app.shapes import lock_json
from kernel.t_api import AcquireLockRequest, HeartbeatLocksRequest, ReleaseLockRequest

blueprint = Blueprint("locks", __name__)


@blueprint.post("/locks/acquire")
def acquire_lock() -> FlaskResponse:
    body = parse_body(request.get_data())
    acquire = AcquireLockRequest(
        resource_id=body.string("resourceId", required=True),
        execution_id=body.string("executionId", required=True),
        process_id=body.string("processId", required=True),
        ttl=body.int64("ttl", minimum=0),
    )
    return respond(call(acquire), lock_json)


@blueprint.post("/locks/release")
def release_lock() -> FlaskResponse:
    body = parse_body(request.get_data())
    release = ReleaseLockRequest(
        resource_id=body.string("resourceId", required=True),
        execution_id=body.string("executionId", required=True),
    )
    return respond(call(release))


@blueprint.post("/locks/heartbeat")
def heartbeat_locks() -> FlaskResponse:
    body = parse_body(request.get_data())
    heartbeat = HeartbeatLocksRequest(process_id=body.string("processId", required=True))
    return respond(call(heartbeat), lambda affected: {"locksAffected": affected})
