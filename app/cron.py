"""Cron expressions as the Resonate server reads them (robfig/cron v3, protocol §7.2).

Five fields (min hour dom month dow), or six with a leading seconds field; names,
ranges, steps, lists and `?`; the descriptors @yearly @annually @monthly @weekly
@daily @midnight @hourly and `@every <Go duration>`; an optional TZ= or CRON_TZ=
prefix. Fields are parsed by croniter. Times are epoch ms; `next` is the first
activation strictly after the given time, to the whole second, in the server's
local time zone unless the expression names one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter
from croniter.croniter import CroniterBadDateError, CroniterError

from kernel.int64 import MAX_INT64

NEVER = MAX_INT64  # for an expression that never fires (such as 30 February)
_DESCRIPTORS = {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_MAX_DURATION_MS = (2**63 - 1) / 1e6  # Go's time.Duration: int64 nanoseconds
_UNIT_MS = {"ns": 1e-6, "us": 1e-3, "µs": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


class InvalidCron(ValueError):
    pass


@dataclass(frozen=True)
class Cron:
    expression: str
    fields: str
    zone: tzinfo | None
    every_ms: int | None  # @every: a constant delay instead of fields

    def next(self, after_ms: int) -> int:
        """The first activation strictly after after_ms, in epoch ms (NEVER if none)."""
        if self.every_ms is not None:
            return min(after_ms // 1000 * 1000 + self.every_ms, NEVER)
        start = datetime.fromtimestamp(after_ms / 1000, tz=self.zone).astimezone(self.zone)
        start = start.replace(microsecond=0)  # whole seconds: strictly after the second
        seconds = len(self.fields.split()) == 6
        try:
            found = croniter(self.fields, start, second_at_beginning=seconds).get_next(datetime)
        except CroniterBadDateError:
            return NEVER
        return int(found.timestamp()) * 1000


def parse_cron(expression: str) -> Cron:
    text = expression.strip()
    zone = None
    if text.startswith(("TZ=", "CRON_TZ=")):
        name, _, text = text.partition("=")[2].partition(" ")
        try:
            zone = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidCron(f"unknown time zone {name!r}") from None
        text = text.strip()
    if text.startswith("@every "):
        return Cron(expression, "", zone, _parse_every(text[len("@every ") :].strip()))
    if text.startswith("@") and text not in _DESCRIPTORS:
        raise InvalidCron(f"unknown descriptor {text!r}")
    if not text.startswith("@") and len(text.split()) not in (5, 6):
        raise InvalidCron("expected 5 or 6 fields")
    try:
        croniter(text, datetime.now().astimezone(), second_at_beginning=len(text.split()) == 6)
    except (CroniterError, ValueError, KeyError) as exc:
        raise InvalidCron(str(exc)) from None
    return Cron(expression, text, zone, None)


def _parse_every(text: str) -> int:
    """A Go duration ("90s", "1h30m", "1.5h"), at least one second, whole seconds."""
    position, total_ms = 0, 0.0
    for match in _DURATION_PART.finditer(text):
        if match.start() != position:
            break
        total_ms += float(match.group(1)) * _UNIT_MS[match.group(2)]
        position = match.end()
    if text == "" or position != len(text):
        raise InvalidCron(f"invalid duration {text!r}")
    if total_ms > _MAX_DURATION_MS:
        raise InvalidCron(f"duration {text!r} is out of range (at most about 292 years)")
    return max(1000, int(timedelta(milliseconds=total_ms).total_seconds()) * 1000)
