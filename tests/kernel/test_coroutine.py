"""Coroutine: states, resume/yield values and errors, children."""

from __future__ import annotations

import pytest

from kernel.coroutine import Await, Coroutine, Spawn, State


def test_states_and_values_cross_the_switch() -> None:
    seen: list[object] = []

    def body(c: Coroutine, start: int) -> str:
        completion, error = c.yield_(("submission", start))
        seen.append((completion, error))
        return f"done with {completion}"

    c = Coroutine(body, 7)
    assert c.state is State.CREATED
    output, done = c.resume()
    assert (output, done) == (("submission", 7), False)
    assert c.state is State.SUSPENDED
    output, done = c.resume("reply", None)
    assert (output, done) == ("done with reply", True)
    assert c.state is State.DONE and c.result == "done with reply"
    assert seen == [("reply", None)]


def test_yield_receives_an_error() -> None:
    def body(c: Coroutine) -> str:
        _, error = c.yield_("x")
        return f"error: {error}"

    c = Coroutine(body)
    c.resume()
    error = RuntimeError("store down")
    assert c.resume(None, error) == ("error: store down", True)


def test_an_exception_in_the_body_ends_the_coroutine_and_reaches_the_caller() -> None:
    def body(c: Coroutine) -> None:
        c.yield_("x")
        raise ValueError("bad")

    c = Coroutine(body)
    c.resume()
    with pytest.raises(ValueError, match="bad"):
        c.resume()
    assert c.state is State.DONE and isinstance(c.error, ValueError)
    with pytest.raises(RuntimeError):
        c.resume()


def test_state_is_running_inside_the_body() -> None:
    states: list[State] = []

    def body(c: Coroutine) -> None:
        states.append(c.state)

    c = Coroutine(body)
    c.resume()
    assert states == [State.RUNNING]


def test_spawn_and_await_are_yielded_as_markers() -> None:
    def child(c: Coroutine) -> int:
        return 42

    def parent(c: Coroutine) -> object:
        handle = c.spawn(child)
        return c.await_(handle)

    p = Coroutine(parent)
    marker, done = p.resume()
    assert isinstance(marker, Spawn) and not done
    marker2, done = p.resume(marker.child)
    assert isinstance(marker2, Await) and marker2.child is marker.child
    assert p.resume(42, None) == ((42, None), True)


def test_await_of_a_finished_child_does_not_yield() -> None:
    def child(c: Coroutine) -> int:
        return 1

    def parent(c: Coroutine, finished: Coroutine) -> object:
        return c.await_(finished)

    finished = Coroutine(child)
    finished.resume()
    assert Coroutine(parent, finished).resume() == ((1, None), True)


def test_yield_outside_the_coroutine_is_refused() -> None:
    c = Coroutine(lambda c: None)
    with pytest.raises(RuntimeError):
        c.yield_("x")
