"""Coroutines as greenlets: Resume switches in, Yield switches back out.

A coroutine body is a plain function `body(c, *args)`. It yields a submission with
`c.yield_(submission)` and receives `(completion, error)` when the scheduler resumes it.
It can spawn children and await them; both are expressed as yields of the markers below,
so the coroutine itself never touches the scheduler.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import greenlet


class State(enum.Enum):
    CREATED = "created"
    RUNNING = "running"
    SUSPENDED = "suspended"
    DONE = "done"


@dataclass(slots=True)
class Spawn:
    """Yielded by a coroutine to start a child; it is resumed with the child."""

    child: Coroutine


@dataclass(slots=True)
class Await:
    """Yielded by a coroutine to wait for a child it spawned."""

    child: Coroutine


@dataclass(slots=True)
class Signal:
    """Yielded by a coroutine to ask that a background job run soon; resumed at once."""

    name: Hashable


class Coroutine:
    """One unit of kernel work, run in its own greenlet."""

    __slots__ = ("_args", "_body", "_clock", "_greenlet", "abandoned", "error", "name", "result", "state")

    def __init__(
        self, body: Callable[..., Any], *args: Any, name: str = "", abandoned: Callable[[], bool] | None = None
    ) -> None:
        self.name = name or getattr(body, "__name__", "coroutine")
        self.state = State.CREATED
        self.result: Any = None
        self.error: BaseException | None = None
        self._body = body
        self._args = args
        self._greenlet: greenlet.greenlet | None = None
        self._clock: Callable[[], int] | None = None
        self.abandoned = abandoned  # asks whether the waiter is gone: then resume with Cancelled

    # -- called by the scheduler ------------------------------------------------------

    def bind_clock(self, clock: Callable[[], int]) -> None:
        self._clock = clock

    def resume(self, value: Any = None, error: BaseException | None = None) -> tuple[Any, bool]:
        """Run until the next yield or the end: returns (output, done).

        output is the yielded submission or marker, or the return value when done.
        An exception raised by the body is recorded and re-raised here.
        """
        if self.state is State.DONE:
            raise RuntimeError(f"coroutine {self.name} is done")
        if self._greenlet is None:
            self._greenlet = greenlet.greenlet(self._run)
        self.state = State.RUNNING
        try:
            output = self._greenlet.switch(value, error)
        except BaseException as exc:
            self.state, self.error = State.DONE, exc
            raise
        if self._greenlet.dead:
            self.state, self.result = State.DONE, output
            return output, True
        self.state = State.SUSPENDED
        return output, False

    @property
    def done(self) -> bool:
        return self.state is State.DONE

    # -- called from inside the body ----------------------------------------------------

    def yield_(self, submission: Any) -> tuple[Any, BaseException | None]:
        """Suspend with a submission; return (completion, error) once resumed."""
        if greenlet.getcurrent() is not self._greenlet:
            raise RuntimeError("yield_ called outside the coroutine's own greenlet")
        parent = self._greenlet.parent
        assert parent is not None
        return parent.switch(submission)

    def spawn(self, body: Callable[..., Any], *args: Any, name: str = "") -> Coroutine:
        """Start a child coroutine; it runs concurrently until awaited."""
        child = Coroutine(body, *args, name=name)
        spawned, _ = self.yield_(Spawn(child))
        return spawned

    def await_(self, child: Coroutine) -> tuple[Any, BaseException | None]:
        """Wait for a child: returns its (result, error)."""
        if child.done:
            return child.result, child.error
        return self.yield_(Await(child))

    def signal(self, name: Hashable) -> None:
        """Ask the kernel to run the background job `name` soon (work is waiting);
        raises LookupError when there is no such job."""
        _, error = self.yield_(Signal(name))
        if error is not None:
            raise error

    def time(self) -> int:
        """The kernel clock in epoch milliseconds."""
        if self._clock is None:
            raise RuntimeError("coroutine has no clock: it was not added to a scheduler")
        return self._clock()

    def _run(self, value: Any, error: BaseException | None) -> Any:
        # The first resume's (value, error) carry nothing: a body starts with its args.
        return self._body(self, *self._args)

    def __repr__(self) -> str:
        return f"<Coroutine {self.name} {self.state.value}>"
