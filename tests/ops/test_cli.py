"""Every verb of the resonate CLI against a real server, as a user runs it (a process):
tables for people, JSON parsed back for scripts, exit codes that tell 404 from 409
from an unreachable server, and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import client
from tests.conftest import REPO, ServerProcess, free_port, own_server, unique, wait_until
from tests.current.proto import HOUR_MS, Proto, now_ms
from tests.e2e.sdk_process import SdkProcess, running_workers, sdk_venv

NOT_FOUND, CONFLICT, UNREACHABLE, DENIED, REJECTED = 3, 4, 5, 6, 8


@pytest.fixture(scope="module")
def cli_server(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with own_server(redis_url, tmp_path_factory.mktemp("cli")) as server:
        yield server


def resonate(
    server: ServerProcess | str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    url = server if isinstance(server, str) else server.url
    environment = (
        {k: v for k, v in os.environ.items() if not k.startswith("RESONATE_")} | {"COLUMNS": "250"} | (env or {})
    )
    command = [sys.executable, "-m", "app.cli", "--server", url, *args]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=60, env=environment)


def as_json(server: ServerProcess, *args: str) -> Any:
    done = resonate(server, "--json", *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_promises_create_get_settle_search(cli_server: ServerProcess) -> None:
    pid, team = unique("cli"), unique("team")
    created = as_json(cli_server, "promises", "create", pid, "--data", '{"qty": 1}', "--tag", f"team={team}")
    assert created["state"] == "pending" and created["tags"] == {"team": team}
    table = resonate(cli_server, "promises", "get", pid)
    assert table.returncode == 0 and pid in table.stdout and 'param: {"qty": 1}' in table.stdout
    resolved = as_json(cli_server, "promises", "resolve", pid, "--data", '"done"')
    assert resolved["state"] == "resolved" and "settledAt" in resolved
    for verb, state in (("reject", "rejected"), ("cancel", "rejected_canceled")):
        other = unique(verb)
        as_json(cli_server, "promises", "create", other, "--tag", f"team={team}")
        assert as_json(cli_server, "promises", verb, other)["state"] == state
    page = as_json(cli_server, "promises", "search", "--tag", f"team={team}", "--limit", "2")
    assert len(page["promises"]) == 2 and "cursor" in page
    rest = as_json(cli_server, "promises", "search", "--tag", f"team={team}", "--cursor", page["cursor"])
    assert len(rest["promises"]) == 1 and "cursor" not in rest
    resolved_only = as_json(cli_server, "promises", "search", "--tag", f"team={team}", "--state", "resolved")
    assert [p["id"] for p in resolved_only["promises"]] == [pid]


def test_exit_codes_and_one_line_errors(cli_server: ServerProcess) -> None:
    missing = resonate(cli_server, "promises", "get", unique("nope"))
    assert missing.returncode == NOT_FOUND
    assert missing.stderr.strip().count("\n") == 0 and "404 Promise not found" in missing.stderr
    held = unique("held")
    Proto(cli_server.url).task_create(held, target="poll://any@nobody")
    schedule = unique("sched")
    as_json(cli_server, "schedules", "create", schedule, "--cron", "0 * * * *")
    unreachable = resonate(f"http://127.0.0.1:{free_port()}", "promises", "get", "x")
    assert unreachable.returncode == UNREACHABLE and "cannot reach the server" in unreachable.stderr
    bad = resonate(cli_server, "promises", "create", "x", "--timeout", "soon")
    assert bad.returncode == 2 and "duration" in bad.stderr
    legacy_conflict = unique("legacy")
    body = {"id": legacy_conflict, "timeout": now_ms() + HOUR_MS}
    assert client.post(f"{cli_server.url}/promises", json=body, headers={"Idempotency-Key": "a"}).status_code == 201
    conflict = resonate(cli_server, "promises", "create", legacy_conflict, "--legacy")
    assert conflict.returncode == CONFLICT, conflict.stderr


def test_legacy_promises(cli_server: ServerProcess) -> None:
    pid = unique("old")
    created = as_json(cli_server, "promises", "create", pid, "--legacy", "--tag", "a=b")
    assert created["state"] == "pending"
    assert client.get(f"{cli_server.url}/promises/{pid}").json()["state"] == "PENDING"
    assert as_json(cli_server, "promises", "resolve", pid, "--legacy")["state"] == "resolved"
    found = as_json(cli_server, "promises", "search", "--legacy", "--id", f"{pid}*")
    assert [p["id"] for p in found["promises"]] == [pid]


def test_tasks_get_and_search(cli_server: ServerProcess) -> None:
    root = unique("task")
    Proto(cli_server.url).task_create(root, target="poll://any@nobody")
    task = as_json(cli_server, "tasks", "get", root)
    assert task["state"] == "acquired" and task["version"] == 1
    page = as_json(cli_server, "tasks", "search", "--state", "acquired", "--limit", "1000")
    assert root in [t["id"] for t in page["tasks"]]
    assert resonate(cli_server, "tasks", "get", unique()).returncode == NOT_FOUND
    assert "acquired" in resonate(cli_server, "tasks", "search", "--state", "acquired").stdout


def test_schedules(cli_server: ServerProcess) -> None:
    schedule = unique("sched")
    created = as_json(cli_server, "schedules", "create", schedule, "--cron", "*/5 * * * *", "--tag", "k=v")
    assert created["promiseTags"] == {"k": "v", "resonate:target": "poll://any@default"}
    assert as_json(cli_server, "schedules", "get", schedule)["cron"] == "*/5 * * * *"
    assert schedule in [s["id"] for s in as_json(cli_server, "schedules", "search", "--tag", "k=v")["schedules"]]
    assert as_json(cli_server, "schedules", "delete", schedule) == {"deleted": schedule}
    assert resonate(cli_server, "schedules", "get", schedule).returncode == NOT_FOUND
    legacy = unique("old-sched")
    made = as_json(
        cli_server, "schedules", "create", legacy, "--legacy", "--cron", "0 * * * *", "--promise-id", "x.{{.timestamp}}"
    )
    assert made["nextRunAt"] > now_ms()
    assert as_json(cli_server, "schedules", "delete", legacy, "--legacy") == {"deleted": legacy}


def test_a_token_is_sent(redis_url: str, tmp_path: Path) -> None:
    from tests.ops.test_auth import ED_KEY, pem, token

    key_file = tmp_path / "key.pem"
    key_file.write_text(pem(ED_KEY))
    with own_server(redis_url, tmp_path, RESONATE_AUTH_JWT_PUBLIC_KEY=str(key_file)) as server:
        assert resonate(server, "promises", "get", "x").returncode == DENIED
        with_token = resonate(server, "--token", token({"role": "admin"}), "promises", "get", "x")
        assert with_token.returncode == NOT_FOUND
        from_env = resonate(server, "promises", "get", "x", env={"RESONATE_TOKEN": token({"role": "admin"})})
        assert from_env.returncode == NOT_FOUND


@pytest.fixture(scope="module")
def sdk_worker(cli_server: ServerProcess, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SdkProcess]:
    python = sdk_venv(tmp_path_factory, "resonate-sdk==0.8.1")
    folder = tmp_path_factory.mktemp("cli-worker")
    app = str(REPO / "tests" / "e2e" / "sdk_app_08.py")

    def start(n: int) -> SdkProcess:
        group = "workers" if n == 0 else "remote"
        return SdkProcess(
            [python, app, "worker", cli_server.url, group, f"{group}-{unique()}", str(folder)], folder / f"w{n}.log"
        )

    with running_workers(start, count=2) as workers:
        yield workers[0]


def test_invoke_wait_and_tree(cli_server: ServerProcess, sdk_worker: SdkProcess) -> None:
    root = unique("wf")
    done = resonate(cli_server, "invoke", root, "--func", "workflow", "--arg", "3", "--target", "workers", "--wait")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("resolved: ") and '"doubled":6' in done.stdout
    tree = resonate(cli_server, "tree", root)
    lines = tree.stdout.splitlines()
    assert lines[0].startswith(f"{root} workflow resolved")
    assert any(f"{root}:2 remote_add resolved" in line for line in lines[1:])
    assert len(lines) == 4  # the local child, the rpc and the sleep
    graph = as_json(cli_server, "tree", root)
    assert {p["id"] for p in graph["promises"]} == {root, f"{root}:1", f"{root}:2", f"{root}:3"}


def test_invoke_without_wait_and_with_a_delay(cli_server: ServerProcess, sdk_worker: SdkProcess) -> None:
    root = unique("later")
    started = resonate(
        cli_server, "invoke", root, "--func", "double", "--arg", "4", "--target", "workers", "--delay", "5s"
    )
    assert started.returncode == 0 and f"resonate tree {root}" in started.stdout
    assert Proto(cli_server.url).get(root)["state"] == "pending"
    wait_until(lambda: Proto(cli_server.url).get(root)["state"] == "resolved", timeout_s=30, message="the delayed run")


def test_invoke_wait_reports_a_failure(cli_server: ServerProcess) -> None:
    root = unique("fails")
    done = resonate(cli_server, "invoke", root, "--func", "nothing", "--target", "nobody", "--timeout", "1s", "--wait")
    assert done.returncode == REJECTED and "rejected_timedout" in done.stdout


def test_tree_of_a_legacy_workflow(cli_server: ServerProcess) -> None:
    root = unique("old-root")
    for pid, parent in ((root, root), (f"{root}.1", root), (f"{root}.1.1", f"{root}.1")):
        body = {"id": pid, "timeout": now_ms() + HOUR_MS, "tags": {"resonate:root": root, "resonate:parent": parent}}
        assert client.post(f"{cli_server.url}/promises", json=body).status_code == 201
    lines = resonate(cli_server, "tree", root).stdout.splitlines()
    assert lines[0].startswith(f"{root} pending") and f"{root}.1.1" in lines[2]
