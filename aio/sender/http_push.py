"""HTTP push: POST the message to the receiver's URL; delivered only on a 200."""

from __future__ import annotations

import logging

import urllib3

log = logging.getLogger(__name__)


class HttpPush:
    def __init__(self, timeout_s: float = 1.0, pool_size: int = 8) -> None:
        # One pool manager for all sender threads: connections are reused per host.
        self._http = urllib3.PoolManager(
            num_pools=64, maxsize=pool_size, retries=False, timeout=urllib3.Timeout(total=timeout_s)
        )

    def post(self, url: str, headers: dict[str, str], body: bytes) -> bool:
        try:
            reply = self._http.request("POST", url, body=body, headers={**headers, "Content-Type": "application/json"})
        except (urllib3.exceptions.HTTPError, ValueError) as exc:
            log.info("http push to %s failed: %s", url, exc)
            return False
        return reply.status == 200

    def close(self) -> None:
        self._http.clear()
