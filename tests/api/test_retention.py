"""Retention: finished task records and (when set) completed promises are deleted
once their retention period has passed; pending promises never are."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from aio.store.keys import key
from tests.client import TimedSession
from tests.conftest import Api, ServerProcess, own_server, unique, wait_until

NEVER = 2**63 - 1


@pytest.fixture(scope="module")
def short_lived(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with own_server(
        redis_url,
        tmp_path_factory.mktemp("retention"),
        RESONATE_WORKERS="1",
        RESONATE_SIGNAL_TIMEOUT="200",
        RESONATE_TASK_RETENTION="500",
        RESONATE_PROMISE_RETENTION="1000",
    ) as server:
        yield server


def test_finished_tasks_and_completed_promises_are_deleted_after_their_retention(
    short_lived: ServerProcess,
) -> None:
    prefix = short_lived.env["RESONATE_KEY_PREFIX"]
    direct = redis.Redis.from_url(short_lived.env["RESONATE_REDIS_URL"], decode_responses=True)
    with TimedSession() as session:
        api = Api(short_lived.url, session)
        done, pending = unique("done"), unique("pending")
        created = session.post(
            f"{api.url}/promises/task",
            json={
                "promise": {"id": done, "timeout": NEVER, "tags": {"resonate:invoke": "poll://g/w"}},
                "task": {"processId": "w", "ttl": 60_000},
            },
        ).json()
        task = created["task"]
        api.create(pending)
        assert api.complete(done, "RESOLVED").status_code == 201
        complete = session.post(f"{api.url}/tasks/complete", json={"id": task["id"], "counter": task["counter"]})
        assert complete.status_code == 201
        task_key = key(prefix, "K_TASK", task["id"])
        assert direct.exists(task_key)
        wait_until(lambda: not direct.exists(task_key), 10, "the finished task was kept")
        wait_until(lambda: api.read(done).status_code == 404, 10, "the completed promise was kept")
        assert api.read(pending).status_code == 200
        assert [p["id"] for p in api.search(id=f"{done}*").json()["promises"]] == []
