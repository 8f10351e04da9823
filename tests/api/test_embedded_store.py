"""`resonate serve` with no Redis URL starts its own Redis in the data folder, stops it
on shutdown, and finds its data again after a restart."""

from __future__ import annotations

import sys
from pathlib import Path

from aio.store.embedded import EmbeddedRedis
from tests import client
from tests.conftest import ServerProcess, free_port, server_env, unique


def resonate_serve(data_dir: Path, log: Path) -> ServerProcess:
    command = [sys.executable, "-m", "app.cli", "serve"]
    return ServerProcess(command, server_env(free_port(), RESONATE_DATA_DIR=str(data_dir)), log)


def test_data_survives_a_restart(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    promise_id = unique()

    first = resonate_serve(data_dir, tmp_path / "first.log").start()
    assert client.post(f"{first.url}/promises", json={"id": promise_id, "timeout": 2**62}).status_code == 201
    assert client.patch(f"{first.url}/promises/{promise_id}", json={"state": "RESOLVED"}).status_code == 201
    first.stop()
    assert (data_dir / "appendonly.aof").exists()
    assert not EmbeddedRedis(data_dir).answers(), "the embedded redis outlived the server"

    second = resonate_serve(data_dir, tmp_path / "second.log").start()
    try:
        assert client.get(f"{second.url}/promises/{promise_id}").json()["state"] == "RESOLVED"
    finally:
        second.stop()


def test_an_env_file_configures_the_server_and_the_real_environment_wins(tmp_path: Path) -> None:
    port = free_port()
    env_file = tmp_path / "server.env"
    env_file.write_text(f"RESONATE_PORT=1\nRESONATE_DATA_DIR={tmp_path / 'from-file'}\n")
    env = server_env(port, RESONATE_ENV_FILE=str(env_file))  # RESONATE_PORT set here wins
    server = ServerProcess([sys.executable, "-m", "app.cli", "serve"], env, tmp_path / "s.log").start()
    try:
        assert client.post(f"{server.url}/promises", json={"id": unique()}).status_code == 201
        assert (tmp_path / "from-file" / "appendonly.aof").exists()
    finally:
        server.stop()
