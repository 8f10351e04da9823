"""`resonate serve`, `resonate dev` and `resonate settings`: the server under gunicorn."""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Any

import click
from gunicorn.app.base import BaseApplication

from app.settings import SETTINGS, SettingsError, load_settings


class ResonateApplication(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for name, value in self._options.items():
            self.cfg.set(name, value)
        # GUNICORN_CMD_ARGS (such as --max-requests) wins, as it does for gunicorn itself.
        from_env = self.cfg.parser().parse_args(self.cfg.get_cmd_args_from_env())
        for name, value in vars(from_env).items():
            if value is not None and name != "args" and name in self.cfg.settings:
                self.cfg.set(name.lower(), value)

    def load(self) -> Any:
        from app import create_app

        return create_app()


def _checked_settings() -> None:
    try:
        load_settings()
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from None


def _run_gunicorn() -> None:
    from app.serving import gunicorn_options

    ResonateApplication(gunicorn_options()).run()


@click.command()
@click.option(
    "--env-file", type=click.Path(exists=True, dir_okay=False), help="Read RESONATE_* settings from this file."
)
@click.option("--port", type=int, help="Override RESONATE_PORT.")
@click.option("--workers", type=int, help="Override RESONATE_WORKERS.")
def serve(env_file: str | None, port: int | None, workers: int | None) -> None:
    """Run the server under gunicorn (settings from RESONATE_* variables)."""
    # Settings travel to the workers through the environment.
    if env_file:
        os.environ["RESONATE_ENV_FILE"] = os.path.abspath(env_file)
    if port is not None:
        os.environ["RESONATE_PORT"] = str(port)
    if workers is not None:
        os.environ["RESONATE_WORKERS"] = str(workers)
    _checked_settings()
    _run_gunicorn()


@click.command()
@click.option("--port", type=int, default=8001, show_default=True, help="Port of the API.")
@click.option("--poll-port", type=int, default=8002, show_default=True, help="Port of the legacy poll transport.")
def dev(port: int, poll_port: int) -> None:
    """A server for local development: a throw-away store, one worker, debug logs."""
    data_dir = tempfile.mkdtemp(prefix="resonate-dev-")
    os.environ.update(
        RESONATE_HOST="127.0.0.1",
        RESONATE_PORT=str(port),
        RESONATE_POLL_PORT=str(poll_port),
        RESONATE_DATA_DIR=data_dir,
        RESONATE_REDIS_URL="",
        RESONATE_WORKERS="1",
        RESONATE_LOG_LEVEL="debug",
    )
    _checked_settings()
    click.secho("Resonate dev server", bold=True)
    click.echo(f"  API and current protocol  http://127.0.0.1:{port}   (POST /, /poll/{{group}}/{{id}})")
    click.echo(f"  dashboard                 http://127.0.0.1:{port}/ui/")
    click.echo(f"  legacy poll transport     http://127.0.0.1:{poll_port}")
    click.echo(f"  store                     {data_dir} (deleted on exit)")
    try:
        _run_gunicorn()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


@click.command()
def settings() -> None:
    """Print every setting with the value it would have (secrets masked)."""
    try:
        values = load_settings()
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from None
    for setting in SETTINGS:
        click.echo(f"{setting.env}={setting.shown(getattr(values, setting.field))}")
