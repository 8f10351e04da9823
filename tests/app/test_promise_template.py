"""Schedule promise-id templates: {{.id}} and {{.timestamp}}, HTML-escaped like Go's."""

from __future__ import annotations

import pytest

from app.promise_template import InvalidTemplate, check_template, render


@pytest.mark.parametrize(
    ("template", "schedule_id", "expected"),
    [
        ("{{.id}}.{{.timestamp}}", "nightly", "nightly.1700000000000"),
        ("job-{{ .timestamp }}", "x", "job-1700000000000"),
        ("fixed", "x", "fixed"),
        ("{{.id}}", "a&b<c>'d\"e+f", "a&amp;b&lt;c&gt;&#39;d&#34;e&#43;f"),
    ],
)
def test_render(template: str, schedule_id: str, expected: str) -> None:
    check_template(template)
    assert render(template, schedule_id, 1_700_000_000_000) == expected


@pytest.mark.parametrize("template", ["{{", "x{{.id}", "{{.name}}", "{{ printf }}", "}}", "{{.id}}{{"])
def test_templates_that_would_not_render_are_refused(template: str) -> None:
    with pytest.raises(InvalidTemplate):
        check_template(template)
