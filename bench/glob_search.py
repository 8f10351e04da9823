"""How long one search with a many-star id glob takes, and what it does to the store.

    python bench/glob_search.py [--length 60] [--stars 6]

One promise with an id of `a`s; then `GET /promises?id=*a*a*...*b` (which matches
nothing) while another thread PINGs the store every 10 ms. Prints the search's time
and the longest PING wait: a matcher that backtracks holds Redis for all of it.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

import redis
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import our_server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--length", type=int, default=60, help="characters in the stored id")
    parser.add_argument("--stars", type=int, default=6, help="'*a' parts in the glob")
    args = parser.parse_args()
    with our_server(workers=1) as server:
        requests.post(f"{server.url}/promises", json={"id": "a" * args.length, "timeout": 2**62}, timeout=10)
        direct = redis.Redis.from_url(server.redis_url, socket_timeout=120)
        longest_ping = 0.0
        searching = threading.Event()
        searching.set()

        def ping() -> None:
            nonlocal longest_ping
            while searching.is_set():
                started = time.monotonic()
                direct.ping()
                longest_ping = max(longest_ping, time.monotonic() - started)
                time.sleep(0.01)

        pinger = threading.Thread(target=ping)
        pinger.start()
        glob = "*a" * args.stars + "*b"
        started = time.monotonic()
        reply = requests.get(f"{server.url}/promises", params={"id": glob}, timeout=120)
        elapsed = time.monotonic() - started
        searching.clear()
        pinger.join()
        print(f"id of {args.length} characters, glob {glob!r}")
        print(f"search: HTTP {reply.status_code} in {elapsed * 1000:.1f} ms")
        print(f"longest store PING meanwhile: {longest_ping * 1000:.1f} ms")


if __name__ == "__main__":
    main()
