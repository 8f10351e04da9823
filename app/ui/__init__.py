"""The dashboard at /ui: one page (static/index.html, app.js, app.css, shipped in the
package, no build step, nothing fetched from elsewhere) and its JSON data under /ui/api."""

from __future__ import annotations

from flask import Blueprint, Flask, send_from_directory
from flask import Response as FlaskResponse

from app.auth import BasicAuth, JwtAuth
from app.ui import actions, promises, schedules, server, tasks  # noqa: F401  (their routes join api)
from app.ui.access import guard
from app.ui.api import api

STATIC_MAX_AGE_S = 300


def register(app: Flask, basic: BasicAuth | None, jwt_auth: JwtAuth | None) -> None:
    ui = Blueprint("ui", __name__, url_prefix="/ui", static_folder="static", static_url_path="/static")
    ui.register_blueprint(api)
    guard(ui, basic, jwt_auth)

    @ui.get("/")
    def page() -> FlaskResponse:
        response = send_from_directory(ui.static_folder or "", "index.html", max_age=0)
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    app.register_blueprint(ui)
    app.config.setdefault("SEND_FILE_MAX_AGE_DEFAULT", STATIC_MAX_AGE_S)
