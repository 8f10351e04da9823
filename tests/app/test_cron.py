"""Cron: the dialect of robfig/cron v3 as the Resonate server uses it."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from app.cron import NEVER, InvalidCron, parse_cron

START = int(datetime(2025, 1, 1, 0, 0, 0, tzinfo=timezone.utc).timestamp() * 1000)  # a Wednesday


def utc(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


@pytest.mark.parametrize(
    ("expression", "after", "expected"),
    [
        ("* * * * *", START, "2025-01-01 00:01:00"),  # strictly after
        ("0 0 * * *", START, "2025-01-02 00:00:00"),
        ("*/5 * * * * *", START, "2025-01-01 00:00:05"),  # six fields: seconds first
        ("30 0 0 * * *", START, "2025-01-01 00:00:30"),
        ("@hourly", START, "2025-01-01 01:00:00"),
        ("@daily", START, "2025-01-02 00:00:00"),
        ("@midnight", START, "2025-01-02 00:00:00"),
        ("@weekly", START, "2025-01-05 00:00:00"),
        ("@monthly", START, "2025-02-01 00:00:00"),
        ("@yearly", START, "2026-01-01 00:00:00"),
        ("@annually", START, "2026-01-01 00:00:00"),
        ("0 0 ? * MON", START, "2025-01-06 00:00:00"),
        ("0 0 1 JAN *", START, "2026-01-01 00:00:00"),
        ("0 12 1 * 1", START, "2025-01-01 12:00:00"),  # dom OR dow
        ("*/15 9-17 * * 1-5", START, "2025-01-01 09:00:00"),
        ("0 9 * * *", START + 1, "2025-01-01 09:00:00"),
        ("CRON_TZ=Asia/Tokyo 0 9 * * *", START, "2025-01-02 00:00:00"),  # 09:00 in Tokyo
        ("TZ=UTC 0 9 * * *", START, "2025-01-01 09:00:00"),
        ("@every 90s", START + 500, "2025-01-01 00:01:30"),  # from the whole second
        ("@every 1h30m", START, "2025-01-01 01:30:00"),
    ],
)
def test_next_activation(expression: str, after: int, expected: str) -> None:
    assert utc(parse_cron(expression).next(after)) == expected


def test_a_sub_second_every_runs_each_second() -> None:
    assert parse_cron("@every 300ms").next(START) == START + 1000


def test_an_expression_that_never_fires_is_never_due() -> None:
    assert parse_cron("0 0 30 2 *").next(START) == NEVER


@pytest.mark.parametrize(
    "expression",
    ["", "nope", "* * *", "* * * * * * *", "61 * * * *", "* 25 * * *", "@reboot", "@every", "@every 5x",
     "TZ=Nowhere/Special * * * * *", "* * * FOO *"],
)  # fmt: skip
def test_invalid_expressions(expression: str) -> None:
    with pytest.raises(InvalidCron):
        parse_cron(expression)
