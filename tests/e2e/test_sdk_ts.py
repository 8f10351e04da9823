"""End to end with the published TypeScript SDK, @resonatehq/sdk 0.11.5, the strictest
client of the current protocol (it rejects any null, an unexpected status, or a push
without a head): workers and callers as real Node processes, the SDK installed from
npm by the fixture."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, ServerProcess, own_server, unique
from tests.e2e.sdk_process import SdkProcess, running_workers

SDK = "@resonatehq/sdk@0.11.5"
APP = REPO / "tests" / "e2e" / "ts" / "app.mjs"


@pytest.fixture(scope="module")
def ts_app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the SDK installed and the test application beside it."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.fail("these tests need Node.js 20 or later and npm (apt-get install nodejs npm)")
    folder = tmp_path_factory.mktemp("ts")
    (folder / "package.json").write_text('{"name": "resonate-ts-e2e", "private": true, "type": "module"}')
    subprocess.run([npm, "install", "--silent", "--no-audit", "--no-fund", SDK], cwd=folder, check=True, timeout=300)
    shutil.copy(APP, folder / "app.mjs")
    return folder


@pytest.fixture(scope="module")
def ts_server(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with own_server(redis_url, tmp_path_factory.mktemp("ts-server")) as server:
        yield server


def node(app: Path, log: Path, *args: str) -> SdkProcess:
    node_path = shutil.which("node")
    assert node_path is not None
    return SdkProcess([node_path, str(app / "app.mjs"), *args], log)


@pytest.fixture
def ts_workers(ts_app: Path, ts_server: ServerProcess, tmp_path: Path) -> Iterator[list[SdkProcess]]:
    """One worker in group "workers", one in group "remote"."""

    def start(n: int) -> SdkProcess:
        group = "remote" if n == 1 else "workers"
        return node(ts_app, tmp_path / f"worker{n}.log", "worker", ts_server.url, group, f"{group}{n}{unique()}")

    with running_workers(start, count=2) as started:
        time.sleep(0.5)  # their streams are registered
        yield started


def result_of(process: SdkProcess, timeout_s: float = 60) -> object:
    try:
        return json.loads(process.first_line(timeout_s))["result"]
    finally:
        process.kill()


def test_a_workflow_with_a_local_child_an_rpc_and_a_durable_sleep(
    ts_app: Path, ts_server: ServerProcess, ts_workers: list[SdkProcess], tmp_path: Path
) -> None:
    runner = node(ts_app, tmp_path / "run.log", "run", ts_server.url, unique("ts-wf"), "workflow", "[4]")
    assert result_of(runner) == {"doubled": 8, "added": 9, "remoteWorker": ts_workers[1].process.pid}


def test_an_rpc_fanning_out_to_30_children_on_a_worker(
    ts_app: Path, ts_server: ServerProcess, ts_workers: list[SdkProcess], tmp_path: Path
) -> None:
    caller = node(ts_app, tmp_path / "call.log", "call", ts_server.url, unique("ts-fan"), "fanout", "[30]")
    assert result_of(caller) == sum(2 * i for i in range(30))
