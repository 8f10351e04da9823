"""Scheduler: completions before resumes, routing of submissions, children."""

from __future__ import annotations

from typing import Any

from kernel.bus import CQE, SQE
from kernel.coroutine import Coroutine
from kernel.scheduler import Scheduler


class Recorder:
    """Stands in for the AIO: records SQEs so a test can complete them."""

    def __init__(self) -> None:
        self.sqes: list[SQE] = []

    def __call__(self, sqe: SQE) -> None:
        self.sqes.append(sqe)


def make() -> tuple[Scheduler, Recorder]:
    recorder = Recorder()
    return Scheduler(lambda: 1000, recorder), recorder


def test_a_yielded_submission_goes_out_and_its_completion_resumes_the_coroutine() -> None:
    scheduler, aio = make()
    results: list[Any] = []

    def body(c: Coroutine) -> Any:
        return c.yield_("read x")

    scheduler.add(Coroutine(body), lambda result, error: results.append((result, error)))
    scheduler.tick([])
    assert [sqe.submission for sqe in aio.sqes] == ["read x"]
    assert results == [] and scheduler.in_flight == 1
    scheduler.tick([CQE(aio.sqes[0], "x=1")])
    assert results == [(("x=1", None), None)]
    assert scheduler.idle


def test_completion_callbacks_run_before_runnable_coroutines() -> None:
    scheduler, aio = make()
    order: list[str] = []

    def waiting(c: Coroutine) -> None:
        c.yield_("io")
        order.append("waiting resumed")

    def fresh(c: Coroutine) -> None:
        order.append("fresh ran")

    scheduler.add(Coroutine(waiting))
    scheduler.tick([])
    scheduler.add(Coroutine(fresh))
    scheduler.tick([CQE(aio.sqes[0], None)])
    # the new coroutine was runnable first, but the completion's coroutine is queued
    # by its callback before the resumes start, so both run in this tick, in order
    assert order == ["fresh ran", "waiting resumed"]


def test_coroutines_resume_in_the_order_they_became_runnable() -> None:
    scheduler, _ = make()
    order: list[int] = []
    for number in range(5):
        scheduler.add(Coroutine(lambda c, n=number: order.append(n)))
    scheduler.tick([])
    assert order == [0, 1, 2, 3, 4]


def test_children_run_and_their_results_reach_the_parent() -> None:
    scheduler, aio = make()
    results: list[Any] = []

    def child(c: Coroutine, n: int) -> int:
        value, _ = c.yield_(f"fetch {n}")
        return value * 10

    def parent(c: Coroutine) -> list[Any]:
        children = [c.spawn(child, n) for n in range(3)]
        return [c.await_(handle) for handle in children]

    scheduler.add(Coroutine(parent), lambda result, error: results.append(result))
    scheduler.tick([])
    assert sorted(sqe.submission for sqe in aio.sqes) == ["fetch 0", "fetch 1", "fetch 2"]
    scheduler.tick([CQE(sqe, int(sqe.submission[-1])) for sqe in aio.sqes])
    assert results == [[(0, None), (10, None), (20, None)]]
    assert scheduler.idle


def test_a_failing_coroutine_reports_its_error_and_the_others_go_on() -> None:
    scheduler, _ = make()
    results: list[Any] = []

    def broken(c: Coroutine) -> None:
        raise KeyError("oops")

    scheduler.add(Coroutine(broken), lambda result, error: results.append(type(error)))
    scheduler.add(Coroutine(lambda c: "fine"), lambda result, error: results.append(result))
    scheduler.tick([])
    assert results == [KeyError, "fine"]


def test_a_childs_error_reaches_the_awaiting_parent() -> None:
    scheduler, _ = make()
    results: list[Any] = []

    def child(c: Coroutine) -> None:
        raise ValueError("child failed")

    def parent(c: Coroutine) -> str:
        _, error = c.await_(c.spawn(child))
        return f"parent saw {error}"

    scheduler.add(Coroutine(parent), lambda result, error: results.append(result))
    scheduler.tick([])
    assert results == ["parent saw child failed"]


def test_coroutines_read_the_scheduler_clock() -> None:
    scheduler, _ = make()
    results: list[Any] = []
    scheduler.add(Coroutine(lambda c: c.time()), lambda result, error: results.append(result))
    scheduler.tick([])
    assert results == [1000]
