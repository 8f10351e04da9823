"""The API: the Flask app factory, the HTTP views and the coroutines behind them."""

from __future__ import annotations

import logging

from flask import Flask

from app.current import views as current_views
from app.http import callbacks, errors, health, locks, promises, schedules, tasks
from app.http.dispatch import EXTENSION
from app.runtime import Runtime
from app.settings import Settings, load_settings


def create_app(settings: Settings | None = None) -> Flask:
    """A Flask app with its own kernel, started and ready to serve."""
    settings = settings or load_settings()
    configure_logging(settings.log_level)
    app = Flask("resonate")
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_size
    app.extensions[EXTENSION] = Runtime.start(settings)
    for module in (promises, callbacks, tasks, schedules, locks, health, current_views):
        app.register_blueprint(module.blueprint)
    errors.register(app)
    return app


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s",
    )
