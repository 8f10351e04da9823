"""How costs change with the data size: creates, search pages and a timeout sweep.

    python bench/scale.py [--sizes 0,100000,1000000] [--duration 5]

Starts our server on its embedded store, then grows the store to each size with
pending promises whose timeouts are spread over the next hours (written straight into
the store, the way the server writes them). At each size it measures:
- create throughput at 32 clients (wrk, POST /promises);
- search page latency at 1 client: GET /promises?id=*&limit=100, and state=pending;
- a timeout sweep when 10,000 promises fall due at once: the server's own background
  sweep, its store time (Redis's own count of time spent in scripts meanwhile: the
  sweep, plus the idle background jobs) and how long until all 10,000 are timed out.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aio.store.keys import key
from aio.store.redis_store import RedisStore
from bench.load import require_wrk, run_wrk
from bench.server import KEY_PREFIX, our_server, store_pending

HOUR_MS = 3_600_000


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def grow(store: RedisStore, count: int, tag: str) -> None:
    """Add `count` pending promises, timeouts spread over the next five hours."""
    start = now_ms()
    store_pending(store, ((f"{tag}-{n}", start + HOUR_MS + (n * 7919) % (5 * HOUR_MS)) for n in range(count)))


def wait_for_aof_rewrite(client: object) -> None:
    """Let a rewrite of the append-only file that the bulk load set off finish first:
    it is a one-off that would otherwise land in whichever measurement comes next."""
    while True:
        persistence = client.info("persistence")  # type: ignore[attr-defined]
        if not persistence["aof_rewrite_in_progress"] and not persistence["aof_rewrite_scheduled"]:
            return
        time.sleep(0.2)


def sweep(store: RedisStore, due: int) -> tuple[float, float]:
    """Make `due` promises fall due together; returns (store ms in the sweep script,
    wall seconds until the server's background sweep has timed them all out)."""
    client = store.client
    due_at = now_ms() + 3000
    tag = uuid.uuid4().hex[:8]
    store_pending(store, ((f"due-{tag}-{n}", due_at) for n in range(due)))
    before = script_usec(client)
    timeouts = key(KEY_PREFIX, "K_PROMISE_TIMEOUTS")
    while client.zcount(timeouts, "-inf", due_at) > 0 or now_ms() < due_at:
        time.sleep(0.01)
    wall = (now_ms() - due_at) / 1000
    return (script_usec(client) - before) / 1000, wall


def script_usec(client: object) -> int:
    """Redis's total microseconds in EVALSHA (all scripts: run when only the sweep runs)."""
    stats = client.info("commandstats")  # type: ignore[attr-defined]
    return int(stats.get("cmdstat_evalsha", {}).get("usec", 0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="0,100000,1000000")
    parser.add_argument("--duration", type=int, default=5)
    args = parser.parse_args()
    require_wrk()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with our_server() as server:
        store, url = server.store(), server.url
        stored = 0
        for size in sizes:
            started = time.monotonic()
            grow(store, size - stored, f"scale{size}")
            stored = size
            wait_for_aof_rewrite(store.client)
            print(f"\nstore grown to {size:,} pending promises in {time.monotonic() - started:.0f} s")
            creates = run_wrk(url, "create.lua", 32, args.duration, uuid.uuid4().hex[:8])
            search_all = run_wrk(url, "get.lua", 1, args.duration, "/promises?id=*&limit=100")
            search_pending = run_wrk(url, "get.lua", 1, args.duration, "/promises?id=*&state=pending&limit=100")
            sweep_store_ms, sweep_wall_s = sweep(store, 10_000)
            row = (
                size,
                creates.requests_per_s,
                search_all.p50_ms,
                search_pending.p50_ms,
                sweep_store_ms,
                sweep_wall_s,
            )
            rows.append(row)
            print(
                f"  creates/s at 32 clients {row[1]:.0f}; search page p50 {row[2]:.2f} ms (all), "
                f"{row[3]:.2f} ms (pending); sweep of 10,000 due: {row[4]:.0f} ms store time, "
                f"all timed out {row[5]:.2f} s after they fell due"
            )
    base = rows[0]
    print("\nstored promises | creates/s (x empty) | search p50 ms all / pending | sweep 10k: store ms, wall s")
    for size, creates, search_all, search_pending, sweep_ms, sweep_s in rows:
        print(
            f"{size:>15,} | {creates:>8.0f} ({creates / base[1]:.2f}) | {search_all:>8.2f} / {search_pending:<8.2f} |"
            f" {sweep_ms:>6.0f} ms, {sweep_s:.2f} s"
        )


if __name__ == "__main__":
    main()
