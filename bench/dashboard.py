"""What the dashboard's live call tree costs, in a store holding many other promises.

    python bench/dashboard.py [--others 50000] [--children 300] [--rounds 20]

Fills the store directly with `--others` unrelated current-protocol promises and one
lineage (a root and `--children` children, named root:N as the SDKs name them), then
reads that lineage, alternately and in one run, the two ways there are:

- the dashboard's `GET /ui/api/tree/current/{root}`, one request, which searches only
  the range of the index whose ids start with the root's (and checks the origin tag);
- the tag search alone (`promise.search` by `resonate:origin`, following cursors, as
  `resonate tree` and any client of the protocol must), which reads the whole index.

Prints the median time of each, the ratio, and the median time of a promises page
(`GET /ui/api/promises`), what the page's search view costs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import our_server
from kernel import t_current as c

HOUR_MS = 3_600_000
BATCH = 1000


def fill(store, others: int, root: str, children: int) -> None:  # type: ignore[no-untyped-def]
    """Promises straight into the store, through the same script a create runs."""
    now = int(time.time() * 1000)

    def create(promise_id: str, tags: dict[str, str]) -> c.CreatePromise:
        return c.CreatePromise(c.NewPromise.from_tags(promise_id, now + HOUR_MS, "{}", tags), now, 30_000)

    lineage = {"resonate:origin": root, "resonate:parent": root}
    commands = [create(root, {"resonate:origin": root})]
    commands += [create(f"{root}:{n}", lineage) for n in range(1, children + 1)]
    commands += [create(f"other-{n:07d}", {"resonate:origin": f"other-{n:07d}"}) for n in range(others)]
    for start in range(0, len(commands), BATCH):
        for command in commands[start : start + BATCH]:
            store.execute_one(command)


def tag_search(url: str, root: str) -> int:
    found, cursor = 0, None
    session = requests.Session()
    while True:
        data = {"tags": {"resonate:origin": root}, "limit": 100, **({"cursor": cursor} if cursor else {})}
        envelope = {"kind": "promise.search", "head": {"corrId": "b", "version": "2026-04-01"}, "data": data}
        page = session.post(url + "/", json=envelope, timeout=120).json()["data"]
        found += len(page["promises"])
        cursor = page.get("cursor")
        if not cursor:
            return found


def timed(action) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = action()
    return (time.perf_counter() - started) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--others", type=int, default=50_000)
    parser.add_argument("--children", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    root = "wf-bench"
    with our_server(workers=1) as server:
        print(f"filling: {args.others} other promises, a lineage of {args.children + 1}…", flush=True)
        fill(server.store(), args.others, root, args.children)
        session = requests.Session()
        tree_url = f"{server.url}/ui/api/tree/current/{root}"
        times: dict[str, list[float]] = {"dashboard tree": [], "tag search": [], "promises page": []}
        for _ in range(args.rounds):
            ms, reply = timed(lambda: session.get(tree_url, timeout=120).json())
            assert len(reply["promises"]) == args.children + 1 and reply["complete"]  # type: ignore[index]
            times["dashboard tree"].append(ms)
            ms, count = timed(lambda: tag_search(server.url, root))
            assert count == args.children + 1, count
            times["tag search"].append(ms)
            ms, _ = timed(lambda: session.get(f"{server.url}/ui/api/promises", timeout=120).json())
            times["promises page"].append(ms)
        medians = {name: statistics.median(values) for name, values in times.items()}
        for name, value in medians.items():
            print(f"{name:>15}: median {value:8.1f} ms over {args.rounds} rounds")
        print(f"tag search / dashboard tree: {medians['tag search'] / medians['dashboard tree']:.1f}x")


if __name__ == "__main__":
    main()
