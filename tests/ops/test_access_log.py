"""One log line per request, with its id, kind, status and duration; JSON lines on request."""

from __future__ import annotations

import json
from pathlib import Path

from tests import client
from tests.conftest import own_server, unique, wait_until
from tests.current.proto import Proto


def json_lines(path: Path) -> list[dict]:
    lines = []
    for line in path.read_text().splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


def test_json_request_lines_for_both_generations(redis_url: str, tmp_path: Path) -> None:
    settings = {"RESONATE_LOG_FORMAT": "json", "RESONATE_LOG_LEVEL": "info"}
    with own_server(redis_url, tmp_path, **settings) as server:
        proto = Proto(server.url)
        pid = unique()
        proto.create(pid)
        reply = client.get(f"{server.url}/promises/{unique()}", headers={"Request-Id": "legacy-42"})
        assert reply.status_code == 404
        log = server.log_path

        def access() -> list[dict]:
            return [line for line in json_lines(log) if line.get("name") == "resonate.access"]

        wait_until(lambda: len(access()) >= 2, message="two request lines")
        current = next(line for line in access() if line["kind"] == "promise.create")
        assert current["status"] == 200 and current["request_id"].startswith("t-")
        assert current["method"] == "POST" and current["path"] == "/"
        assert isinstance(current["duration_ms"], float) and current["level"] == "INFO"
        legacy = next(line for line in access() if line["request_id"] == "legacy-42")
        assert legacy["status"] == 404 and legacy["kind"] == "promises.read_promise"


def test_text_request_lines_by_default(redis_url: str, tmp_path: Path) -> None:
    with own_server(redis_url, tmp_path, RESONATE_LOG_LEVEL="info") as server:
        Proto(server.url).send("promise.get", {"id": "nope"})
        wait_until(lambda: "resonate.access: POST / promise.get 404" in server.log_path.read_text())
