"""The API: the Flask app factory, the HTTP views and the coroutines behind them."""

from __future__ import annotations

import logging

from flask import Flask
from pythonjsonlogger.json import JsonFormatter

from app import ui
from app.auth import BasicAuth, JwtAuth
from app.current import views as current_views
from app.current.views import JWT_EXTENSION
from app.http import access_log, callbacks, errors, health, locks, promises, schedules, tasks
from app.http.dispatch import EXTENSION
from app.http.guard import require_basic_auth
from app.runtime import Runtime
from app.settings import Settings, load_settings


def create_app(settings: Settings | None = None) -> Flask:
    """A Flask app with its own kernel, started and ready to serve."""
    settings = settings or load_settings()
    configure_logging(settings.log_level, settings.log_format)
    app = Flask("resonate")
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_size
    app.extensions[EXTENSION] = Runtime.start(settings)
    legacy = [module.blueprint for module in (promises, callbacks, tasks, schedules, locks)]
    basic = BasicAuth.parse(settings.auth_basic)
    if basic is not None:
        require_basic_auth(legacy, basic)
    app.extensions[JWT_EXTENSION] = JwtAuth.load(
        settings.auth_jwt_public_key, settings.auth_jwt_issuer, settings.auth_jwt_audience
    )
    for blueprint in [*legacy, health.blueprint, current_views.blueprint]:
        app.register_blueprint(blueprint)
    ui.register(app, basic, app.extensions[JWT_EXTENSION])
    errors.register(app)
    access_log.register(app)
    return app


def configure_logging(level: str, log_format: str = "text") -> None:
    """Text lines, or JSON lines (python-json-logger) with a request's fields as keys."""
    handler = logging.StreamHandler()
    if log_format == "json":
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(process)d %(levelname)s %(name)s %(message)s", rename_fields={"levelname": "level"}
            )
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
