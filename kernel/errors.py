"""Failures the kernel expects and the API turns into 503: not bugs, so no tracebacks."""

from __future__ import annotations


class KernelError(Exception):
    """An expected failure that ends a request with a server-side status."""


class ShuttingDown(KernelError):
    def __init__(self) -> None:
        super().__init__("the server is shutting down")


class StoreUnavailable(KernelError):
    """The store did not answer; the request may be retried."""


class Overloaded(KernelError):
    """The process holds as much work as its bounds allow; the request may be retried."""

    def __init__(self) -> None:
        super().__init__("the server is busy")


class Cancelled(KernelError):
    """The request's caller stopped waiting: its coroutine ends at its next yield."""

    def __init__(self) -> None:
        super().__init__("the request was abandoned")
