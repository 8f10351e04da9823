"""The dashboard in a real headless browser, against a real server with resonate-sdk 0.8.1
workers running a workflow: search and paging, a promise, the call tree growing while the
workflow runs, actions reflected through the API, narrow screens, and auth. The pictures
in docs/ are taken here."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests import client
from tests.conftest import REPO, ServerProcess, free_port, own_server, server_env, unique, wait_until
from tests.current.proto import Proto
from tests.e2e.sdk_process import SdkProcess, running_workers, sdk_venv
from tests.ui.conftest import Visit

SDK_APP = str(REPO / "tests" / "e2e" / "sdk_app_08.py")


@pytest.fixture(scope="module")
def ui_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """`resonate dev`, as the README starts it: its own throw-away embedded store."""
    env = server_env(free_port())
    port, poll_port = env["RESONATE_PORT"], env["RESONATE_POLL_PORT"]
    command = [sys.executable, "-m", "app.cli", "dev", "--port", port, "--poll-port", poll_port]
    server = ServerProcess(command, env, tmp_path_factory.mktemp("ui") / "dev.log").start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def marks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("marks")


@pytest.fixture(scope="module")
def workers(ui_server: ServerProcess, marks: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    python = sdk_venv(tmp_path_factory, "resonate-sdk==0.8.1")

    def start(n: int) -> SdkProcess:
        group = "workers" if n == 0 else "remote"
        command = [python, SDK_APP, "worker", ui_server.url, group, f"{group}-{unique()}", str(marks)]
        return SdkProcess(command, marks / f"worker-{n}.log")

    with running_workers(start, count=2):
        yield


def invoke(server: ServerProcess, root: str, func: str, *args: Any, wait: bool = False) -> str:
    """`resonate invoke`, as a user starts a workflow."""
    command = [sys.executable, "-m", "app.cli", "--server", server.url, "invoke", root, "--func", func]
    command += [part for arg in args for part in ("--arg", json.dumps(arg))]
    command += ["--target", "workers", *(["--wait"] if wait else [])]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def node(visit: Visit, promise_id: str) -> Any:
    return visit.page.locator(f'li[data-id="{promise_id}"]')


def test_search_by_glob_and_page_with_cursors(ui_server: ServerProcess, visit: Callable[..., Visit]) -> None:
    proto = Proto(ui_server.url)
    stem = unique("order")
    for n in range(30):
        proto.create(f"{stem}-{n:02d}", customer="acme" if n < 20 else "globex")
    proto.settle(f"{stem}-03")
    ui = visit(ui_server)
    ui.open("#/promises")
    ui.page.get_by_label("Id (glob").fill(f"{stem}-*")
    ui.page.get_by_role("button", name="Search").click()
    rows = ui.page.locator('table[data-table="promises"] tbody tr[data-id]')
    expect(rows).to_have_count(25)
    expect(rows.first).to_have_attribute("data-id", f"{stem}-00")
    expect(ui.page.locator(f'tr[data-id="{stem}-03"] [data-state]')).to_have_text("resolved")
    ui.page.get_by_role("button", name="Next page").click()
    expect(rows).to_have_count(5)
    expect(rows.last).to_have_attribute("data-id", f"{stem}-29")
    expect(ui.page.get_by_role("button", name="Next page")).to_be_disabled()
    ui.page.get_by_role("button", name="First page").click()
    expect(rows).to_have_count(25)

    ui.page.get_by_label("State").select_option("pending")
    ui.page.get_by_label("Tags").fill("customer=globex")
    ui.page.get_by_role("button", name="Search").click()
    expect(rows).to_have_count(10)
    assert "tag=customer%3Dglobex" in ui.page.url and "state=pending" in ui.page.url


def test_the_call_tree_grows_live_while_the_workflow_runs(
    ui_server: ServerProcess, workers: None, marks: Path, visit: Callable[..., Visit]
) -> None:
    root = unique("signup")
    invoke(ui_server, root, "gated", "tree", 3)
    ui = visit(ui_server)
    ui.open(f"#/tree/current/{root}")
    ui.page.evaluate("window.loadedOnce = true")  # gone if the page reloaded
    expect(node(ui, root)).to_have_attribute("data-state", "pending")
    expect(node(ui, f"{root}:1")).to_have_attribute("data-state", "pending")
    expect(node(ui, f"{root}:2")).to_have_count(0)
    (marks / "go-tree-0").touch()
    expect(node(ui, f"{root}:1")).to_have_attribute("data-state", "resolved")
    expect(node(ui, f"{root}:2")).to_have_attribute("data-state", "pending")
    expect(ui.page.locator(".node.pending")).to_have_count(2)  # the root and the step it waits on
    ui.screenshot("ui-tree.png")
    (marks / "go-tree-1").touch()
    (marks / "go-tree-2").touch()
    expect(node(ui, root)).to_have_attribute("data-state", "resolved")
    expect(ui.page.locator("li[data-id]")).to_have_count(4)
    expect(ui.page.locator(".live")).to_have_text("settled")
    assert ui.page.evaluate("window.loadedOnce") is True

    # a subtree folds away and back
    ui.page.locator(f'li[data-id="{root}"] > .node .toggle').click()
    expect(node(ui, f"{root}:1")).to_have_count(0)
    ui.page.locator(f'li[data-id="{root}"] > .node .toggle').click()
    expect(node(ui, f"{root}:1")).to_have_count(1)


def test_a_promise_page_shows_param_value_task_and_links(
    ui_server: ServerProcess, workers: None, visit: Callable[..., Visit]
) -> None:
    root = unique("checkout")
    assert invoke(ui_server, root, "workflow", 5, wait=True).startswith("resolved")
    ui = visit(ui_server)
    ui.open(f"#/tree/current/{root}")
    expect(ui.page.locator("li[data-id]")).to_have_count(4)  # the run, the rpc and the sleep
    ui.page.locator(f'li[data-id="{root}:2"] > .node a').click()
    expect(ui.page.locator("h1[data-promise]")).to_have_text(f"{root}:2")
    expect(ui.page.locator("[data-task] [data-state]")).to_have_text("fulfilled")
    expect(ui.page.locator('pre[data-value="param"]')).to_contain_text('"func": "remote_add"')
    expect(ui.page.locator('pre[data-value="value"]')).to_contain_text('"sum": 11')
    ui.page.get_by_role("link", name=root, exact=True).first.click()  # its parent
    expect(ui.page.locator("h1[data-promise]")).to_have_text(root)
    expect(ui.page.locator('pre[data-value="value"]')).to_contain_text('"doubled": 10')
    ui.screenshot("ui-promise.png")
    ui.open("#/promises")
    ui.page.get_by_label("Id (glob").fill(f"{root}*")
    ui.page.get_by_role("button", name="Search").click()
    expect(ui.page.locator("tbody tr[data-id]")).to_have_count(4)
    ui.screenshot("ui-promises.png")


def test_resolving_from_the_page_unblocks_the_workflow(
    ui_server: ServerProcess, workers: None, marks: Path, visit: Callable[..., Visit]
) -> None:
    """The approval workflow waits for a promise someone outside resolves: resolved here."""
    root = unique("approval")
    invoke(ui_server, root, "approval", root)
    proto = Proto(ui_server.url)
    mark = marks / f"promise-{root}"
    ui = visit(ui_server)
    ui.open(f"#/tree/current/{root}")
    expect(ui.page.locator("li[data-id]")).to_have_count(3)  # the root, the outside promise, the note of its id
    wait_until(mark.exists, message="the workflow noted the id of the promise it waits for")
    outside = mark.read_text()
    ui.open(f"#/promise/current/{outside}")
    ui.page.get_by_role("button", name="Resolve").click()
    dialog = ui.page.locator("dialog#confirm")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()  # changing one's mind does nothing
    expect(dialog).to_be_hidden()
    assert proto.get(outside)["state"] == "pending"
    ui.page.get_by_role("button", name="Resolve").click()
    ui.page.locator("#confirm-value").fill("{not json")
    dialog.get_by_role("button", name="Resolve").click()
    expect(ui.page.locator("#confirm-error")).to_contain_text("must be JSON")
    ui.page.locator("#confirm-value").fill('{"by": "operator"}')
    dialog.get_by_role("button", name="Resolve").click()
    expect(ui.page.locator("[data-state]").first).to_have_text("resolved")
    settled = proto.get(outside)
    assert settled["state"] == "resolved"
    assert json.loads(base64.b64decode(settled["value"]["data"])) == {"by": "operator"}
    ui.open(f"#/tree/current/{root}")
    expect(node(ui, root)).to_have_attribute("data-state", "resolved")
    value = json.loads(base64.b64decode(proto.get(root)["value"]["data"]))
    assert value == {"approved": {"by": "operator"}}


def test_halt_and_continue_a_task_from_the_tasks_page(ui_server: ServerProcess, visit: Callable[..., Visit]) -> None:
    proto = Proto(ui_server.url)
    tid = proto.create(unique("nightly"), target="poll://any@reports")["id"]
    ui = visit(ui_server)
    ui.open("#/tasks?state=pending")
    row = ui.page.locator(f'tr[data-id="{tid}"]')  # this server's pending tasks fit on a page
    expect(row).to_contain_text("reports")
    row.get_by_role("button", name="Halt").click()
    ui.page.locator("dialog#confirm").get_by_role("button", name="Halt").click()
    expect(ui.page.locator("#flash")).to_contain_text("halted")
    assert proto.task(tid)["state"] == "halted"
    ui.open(f"#/promise/current/{tid}")
    expect(ui.page.locator("[data-task]")).to_have_attribute("data-task", "halted")
    ui.page.get_by_role("button", name="Continue").click()
    ui.page.locator("dialog#confirm").get_by_role("button", name="Continue").click()
    expect(ui.page.locator("[data-task]")).to_have_attribute("data-task", "pending")
    assert proto.task(tid)["state"] == "pending"


def test_a_schedule_its_runs_and_its_deletion(ui_server: ServerProcess, visit: Callable[..., Visit]) -> None:
    proto = Proto(ui_server.url)
    sid = unique("hourly")
    data = {
        "id": sid,
        "cron": "0 * * * *",
        "promiseId": "{{.id}}.{{.timestamp}}",
        "promiseTimeout": 60_000,
        "promiseParam": {"data": base64.b64encode(b'{"func": "report"}').decode()},
        "promiseTags": {"resonate:target": "poll://any@reports"},
    }
    assert proto.send("schedule.create", data)[0] == 200
    ui = visit(ui_server)
    ui.open("#/schedules")
    ui.page.locator(f'tr[data-id="{sid}"] a').click()
    expect(ui.page.locator("h1")).to_have_text(sid)
    expect(ui.page.locator("main")).to_contain_text("0 * * * *")
    ui.page.get_by_role("button", name="Delete").click()
    ui.page.locator("dialog#confirm").get_by_role("button", name="Delete").click()
    expect(ui.page.locator("h1")).to_have_text("Schedules")
    assert proto.send("schedule.get", {"id": sid})[0] == 404


def test_the_server_page_and_a_narrow_screen(
    ui_server: ServerProcess, workers: None, marks: Path, visit: Callable[..., Visit]
) -> None:
    assert f"dashboard                 {ui_server.url}/ui/" in ui_server.log_path.read_text()  # resonate dev says
    ui = visit(ui_server)
    ui.open("#/server")
    expect(ui.page.locator("[data-ready]")).to_have_text("ready")
    expect(ui.page.locator('[data-metric="resonate_poll_streams"]').first).to_be_visible()
    expect(ui.page.locator('[data-setting="RESONATE_AUTH_BASIC"]')).to_have_text("(empty)")
    ui.screenshot("ui-server.png", full_page=False)

    root = unique("mobile")
    invoke(ui_server, root, "gated", "narrow", 2)
    phone = visit(ui_server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone.open(f"#/tree/current/{root}")
    expect(node(phone, f"{root}:1")).to_have_attribute("data-state", "pending")
    (marks / "go-narrow-0").touch()
    expect(node(phone, f"{root}:2")).to_have_attribute("data-state", "pending")
    assert phone.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.screenshot("ui-narrow.png")
    (marks / "go-narrow-1").touch()
    phone.open("#/promises")
    expect(phone.page.locator("tbody tr[data-id]").first).to_be_visible()
    assert phone.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


# -- authentication ------------------------------------------------------------------------


def refused(ui: Visit) -> None:
    """The browser shows the 401, or (with no prompt to answer) gives up on the page."""
    try:
        response = ui.open("#/promises")
    except PlaywrightError as error:
        assert "ERR_INVALID_AUTH_CREDENTIALS" in str(error)
    else:
        assert response.status == 401
    expect(ui.page.locator("table")).to_have_count(0)


def test_with_basic_auth_an_unauthenticated_visit_is_refused(
    redis_url: str, tmp_path_factory: pytest.TempPathFactory, visit: Callable[..., Visit]
) -> None:
    folder = tmp_path_factory.mktemp("ui-basic")
    with own_server(redis_url, folder, RESONATE_AUTH_BASIC="ops:hunter2") as server:
        refused(visit(server))
        refused(visit(server, http_credentials={"username": "ops", "password": "guess"}))
        operator = visit(server, http_credentials={"username": "ops", "password": "hunter2"})
        assert operator.open("#/server").status == 200
        expect(operator.page.locator('[data-setting="RESONATE_AUTH_BASIC"]')).to_have_text("********")
        operator.open("#/promises")
        expect(operator.page.locator('table[data-table="promises"]')).to_be_visible()


def test_with_jwt_the_dashboard_asks_for_an_admin_token(
    redis_url: str, tmp_path_factory: pytest.TempPathFactory, visit: Callable[..., Visit]
) -> None:
    from tests.ops.test_auth import ED_KEY, pem, token

    folder = tmp_path_factory.mktemp("ui-jwt")
    key_file = folder / "key.pem"
    key_file.write_text(pem(ED_KEY))
    with own_server(redis_url, folder, RESONATE_AUTH_JWT_PUBLIC_KEY=str(key_file)) as server:
        ui = visit(server)
        ui.open("#/promises")
        expect(ui.page.get_by_role("heading", name="Sign in")).to_be_visible()
        expect(ui.page.locator("table")).to_have_count(0)
        ui.page.get_by_label("Token").fill(token({"prefix": "tenant-"}))
        ui.page.get_by_role("button", name="Sign in").click()
        expect(ui.page.locator(".signin")).to_contain_text("needs a token with the admin role")
        ui.page.get_by_label("Token").fill(token({"role": "admin"}))
        ui.page.get_by_role("button", name="Sign in").click()
        expect(ui.page.locator('table[data-table="promises"]')).to_be_visible()


def test_legacy_promises_their_task_and_their_tree(ui_server: ServerProcess, visit: Callable[..., Visit]) -> None:
    root = unique("legacy")
    recv = json.dumps({"type": "poll", "data": {"group": "old-workers", "id": "p-1"}})
    body = {
        "promise": {"id": root, "timeout": 2**53, "tags": {"resonate:invoke": recv, "resonate:root": root}},
        "task": {"processId": "old-worker-1", "ttl": 60_000},
    }
    assert client.post(f"{ui_server.url}/promises/task", json=body).status_code == 201
    child = {"id": f"{root}.1", "timeout": 2**53, "tags": {"resonate:root": root, "resonate:parent": root}}
    assert client.post(f"{ui_server.url}/promises", json=child).status_code == 201
    ui = visit(ui_server)
    ui.open("#/promises")
    ui.page.get_by_label("Protocol").select_option("legacy")
    ui.page.get_by_label("Id (glob").fill(f"{root}*")
    ui.page.get_by_role("button", name="Search").click()
    expect(ui.page.locator("tbody tr[data-id]")).to_have_count(2)
    ui.page.locator(f'tr[data-id="{root}"] a').click()
    expect(ui.page.locator("[data-legacy-task]")).to_contain_text("held by old-worker-1")
    ui.page.get_by_role("link", name=f"tree of {root}").click()
    expect(node(ui, f"{root}.1")).to_have_attribute("data-state", "pending")
    expect(ui.page.locator(f'li[data-id="{root}"] li[data-id="{root}.1"]')).to_have_count(1)
