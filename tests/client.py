"""HTTP calls for tests, each with a timeout: a stalled server fails a test, it never
hangs the run."""

from __future__ import annotations

from typing import Any

import requests

TIMEOUT_S = 30.0


class TimedSession(requests.Session):
    """A requests session whose every call has a timeout unless one is given."""

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("timeout", TIMEOUT_S)
        return super().request(method, url, *args, **kwargs)


def get(url: str, **kwargs: Any) -> requests.Response:
    return requests.get(url, **{"timeout": TIMEOUT_S, **kwargs})


def post(url: str, **kwargs: Any) -> requests.Response:
    return requests.post(url, **{"timeout": TIMEOUT_S, **kwargs})


def patch(url: str, **kwargs: Any) -> requests.Response:
    return requests.patch(url, **{"timeout": TIMEOUT_S, **kwargs})


def request(method: str, url: str, **kwargs: Any) -> requests.Response:
    return requests.request(method, url, **{"timeout": TIMEOUT_S, **kwargs})
