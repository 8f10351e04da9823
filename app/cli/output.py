"""What the CLI prints: rich tables for people, JSON for scripts, and values decoded."""

from __future__ import annotations

import base64
import binascii
import datetime
from collections.abc import Iterable
from typing import Any

import click
import orjson
from rich.console import Console
from rich.table import Table

console = Console()


def emit_json(value: Any) -> None:
    click.echo(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode())


def table(columns: list[str], rows: Iterable[list[str]], title: str | None = None) -> None:
    grid = Table(*columns, title=title, header_style="bold")
    for row in rows:
        grid.add_row(*row)
    console.print(grid)


def when(ms: int | None) -> str:
    """An epoch-ms time as local ISO text; the largest int64 reads 'never'."""
    if ms is None:
        return ""
    if ms >= 2**62:
        return "never"
    return datetime.datetime.fromtimestamp(ms / 1000).isoformat(sep=" ", timespec="seconds")


def decoded(value: dict[str, Any] | None) -> str:
    """A Value's data: the JSON text it encodes when it is base64 of JSON, else as stored."""
    data = (value or {}).get("data")
    if not data:
        return ""
    try:
        text = base64.b64decode(data, validate=True).decode()
        orjson.loads(text)
        return text
    except (binascii.Error, UnicodeDecodeError, orjson.JSONDecodeError):
        return data


def encoded(json_text: str | None) -> dict[str, str]:
    """A Value from JSON text given on the command line."""
    if json_text is None:
        return {}
    try:
        orjson.loads(json_text)
    except orjson.JSONDecodeError as exc:
        raise click.BadParameter(f"not JSON: {exc}") from None
    return {"data": base64.b64encode(json_text.encode()).decode()}


def duration(ms: int) -> str:
    if ms < 1000:
        return f"{ms} ms"
    if ms < 120_000:
        return f"{ms / 1000:.1f} s"
    return f"{ms / 60_000:.1f} min"


def parse_duration(text: str) -> int:
    """'500ms', '30s', '5m', '1h', '2d' as milliseconds."""
    units = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000}
    for unit in sorted(units, key=len, reverse=True):
        number = text.removesuffix(unit)
        if number != text and number.replace(".", "", 1).isdigit():
            return int(float(number) * units[unit])
    raise click.BadParameter(f"expected a duration such as 500ms, 30s, 5m, 1h or 2d, got {text!r}")
