"""End-to-end fan-out throughput with real SDK workers (resonate-sdk==0.4.12).

    python bench/fanout.py [--children 100] [--workers 2] [--rounds 3]

Starts `resonate serve` (default settings, fresh embedded store), SDK worker
processes in one poll group, then calls fan_out(N): one function that starts N remote
children at once and waits for all. Prints children per second from the trigger to
the result (process start-up not counted), per round and as the median.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import our_server

REPO = Path(__file__).resolve().parent.parent
APP = [sys.executable, "-m", "tests.e2e.sdk_app"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2, help="SDK worker processes")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rates = []
    with our_server(workers=2) as server:
        url, poll_url = server.url, server.poll_url
        workers = [
            subprocess.Popen(
                [*APP, "worker", url, poll_url, "workers", f"bench-{n}"], cwd=REPO, stdout=subprocess.PIPE, text=True
            )
            for n in range(args.workers)
        ]
        try:
            for worker in workers:
                assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
            for round_number in range(args.rounds):
                call = [*APP, "call", url, poll_url, f"fan-{uuid.uuid4().hex[:8]}", "fan_out", f"[{args.children}]"]
                lines = subprocess.run(call, cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
                expected = sum(n * n for n in range(args.children))
                assert int(lines[0]) == expected, lines
                seconds = float(lines[1])
                rates.append(args.children / seconds)
                print(
                    f"round {round_number + 1}: {args.children} children in {seconds:.2f} s: {rates[-1]:.1f} children/s"
                )
        finally:
            for worker in workers:
                worker.kill()
                worker.wait()
    print(
        f"median: {statistics.median(rates):.1f} children/s "
        f"({args.children} children, {args.workers} SDK workers, 2 server workers)"
    )


if __name__ == "__main__":
    main()
