"""Schedule promise ids: a template with {{.id}} and {{.timestamp}} (protocol §7.1).

The Go server renders it with html/template, so characters of the schedule id that
HTML escapes (& < > " ' +) come out as entities; we do the same. Only these two
variables exist, so any other {{...}} is refused when the schedule is created (Go
would crash when it fires).
"""

from __future__ import annotations

import re

_ACTION = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_VARIABLES = {".id": "id", ".timestamp": "timestamp"}
_HTML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;", "+": "&#43;", "\0": "\ufffd"}


class InvalidTemplate(ValueError):
    pass


def check_template(template: str) -> None:
    remainder = _ACTION.sub("", template)
    if "{{" in remainder or "}}" in remainder:
        raise InvalidTemplate("unbalanced {{ or }}")
    for action in _ACTION.findall(template):
        if action.strip() not in _VARIABLES:
            raise InvalidTemplate(f"unknown action {{{{{action}}}}}: only {{{{.id}}}} and {{{{.timestamp}}}}")


def render(template: str, schedule_id: str, timestamp: int) -> str:
    values = {"id": html_escape(schedule_id), "timestamp": str(timestamp)}
    return _ACTION.sub(lambda match: values[_VARIABLES[match.group(1).strip()]], template)


def html_escape(text: str) -> str:
    return "".join(_HTML_ESCAPES.get(ch, ch) for ch in text)
