"""HTTP push: POST the message to the receiver's URL; delivered only on a 200.

Only hosts on the allow-list are reached, and at most MAX_REPLY_BYTES of a reply are
read: a receiver cannot make the server buffer an endless answer.
"""

from __future__ import annotations

import logging

import urllib3

from aio.sender.allow import AllowList

log = logging.getLogger(__name__)

MAX_REPLY_BYTES = 64 * 1024


class HttpPush:
    def __init__(self, timeout_s: float = 1.0, allow: AllowList | None = None, pool_size: int = 8) -> None:
        # One pool manager for all sender threads: connections are reused per host.
        self._http = urllib3.PoolManager(
            num_pools=64, maxsize=pool_size, retries=False, timeout=urllib3.Timeout(total=timeout_s)
        )
        self._allow = allow or AllowList.parse("*")

    def post(self, url: str, headers: dict[str, str], body: bytes) -> bool:
        if not self._allow.allows(url):
            log.warning("http push to %s refused: the host is not in RESONATE_HTTP_PUSH_ALLOW", url)
            return False
        try:
            reply = self._http.request(
                "POST",
                url,
                body=body,
                headers={**headers, "Content-Type": "application/json"},
                preload_content=False,
            )
        except (urllib3.exceptions.HTTPError, ValueError) as exc:
            log.info("http push to %s failed: %s", url, exc)
            return False
        try:
            if len(reply.read(MAX_REPLY_BYTES + 1)) > MAX_REPLY_BYTES:
                reply.close()  # the rest is never read: drop the connection, not the message
            else:
                reply.release_conn()
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            log.info("http push to %s: reply unreadable: %s", url, exc)
            reply.close()
        return reply.status == 200

    def close(self) -> None:
        self._http.clear()
