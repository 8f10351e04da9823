"""Fixtures of the current-protocol tests: one server shared by the module's tests
(ids keep tests apart), and a short task retry period where timers matter."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import ServerProcess, gunicorn_server, unique
from tests.current.proto import Proto


@pytest.fixture(scope="session")
def current_server(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server with a 1 s task retry and a 200 ms background period."""
    log_path = tmp_path_factory.mktemp("current") / "server.log"
    process = gunicorn_server(
        log_path,
        RESONATE_REDIS_URL=redis_url,
        RESONATE_KEY_PREFIX=unique("cur"),
        RESONATE_TASK_RETRY_TIMEOUT="1000",
        RESONATE_SIGNAL_TIMEOUT="200",
    )
    process.start()
    yield process
    process.stop()


@pytest.fixture
def proto(current_server: ServerProcess) -> Iterator[Proto]:
    client = Proto(current_server.url)
    yield client
    client.session.close()
