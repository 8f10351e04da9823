"""A flood of concurrent clients against one server: what it answers, how fast, and
whether its memory stays flat.

    python bench/flood.py [--clients 400] [--duration 10] [--max-queued 256] [--max-coroutines 1000]

Each client posts creates back to back on its own connection. Prints the statuses,
latency percentiles, the workers' resident memory before and after, and how long a
single create takes once the flood has ended.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import our_server


def workers_rss_mb(master: int) -> float:
    total_kb = 0
    for task in Path(f"/proc/{master}/task").iterdir():
        for child in (task / "children").read_text().split():
            status = Path(f"/proc/{child}/status").read_text()
            if "redis-server" in Path(f"/proc/{child}/cmdline").read_text():
                continue
            total_kb += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return total_kb / 1024


def flood(url: str, clients: int, duration_s: float) -> tuple[Counter[int], list[float]]:
    statuses: Counter[int] = Counter()
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + duration_s

    def client() -> None:
        with requests.Session() as session:
            while time.monotonic() < deadline:
                started = time.monotonic()
                try:
                    body = {"id": f"flood-{uuid.uuid4().hex}", "timeout": 2**62}
                    status = session.post(f"{url}/promises", json=body, timeout=30).status_code
                except requests.RequestException:
                    status = 0
                with lock:
                    statuses[status] += 1
                    latencies.append(time.monotonic() - started)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=400)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--max-queued", default="256")
    parser.add_argument("--max-coroutines", default="1000")
    parser.add_argument("--threads", default="32", help="RESONATE_THREADS")
    args = parser.parse_args()
    settings = {
        "RESONATE_MAX_QUEUED_REQUESTS": args.max_queued,
        "RESONATE_MAX_COROUTINES": args.max_coroutines,
        "RESONATE_THREADS": args.threads,
    }
    with our_server(**settings) as server:
        flood(server.url, 20, 2)  # warm up
        before = workers_rss_mb(server.pid)
        statuses, latencies = flood(server.url, args.clients, args.duration)
        after = workers_rss_mb(server.pid)
        started = time.monotonic()
        status = requests.post(f"{server.url}/promises", json={"id": uuid.uuid4().hex}, timeout=30).status_code
        single = time.monotonic() - started
    cuts = statistics.quantiles(latencies, n=100)
    print(f"{args.clients} clients for {args.duration:.0f} s; {settings}")
    print(f"answers: {dict(sorted(statuses.items()))} (0 = no answer)")
    print(f"latency p50 {cuts[49] * 1000:.0f} ms, p99 {cuts[98] * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms")
    print(f"worker memory: {before:.0f} MB before, {after:.0f} MB after")
    print(f"a create after the flood: HTTP {status} in {single * 1000:.1f} ms")


if __name__ == "__main__":
    main()
