"""Create throughput and latency of our server on its embedded store.

    python bench/creates.py [--clients 1,8,32,128] [--duration 10] [--rounds 3]

Starts `resonate serve` (default settings, a fresh data folder), drives POST /promises
with wrk, prints each run and the median per client count, then stops the server.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import LoadResult, require_wrk, run_wrk
from bench.server import our_server


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
    with our_server(args.workers) as server:
        url = server.url
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
