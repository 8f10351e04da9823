"""The `resonate` command: the server (`serve`, `dev`, `settings`) and a client of it
(`promises`, `tasks`, `schedules`, `invoke`, `tree`), built with click and rich.

Exit codes: 0 done, 1 a refused request, 2 bad usage, 3 not found, 4 conflict,
5 server unreachable, 6 unauthorized or forbidden, 7 server error, 8 an invoked
function that did not resolve (invoke --wait).
"""

from __future__ import annotations

import sys

import click

from app.cli.client import Client
from app.cli.records import promises, schedules, tasks
from app.cli.serving import dev, serve, settings
from app.cli.workflows import invoke, tree


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--server",
    envvar="RESONATE_SERVER",
    default="http://localhost:8001",
    show_default=True,
    help="The server's URL (also RESONATE_SERVER); legacy basic credentials go in it: http://user:pass@host:8001.",
)
@click.option("--token", envvar="RESONATE_TOKEN", help="A JWT for the current protocol (also RESONATE_TOKEN).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@click.pass_context
def cli(ctx: click.Context, server: str, token: str | None, as_json: bool) -> None:
    """Durable promise server, and a client of it."""
    ctx.obj = {"client": Client(server, token), "json": as_json}


for command in (serve, dev, settings, promises, tasks, schedules, invoke, tree):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="resonate", standalone_mode=False)
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 1
    except click.exceptions.Exit as done:
        return done.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
