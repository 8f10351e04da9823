"""What RESONATE_STORE_FSYNC=always costs creates, against everysec, side by side.

    python bench/fsync.py [--clients 1,32] [--duration 5] [--rounds 3]

Two servers on embedded stores, one per policy, driven by wrk alternately (A B A B)
so that drift on a noisy machine hits both. Prints each run, then medians and the
ratio always/everysec.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import LoadResult, run_wrk
from bench.server import our_server

POLICIES = ("everysec", "always")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", default="1,32")
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    clients = [int(c) for c in args.clients.split(",")]
    runs: dict[tuple[str, int], list[LoadResult]] = {}
    with our_server(RESONATE_STORE_FSYNC="everysec") as everysec, our_server(RESONATE_STORE_FSYNC="always") as always:
        servers = {"everysec": everysec, "always": always}
        for _ in range(args.rounds):
            for count in clients:
                for policy in POLICIES:
                    result = run_wrk(servers[policy].url, "create.lua", count, args.duration, uuid.uuid4().hex[:8])
                    runs.setdefault((policy, count), []).append(result)
                    print(
                        f"{policy:>9} {count:>4} clients: {result.requests_per_s:8.0f} req/s, "
                        f"p50 {result.p50_ms:.2f} ms"
                    )
    print(f"\n{'clients':>8} {'everysec':>9} {'always':>9} {'ratio':>6} {'p50 everysec':>13} {'p50 always':>11}")
    for count in clients:
        a, b = runs[("everysec", count)], runs[("always", count)]
        ratio = statistics.median(y.requests_per_s / x.requests_per_s for x, y in zip(a, b, strict=True))
        print(
            f"{count:>8} {statistics.median(r.requests_per_s for r in a):>9.0f} "
            f"{statistics.median(r.requests_per_s for r in b):>9.0f} {ratio:>6.2f} "
            f"{statistics.median(r.p50_ms for r in a):>13.2f} {statistics.median(r.p50_ms for r in b):>11.2f}"
        )


if __name__ == "__main__":
    main()
