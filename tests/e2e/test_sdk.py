"""End to end with the published Python client, resonate-sdk==0.4.12: real workers in
their own processes, a server with 2 gunicorn workers, nothing simulated."""

from __future__ import annotations

import base64
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import client
from tests.conftest import ServerProcess, own_server, unique
from tests.e2e.sdk_process import SdkProcess, running_workers


@pytest.fixture(scope="module")
def sdk_server(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with own_server(redis_url, tmp_path_factory.mktemp("sdk")) as server:
        yield server


@pytest.fixture
def workers(sdk_server: ServerProcess, tmp_path: Path) -> Iterator[list[SdkProcess]]:
    """Two SDK worker processes in the group "workers"."""

    def start(n: int) -> SdkProcess:
        return sdk_process(sdk_server, tmp_path / f"worker{n}.log", "worker", "workers", f"w{n}-{unique()}")

    with running_workers(start) as started:
        yield started


def sdk_process(server: ServerProcess, log: Path, *args: str) -> SdkProcess:
    """tests/e2e/sdk_app.py on resonate-sdk 0.4.12, in this interpreter."""
    command = [sys.executable, "-m", "tests.e2e.sdk_app", args[0], server.url, server.poll_url, *args[1:]]
    return SdkProcess(command, log)


def call(server: ServerProcess, tmp_path: Path, function: str, *args: object, timeout_s: float = 120) -> object:
    caller = sdk_process(
        server, tmp_path / f"call-{function}.log", "call", unique(function), function, json.dumps(args)
    )
    try:
        return json.loads(caller.first_line(timeout_s))
    finally:
        caller.kill()


def test_a_remote_function_runs_on_a_worker_and_returns(
    sdk_server: ServerProcess, workers: list[SdkProcess], tmp_path: Path
) -> None:
    assert call(sdk_server, tmp_path, "add", 20, 22) == 42


def test_fan_out_to_twenty_children_and_fan_in(
    sdk_server: ServerProcess, workers: list[SdkProcess], tmp_path: Path
) -> None:
    started = time.monotonic()
    assert call(sdk_server, tmp_path, "fan_out", 20) == sum(n * n for n in range(20))
    elapsed = time.monotonic() - started
    print(f"fan-out of 20 children: {elapsed:.1f} s end to end, {20 / elapsed:.1f} children/s")


def test_a_killed_workers_function_is_finished_by_another_worker(
    sdk_server: ServerProcess, workers: list[SdkProcess], tmp_path: Path
) -> None:
    marker = tmp_path / "first-runner"
    caller = sdk_process(
        sdk_server, tmp_path / "call-crash.log", "call", unique("crash"), "crash_once", json.dumps([str(marker)])
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() or not marker.read_text():
            assert time.monotonic() < deadline, "no worker started the function"
            time.sleep(0.1)
        first_pid = int(marker.read_text())
        victim = next(w for w in workers if w.process.pid == first_pid)
        victim.kill()  # SIGKILL, mid-function
        result = caller.first_line(90)  # the lease lapses, another worker takes over
        survivor = next(w for w in workers if w is not victim)
        assert json.loads(result) == f"finished by {survivor.process.pid}"
    finally:
        caller.kill()


def test_a_function_waits_for_a_promise_resolved_over_plain_http(
    sdk_server: ServerProcess, workers: list[SdkProcess], tmp_path: Path
) -> None:
    approval_id = unique("approval")
    caller = sdk_process(
        sdk_server,
        tmp_path / "call-approval.log",
        "call",
        unique("approve"),
        "wait_for_approval",
        json.dumps([approval_id]),
    )
    try:
        deadline = time.monotonic() + 60
        while client.get(f"{sdk_server.url}/promises/{approval_id}", timeout=5).status_code != 200:
            assert time.monotonic() < deadline, "the function never created the approval promise"
            time.sleep(0.2)
        value = base64.b64encode(json.dumps("yes").encode()).decode()
        reply = client.patch(
            f"{sdk_server.url}/promises/{approval_id}", json={"state": "RESOLVED", "value": {"data": value}}, timeout=5
        )
        assert reply.status_code == 201
        assert json.loads(caller.first_line(60)) == "approved: yes"
    finally:
        caller.kill()
