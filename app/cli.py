"""The `resonate` command: `resonate serve` runs the API under gunicorn."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="resonate", description="Durable promise server")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the API server under gunicorn")
    serve.add_argument("--env-file", help="read RESONATE_* settings from this file")
    serve.add_argument("--port", type=int, help="override RESONATE_PORT")
    serve.add_argument("--workers", type=int, help="override RESONATE_WORKERS")
    commands.add_parser("settings", help="print every setting with its current value")
    args = parser.parse_args(argv)

    # Settings travel to the workers through the environment.
    if getattr(args, "env_file", None):
        os.environ["RESONATE_ENV_FILE"] = os.path.abspath(args.env_file)
    if getattr(args, "port", None) is not None:
        os.environ["RESONATE_PORT"] = str(args.port)
    if getattr(args, "workers", None) is not None:
        os.environ["RESONATE_WORKERS"] = str(args.workers)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"resonate: {exc}", file=sys.stderr)
        return 2

    if args.command == "settings":
        for setting in SETTINGS:
            value = getattr(settings, setting.field)
            print(f"{setting.env}={'********' if setting.secret and value else value}")
        return 0

    from app.serving import gunicorn_options

    ResonateApplication(gunicorn_options()).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
