"""The oldest redis-py the project admits (its floor in pyproject.toml) runs the store:
the floor is checked by running it, not by reading its changelog."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import REPO

STORE_ROUND_TRIP = textwrap.dedent(
    """
    import sys, redis
    from aio.store.redis_store import RedisStore, connect
    from kernel.t_aio import CreatePromise, ReadPromise
    assert redis.__version__.split(".")[:2] == sys.argv[2].split(".")[:2], redis.__version__
    store = RedisStore(connect(sys.argv[1]), "floor-test")
    store.execute_one(CreatePromise("p", "{}", 2**62, None, {}, 1))
    print(store.execute_one(ReadPromise("p", 2)).state.value)
    """
)


def declared_floor() -> str:
    pyproject = (REPO / "pyproject.toml").read_text()
    match = re.search(r'"redis\[hiredis\]>=([\d.]+)"', pyproject)
    assert match is not None
    return match.group(1)


def test_the_declared_redis_floor_runs_the_store(redis_url: str, tmp_path: Path) -> None:
    floor = declared_floor()
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--only-binary=:all:", "--target", str(site),
         f"redis=={floor}"],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", STORE_ROUND_TRIP, redis_url, floor],
        cwd=REPO,
        env={"PYTHONPATH": f"{site}:{REPO}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "PENDING"
