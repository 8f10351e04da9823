"""Our server side by side with the floor (bench/floor.py), the same load for both.

    python bench/compare.py [--clients 1,8,32,128] [--duration 5] [--rounds 3] [--plot docs/throughput.png]

Both run under gunicorn with our default worker and thread counts, each on its own
Redis (ours: the embedded store; the floor: a private redis-server). wrk drives them
alternately, A B A B, so drift on a noisy machine hits both. Prints every run, then
medians and the ratio ours/floor pair by pair: creates at each client count, and
reads and completes at 32 clients.
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aio.store.embedded import EmbeddedRedis
from app.settings import load_settings
from bench.load import LoadResult, free_port, require_wrk, run_wrk
from bench.server import REPO, our_server, store_pending

NEVER = 2**63 - 1
PRELOAD = 20_000  # pending promises per wrk thread before a complete run (2 threads)
READ_IDS = 10_000


@dataclass
class Target:
    name: str
    url: str
    preload: Callable[[list[str]], None]  # create pending promises with these ids


def base_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("RESONATE_")}


@contextmanager
def ours() -> Iterator[Target]:
    with our_server() as server:
        store = server.store()
        yield Target("ours", server.url, lambda ids: store_pending(store, ((i, NEVER) for i in ids)))


@contextmanager
def floor(folder: Path) -> Iterator[Target]:
    settings = load_settings(base_env())
    store = EmbeddedRedis(folder / "floor")
    redis_url = store.start()
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-k",
        "gthread",
        "-w",
        str(settings.workers),
        "--threads",
        str(settings.threads),
        "-b",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "bench.floor:app",
    ]
    process = subprocess.Popen(command, env=base_env() | {"FLOOR_REDIS_URL": redis_url}, cwd=REPO)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url)
        client = redis.Redis.from_url(redis_url)

        def preload(ids: list[str]) -> None:
            pipe = client.pipeline(transaction=False)
            for promise_id in ids:
                pipe.hset(f"floor:{promise_id}", mapping={"id": promise_id, "state": "PENDING", "param": "{}"})
            pipe.execute()

        yield Target("floor", url, preload)
    finally:
        process.terminate()
        process.wait(timeout=30)
        store.stop()


def wait_for(url: str) -> None:
    import requests

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(f"{url}/promises/none", timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not start")


def report(title: str, runs: dict[tuple[str, int], list[LoadResult]], clients: list[int]) -> list[dict[str, float]]:
    print(f"\n{title}: medians")
    print(
        f"{'clients':>8} {'ours req/s':>11} {'floor req/s':>12} {'ratio':>6} {'ours p50':>9} {'floor p50':>10} "
        f"{'ours p99':>9} {'floor p99':>10} {'errors':>7}"
    )
    rows = []
    for count in clients:
        a, b = runs[("ours", count)], runs[("floor", count)]
        ratios = [x.requests_per_s / y.requests_per_s for x, y in zip(a, b, strict=True)]
        row = {
            "clients": count,
            "ours": statistics.median(r.requests_per_s for r in a),
            "floor": statistics.median(r.requests_per_s for r in b),
            "ratio": statistics.median(ratios),
            "ours_p50": statistics.median(r.p50_ms for r in a),
            "floor_p50": statistics.median(r.p50_ms for r in b),
            "ours_p99": statistics.median(r.p99_ms for r in a),
            "floor_p99": statistics.median(r.p99_ms for r in b),
            "errors": sum(r.errors for r in a + b),
        }
        rows.append(row)
        print(
            f"{count:>8} {row['ours']:>11.0f} {row['floor']:>12.0f} {row['ratio']:>6.2f} {row['ours_p50']:>9.2f} "
            f"{row['floor_p50']:>10.2f} {row['ours_p99']:>9.2f} {row['floor_p99']:>10.2f} {row['errors']:>7}"
        )
    return rows


def plot(rows: list[dict[str, float]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    clients = [r["clients"] for r in rows]
    figure, axis = plt.subplots(figsize=(6, 4))
    axis.plot(clients, [r["floor"] for r in rows], "o--", label="floor (Flask + one Lua call)")
    axis.plot(clients, [r["ours"] for r in rows], "o-", label="resonate-server-py")
    axis.set_xscale("log", base=2)
    axis.set_xticks(clients, [str(c) for c in clients])
    axis.set_xlabel("concurrent clients")
    axis.set_ylabel("creates per second (median)")
    axis.set_ylim(bottom=0)
    axis.set_title(f"POST /promises, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores")
    axis.legend()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    print(f"\nplot written to {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", default="1,8,32,128")
    parser.add_argument("--duration", type=int, default=5, help="seconds per run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--plot", type=Path, help="write a PNG of creates per second vs clients")
    args = parser.parse_args()
    require_wrk()
    clients = [int(c) for c in args.clients.split(",")]
    creates: dict[tuple[str, int], list[LoadResult]] = {}
    reads: dict[tuple[str, int], list[LoadResult]] = {}
    completes: dict[tuple[str, int], list[LoadResult]] = {}
    with tempfile.TemporaryDirectory() as folder, ours() as a, floor(Path(folder)) as b:
        targets = [a, b]
        for target in targets:
            run_wrk(target.url, "create.lua", 8, 2, "warmup")
            target.preload([f"read-{n}" for n in range(1, READ_IDS + 1)])
        for round_number in range(1, args.rounds + 1):
            for count in clients:
                for target in targets:
                    result = run_wrk(target.url, "create.lua", count, args.duration, uuid.uuid4().hex[:8])
                    creates.setdefault((target.name, count), []).append(result)
                    show(round_number, "create", target.name, result)
            for target in targets:
                result = run_wrk(target.url, "read.lua", 32, args.duration, "read-", str(READ_IDS))
                reads.setdefault((target.name, 32), []).append(result)
                show(round_number, "read", target.name, result)
            for target in targets:
                run_id = uuid.uuid4().hex[:8]
                target.preload([f"{run_id}-{t}-{i}" for t in (1, 2) for i in range(1, PRELOAD + 1)])
                result = run_wrk(target.url, "complete.lua", 32, args.duration, run_id)
                completes.setdefault((target.name, 32), []).append(result)
                show(round_number, "complete", target.name, result)
    rows = report("POST /promises (create)", creates, clients)
    report("GET /promises/{id} (read)", reads, [32])
    report("PATCH /promises/{id} (complete)", completes, [32])
    if args.plot:
        plot(rows, args.plot)


def show(round_number: int, kind: str, name: str, r: LoadResult) -> None:
    print(
        f"round {round_number} {kind:>8} {name:>5} c={r.clients:<4} {r.requests_per_s:>8.0f} req/s "
        f"p50 {r.p50_ms:6.2f} ms  p99 {r.p99_ms:7.2f} ms  errors {r.errors}"
    )


if __name__ == "__main__":
    main()
