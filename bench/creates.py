"""Create throughput and latency of our server on its embedded store.

    python bench/creates.py [--clients 1,8,32,128] [--duration 10] [--rounds 3]

Starts `resonate serve` (default settings, a fresh data folder), drives POST /promises
with wrk, prints each run and the median per client count, then stops the server.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import LoadResult, free_port, require_wrk, run_wrk


@contextmanager
def our_server(workers: int, with_poll: bool = False) -> Iterator[Any]:
    """Yields the API URL (and the poll URL, with_poll) of a fresh server."""
    port, poll_port = free_port(), free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RESONATE_")}
        env.update(
            RESONATE_HOST="127.0.0.1",
            RESONATE_PORT=str(port),
            RESONATE_POLL_PORT=str(poll_port),
            RESONATE_DATA_DIR=data_dir,
            RESONATE_WORKERS=str(workers),
            RESONATE_LOG_LEVEL="warning",
        )
        process = subprocess.Popen([sys.executable, "-m", "app.cli", "serve"], env=env)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url)
            yield (url, f"http://127.0.0.1:{poll_port}") if with_poll else url
        finally:
            process.terminate()
            process.wait(timeout=30)


def wait_healthy(url: str, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"server at {url} did not become healthy")


def report(results: list[LoadResult]) -> None:
    print(f"{'clients':>8} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for r in results:
        print(f"{r.clients:>8} {r.requests_per_s:>10.0f} {r.p50_ms:>8.2f} {r.p99_ms:>8.2f} {r.errors:>7}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", default="1,32", help="comma-separated client counts")
    parser.add_argument("--duration", type=int, default=10, help="seconds per run")
    parser.add_argument("--rounds", type=int, default=3, help="runs per client count")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()
    require_wrk()
    clients = [int(c) for c in args.clients.split(",")]
    runs: list[LoadResult] = []
    with our_server(args.workers) as url:
        run_wrk(url, "create.lua", 8, 2, "warmup")
        for round_number in range(args.rounds):
            for count in clients:
                result = run_wrk(url, "create.lua", count, args.duration, uuid.uuid4().hex[:8])
                runs.append(result)
                print(f"round {round_number + 1}: ", end="")
                report([result])
    print("\nmedians")
    medians = [
        LoadResult(
            count,
            statistics.median(r.requests_per_s for r in runs if r.clients == count),
            statistics.median(r.p50_ms for r in runs if r.clients == count),
            statistics.median(r.p99_ms for r in runs if r.clients == count),
            sum(r.errors for r in runs if r.clients == count),
        )
        for count in clients
    ]
    report(medians)


if __name__ == "__main__":
    main()
