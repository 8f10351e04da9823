"""GET /metrics: Prometheus text, the same sums whichever of the two worker processes
answers, moving as requests are made."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from prometheus_client.metrics import MetricWrapperBase
from prometheus_client.parser import text_string_to_metric_families

from kernel import metrics
from tests import client
from tests.conftest import REPO, ServerProcess, own_server, unique, wait_until
from tests.current.proto import HOUR_MS, Proto, now_ms
from tests.sse import EventStream


@pytest.fixture(scope="module")
def metrics_server(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with own_server(redis_url, tmp_path_factory.mktemp("metrics"), RESONATE_LOG_LEVEL="info") as server:
        yield server


def scrape(server: ServerProcess) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    reply = client.get(server.url + "/metrics")
    assert reply.status_code == 200 and reply.headers["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(reply.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def wait_for_log(condition: Callable[[], bool], timeout_s: float = 0.5) -> bool:
    """Whether `condition` holds within timeout_s: access-log lines follow their replies."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def answering_workers(server: ServerProcess) -> set[str]:
    """The pids in the access log's lines for `promise.get` envelopes."""
    lines = server.log_path.read_text().splitlines()
    return {line.split()[2] for line in lines if "POST / promise.get 404" in line}


def test_request_counts_sum_over_both_workers(metrics_server: ServerProcess) -> None:
    before = scrape(metrics_server)
    sent = 0

    def get_missing(_: int) -> int:
        return Proto(metrics_server.url).send("promise.get", {"id": unique()})[0]

    # The kernel does not choose which worker accepts a connection: send rounds of
    # concurrent requests until both have answered some (nearly always the first round).
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(50):
            assert set(pool.map(get_missing, range(16))) == {404}
            sent += 16
            if wait_for_log(lambda: len(answering_workers(metrics_server)) == 2):
                break
    assert len(answering_workers(metrics_server)) == 2
    key = {"protocol": "current", "kind": "promise.get", "status": "404"}

    def counted() -> float:
        return value(scrape(metrics_server), "resonate_requests_total", **key) - value(
            before, "resonate_requests_total", **key
        )

    wait_until(lambda: counted() == sent, timeout_s=5, message="each worker writes its tally within half a second")
    for _ in range(6):  # whichever worker answers the scrape, the sum is the same
        assert counted() == sent
    after = scrape(metrics_server)
    histogram = value(after, "resonate_request_duration_seconds_count", protocol="current", kind="promise.get")
    assert histogram >= sent
    assert value(after, "resonate_store_round_trips_total") > value(before, "resonate_store_round_trips_total")
    assert value(after, "resonate_store_batch_commands_count") > 0


def test_promises_created_settled_and_by_state(metrics_server: ServerProcess) -> None:
    proto = Proto(metrics_server.url)
    before = scrape(metrics_server)
    pid = unique()
    proto.create(pid)
    proto.create(pid)  # a repeat creates nothing
    proto.settle(pid)
    legacy = unique()
    assert (
        client.post(f"{metrics_server.url}/promises", json={"id": legacy, "timeout": now_ms() + HOUR_MS}).status_code
        == 201
    )
    after = scrape(metrics_server)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("resonate_promises_created_total", protocol="current") == 1
    assert moved("resonate_promises_settled_total", protocol="current", state="resolved") == 1
    assert moved("resonate_promises_created_total", protocol="legacy") == 1
    legacy_create = {"protocol": "legacy", "kind": "promises.create_promise", "status": "201"}
    wait_until(
        lambda: (
            value(scrape(metrics_server), "resonate_requests_total", **legacy_create)
            - value(before, "resonate_requests_total", **legacy_create)
            == 1
        )
    )
    assert value(after, "resonate_promises", protocol="current", state="resolved") >= 1
    assert value(after, "resonate_promises", protocol="legacy", state="pending") >= 1
    assert ("resonate_tasks", (("protocol", "current"), ("state", "pending"))) in after


def test_messages_and_streams(metrics_server: ServerProcess) -> None:
    group = unique("g")
    stream = EventStream(metrics_server.url, group, "w", path=f"/poll/{group}/w")
    time.sleep(0.3)
    wait_until(lambda: value(scrape(metrics_server), "resonate_poll_streams", protocol="current") >= 1)
    before = scrape(metrics_server)
    Proto(metrics_server.url).create(unique(), target=f"poll://any@{group}")
    assert stream.next()["kind"] == "execute"
    key = {"protocol": "current", "transport": "poll", "outcome": "delivered"}
    wait_until(
        lambda: (
            value(scrape(metrics_server), "resonate_messages_total", **key)
            > value(before, "resonate_messages_total", **key)
        )
    )
    stream.close()
    wait_until(
        lambda: value(scrape(metrics_server), "resonate_poll_streams", protocol="current") == 0,
        message="the stream leaves the gauge",
    )


def test_metrics_stay_open_and_name_no_secret(redis_url: str, tmp_path: Path) -> None:
    with own_server(redis_url, tmp_path, RESONATE_AUTH_BASIC="alice:s3cret") as server:
        reply = client.get(server.url + "/metrics")
        assert reply.status_code == 200 and "s3cret" not in reply.text


def test_the_grafana_dashboard_charts_only_metrics_the_server_has() -> None:
    known = {"resonate_promises", "resonate_tasks"}  # read from the store at scrape time
    for instrument in vars(metrics).values():
        if isinstance(instrument, MetricWrapperBase):
            for family in instrument.describe():
                known |= {sample for sample in (family.name, f"{family.name}_total", f"{family.name}_bucket")}
                known |= {f"{family.name}_sum", f"{family.name}_count"}
    dashboard = json.loads((REPO / "config" / "grafana-dashboard.json").read_text())
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            for name in re.findall(r"\bresonate_[a-z_]+", target["expr"]):
                assert name in known, (panel["title"], name)
