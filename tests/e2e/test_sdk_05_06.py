"""End to end with resonate-sdk 0.5.6 and 0.6.3 (the v0.7.6 callback routes) and 0.6.7
(the v0.7.8 ones), the legacy generations that need Python 3.12 or later: workers
and callers as real processes, in venvs the fixture makes with a Python 3.12
interpreter (pyenv provides one), beside the 0.4.12 tests on the same kind of server."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests import client
from tests.conftest import REPO, ServerProcess, own_server, unique
from tests.e2e.sdk_process import SdkProcess, running_workers, sdk_venv

SDK_VERSIONS = ["0.5.6", "0.6.3", "0.6.7"]
APP = REPO / "tests" / "e2e" / "sdk_app_05_06.py"


@pytest.fixture(scope="module", params=SDK_VERSIONS)
def sdk06_python(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The interpreter of a venv with that resonate-sdk version installed."""
    return sdk_venv(tmp_path_factory, f"resonate-sdk=={request.param}")


@pytest.fixture(scope="module")
def sdk06_server(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with own_server(redis_url, tmp_path_factory.mktemp("sdk06")) as server:
        yield server


def sdk06(python: str, server: ServerProcess, log: Path, mode: str, *args: str) -> SdkProcess:
    poll_port = str(urlsplit(server.poll_url).port)
    return SdkProcess([python, str(APP), mode, "http://127.0.0.1", str(server.port), poll_port, *args], log)


@pytest.fixture
def workers06(sdk06_python: str, sdk06_server: ServerProcess, tmp_path: Path) -> Iterator[list[SdkProcess]]:
    """Two worker processes of that SDK version in the group "workers"."""

    def start(n: int) -> SdkProcess:
        log = tmp_path / f"worker{n}.log"
        return sdk06(sdk06_python, sdk06_server, log, "worker", "workers", f"w{n}-{unique()}")

    with running_workers(start) as started:
        yield started


def start_call(python: str, server: ServerProcess, tmp_path: Path, function: str, *args: object) -> SdkProcess:
    log = tmp_path / f"call-{function}.log"
    return sdk06(python, server, log, "call", unique(function), function, json.dumps(args))


def test_a_workflow_with_a_local_child_a_remote_child_and_a_durable_sleep(
    sdk06_python: str, sdk06_server: ServerProcess, workers06: list[SdkProcess], tmp_path: Path
) -> None:
    caller = start_call(sdk06_python, sdk06_server, tmp_path, "workflow", 7)
    try:
        assert json.loads(caller.first_line(90)) == {"local": 49, "remote": 50, "slept": True}
    finally:
        caller.kill()


def test_a_remote_function_runs_on_a_worker_and_returns(
    sdk06_python: str, sdk06_server: ServerProcess, workers06: list[SdkProcess], tmp_path: Path
) -> None:
    caller = start_call(sdk06_python, sdk06_server, tmp_path, "add", 20, 22)
    try:
        assert json.loads(caller.first_line(60)) == 42
    finally:
        caller.kill()


def test_a_killed_workers_function_is_finished_by_another_worker(
    sdk06_python: str, sdk06_server: ServerProcess, workers06: list[SdkProcess], tmp_path: Path
) -> None:
    marker = tmp_path / "first-runner"
    caller = start_call(sdk06_python, sdk06_server, tmp_path, "crash_once", str(marker))
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() or not marker.read_text():
            assert time.monotonic() < deadline, "no worker started the function"
            time.sleep(0.1)
        victim = next(w for w in workers06 if w.process.pid == int(marker.read_text()))
        victim.kill()  # SIGKILL, mid-function
        survivor = next(w for w in workers06 if w is not victim)
        assert json.loads(caller.first_line(90)) == f"finished by {survivor.process.pid}"
    finally:
        caller.kill()


def test_a_function_waits_for_a_promise_resolved_from_outside(
    sdk06_python: str, sdk06_server: ServerProcess, workers06: list[SdkProcess], tmp_path: Path
) -> None:
    approval_id = unique("approval")
    caller = start_call(sdk06_python, sdk06_server, tmp_path, "wait_for_approval", approval_id)
    try:
        deadline = time.monotonic() + 60
        while client.get(f"{sdk06_server.url}/promises/{approval_id}").status_code != 200:
            assert time.monotonic() < deadline, "the function never created the approval promise"
            time.sleep(0.2)
        value = base64.b64encode(json.dumps("yes").encode()).decode()
        reply = client.patch(
            f"{sdk06_server.url}/promises/{approval_id}", json={"state": "RESOLVED", "value": {"data": value}}
        )
        assert reply.status_code == 201
        assert json.loads(caller.first_line(60)) == "approved: yes"
    finally:
        caller.kill()
