"""Who may see the dashboard: the server's own authentication, nothing of its own.

With RESONATE_AUTH_BASIC set, every /ui path (page, assets, data) asks for basic
credentials, so the browser shows its sign-in prompt. With a JWT key set, the data
(/ui/api) also needs a Bearer token with the admin role: the dashboard searches and acts
on every id, which only admin tokens may do (§8). Actions also need the X-Requested-By
header: a page of another site cannot send it without a CORS preflight, which this
server never grants, so credentials a browser keeps cannot be used across sites.
"""

from __future__ import annotations

from flask import Blueprint, request
from flask import Response as FlaskResponse

from app.auth import BASIC_CHALLENGE, BasicAuth, JwtAuth, Unauthorized, bearer
from app.http.render import json_response

ACTION_HEADER = "X-Requested-By"
TOKEN_HEADER = "X-Resonate-Token"


def refusal(status: int, message: str, needs: str) -> FlaskResponse:
    """A JSON error naming what the dashboard should ask for ("basic" or "token")."""
    return json_response({"error": message, "needs": needs}, status)


def guard(blueprint: Blueprint, basic: BasicAuth | None, jwt_auth: JwtAuth | None) -> None:
    def check() -> FlaskResponse | None:
        if basic is not None and not basic.allows(request.headers.get("Authorization")):
            response = refusal(401, "Sign in with the server's user and password.", "basic")
            response.headers["WWW-Authenticate"] = BASIC_CHALLENGE
            return response
        is_data = request.path.startswith("/ui/api/")
        if jwt_auth is not None and is_data:
            # its own header, as Authorization may carry the basic credentials
            token = request.headers.get(TOKEN_HEADER) or bearer(request.headers.get("Authorization"))
            try:
                claims = jwt_auth.claims(token)
            except Unauthorized as error:
                return refusal(401, f"A valid token is needed ({error}).", "token")
            role = claims.get("role")
            if not (isinstance(role, str) and role.lower() == "admin"):
                return refusal(403, "The dashboard needs a token with the admin role.", "token")
        if is_data and request.method != "GET" and not request.headers.get(ACTION_HEADER):
            return refusal(403, f"Actions need the {ACTION_HEADER} header.", "header")
        return None

    blueprint.before_request(check)
