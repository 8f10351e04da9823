"""HTTP basic auth in front of the legacy protocol's routes (when RESONATE_AUTH_BASIC is
set): 401 with a challenge and the legacy error body, which the legacy clients read."""

from __future__ import annotations

from flask import Blueprint, request
from flask import Response as FlaskResponse

from app.auth import BASIC_CHALLENGE, BasicAuth
from app.http.render import error_response
from kernel.t_api import Status


def require_basic_auth(blueprints: list[Blueprint], basic: BasicAuth) -> None:
    def check() -> FlaskResponse | None:
        if basic.allows(request.headers.get("Authorization")):
            return None
        response = error_response(Status.UNAUTHORIZED, ["Unauthorized"])
        response.headers["WWW-Authenticate"] = BASIC_CHALLENGE
        return response

    for blueprint in blueprints:
        blueprint.before_request(check)
