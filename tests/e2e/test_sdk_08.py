"""End to end with the published resonate-sdk 0.8.1, the current protocol's Python
client, and 0.7.4, its first generation (`.` ids, sleeps without a target): workers
and callers as real processes in a Python 3.12 venv the fixture makes, against one
server (two gunicorn workers) per version."""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, ServerProcess, own_server, unique, wait_until
from tests.current.proto import Proto
from tests.e2e.sdk_process import SdkProcess, running_workers, sdk_venv

SDK_VERSIONS = ["0.8.1", "0.7.4"]
APP = REPO / "tests" / "e2e" / "sdk_app_08.py"


@pytest.fixture(scope="module", params=SDK_VERSIONS)
def sdk08_python(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    return sdk_venv(tmp_path_factory, f"resonate-sdk=={request.param}")


@pytest.fixture(scope="module")
def sdk08_server(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with own_server(redis_url, tmp_path_factory.mktemp("sdk08")) as server:
        yield server


@pytest.fixture
def marks(tmp_path: Path) -> Path:
    folder = tmp_path / "marks"
    folder.mkdir()
    return folder


def app(python: str, log: Path, *args: str) -> SdkProcess:
    return SdkProcess([python, str(APP), *args], log)


@pytest.fixture
def workers08(
    sdk08_python: str, sdk08_server: ServerProcess, tmp_path: Path, marks: Path
) -> Iterator[list[SdkProcess]]:
    """Two workers in group "workers" and one in group "remote"."""

    def start(n: int) -> SdkProcess:
        group = "remote" if n == 2 else "workers"
        log = tmp_path / f"worker{n}.log"
        return app(sdk08_python, log, "worker", sdk08_server.url, group, f"{group}-{n}-{unique()}", str(marks))

    with running_workers(start, count=3) as started:
        time.sleep(0.5)  # their streams are registered
        yield started


def call(python: str, server: ServerProcess, tmp_path: Path, func: str, *args: object) -> SdkProcess:
    log = tmp_path / f"call-{func}.log"
    return app(python, log, "call", server.url, unique(func), func, json.dumps(args))


def result_of(process: SdkProcess, timeout_s: float = 60) -> object:
    try:
        return json.loads(process.first_line(timeout_s))["result"]
    finally:
        process.kill()


def test_a_workflow_with_a_local_child_an_rpc_to_another_group_and_a_durable_sleep(
    sdk08_python: str, sdk08_server: ServerProcess, workers08: list[SdkProcess], tmp_path: Path
) -> None:
    result = result_of(call(sdk08_python, sdk08_server, tmp_path, "workflow", 5))
    assert isinstance(result, dict)
    assert result["doubled"] == 10 and result["added"] == 11
    assert result["remote_worker"] == workers08[2].process.pid  # ran in the "remote" group


def test_a_workflow_run_in_the_calling_process(
    sdk08_python: str, sdk08_server: ServerProcess, workers08: list[SdkProcess], tmp_path: Path
) -> None:
    runner = app(sdk08_python, tmp_path / "run.log", "run", sdk08_server.url, unique("run"), "workflow", "[2]")
    assert result_of(runner)["doubled"] == 4  # type: ignore[index]


def test_fan_out_to_50_children_and_fan_in(
    sdk08_python: str, sdk08_server: ServerProcess, workers08: list[SdkProcess], tmp_path: Path
) -> None:
    assert result_of(call(sdk08_python, sdk08_server, tmp_path, "fanout", 50)) == sum(2 * i for i in range(50))


def test_a_killed_workers_function_is_finished_by_another_worker(
    sdk08_python: str, sdk08_server: ServerProcess, workers08: list[SdkProcess], tmp_path: Path, marks: Path
) -> None:
    name = unique("kill")
    caller = call(sdk08_python, sdk08_server, tmp_path, "killable", name)
    started = marks / f"started-{name}"
    wait_until(lambda: started.exists() and started.read_text(), timeout_s=30, message="a worker starts the step")
    victim = next(w for w in workers08 if w.process.pid == int(started.read_text()))
    victim.kill()  # SIGKILL, mid-function
    survivor = next(w for w in workers08[:2] if w is not victim)
    assert result_of(caller, timeout_s=90) == survivor.process.pid


def test_a_promise_resolved_from_outside_unblocks_a_workflow(
    sdk08_python: str, sdk08_server: ServerProcess, workers08: list[SdkProcess], tmp_path: Path, marks: Path
) -> None:
    name = unique("approval")
    caller = call(sdk08_python, sdk08_server, tmp_path, "approval", name)
    recorded = marks / f"promise-{name}"
    wait_until(lambda: recorded.exists() and recorded.read_text(), timeout_s=30, message="the workflow waits")
    proto = Proto(sdk08_server.url)
    value = base64.b64encode(json.dumps("yes").encode()).decode()
    status, _ = proto.settle(recorded.read_text(), "resolved", value)
    assert status == 200
    assert result_of(caller) == {"approved": "yes"}


def test_a_schedule_fires_a_workflow(
    sdk08_python: str, sdk08_server: ServerProcess, workers08: list[SdkProcess], tmp_path: Path, marks: Path
) -> None:
    schedule_id = unique("sched")
    args = json.dumps([schedule_id])
    scheduler = app(
        sdk08_python, tmp_path / "schedule.log", "schedule", sdk08_server.url, schedule_id, "* * * * * *", "note", args
    )
    try:
        assert scheduler.first_line(30) == "scheduled"
    finally:
        scheduler.kill()
    wait_until(lambda: list(marks.glob(f"fired-{schedule_id}-*")), timeout_s=20, message="a run of the schedule")
    proto = Proto(sdk08_server.url)
    assert proto.send("schedule.delete", {"id": schedule_id}) == (200, {})
    status, body = proto.send("promise.search", {"tags": {"resonate:schedule": schedule_id}, "state": "resolved"})
    assert status == 200 and body["promises"]
    # {{.id}}-{{.timestamp}} (0.8.x) or {{.id}}.{{.timestamp}} (0.7.x)
    assert all(re.fullmatch(rf"{schedule_id}[-.]\d+", p["id"]) for p in body["promises"])
