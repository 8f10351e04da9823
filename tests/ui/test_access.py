"""Who may use the dashboard: basic credentials on every /ui path when RESONATE_AUTH_BASIC
is set; an admin token for its data when a JWT key is set; the action header always."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests import client
from tests.conftest import ServerProcess, own_server, unique
from tests.ops.test_auth import ED_KEY, OTHER_KEY, pem, token

PATHS = ["/ui/", "/ui/static/app.js", "/ui/api/promises", "/ui/api/server", "/ui/api/tasks"]
ACTION = {"X-Requested-By": "test"}


@pytest.fixture(scope="module")
def basic_server(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with own_server(redis_url, tmp_path_factory.mktemp("ui-basic"), RESONATE_AUTH_BASIC="ops:hunter2") as server:
        yield server


@pytest.fixture(scope="module")
def jwt_server(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("ui-jwt")
    (folder / "key.pem").write_text(pem(ED_KEY))
    with own_server(redis_url, folder, RESONATE_AUTH_JWT_PUBLIC_KEY=str(folder / "key.pem")) as server:
        yield server


@pytest.mark.parametrize("path", PATHS)
def test_basic_auth_guards_every_dashboard_path(basic_server: ServerProcess, path: str) -> None:
    for auth in (None, ("ops", "wrong"), ("someone", "hunter2")):
        reply = client.get(basic_server.url + path, auth=auth)
        assert reply.status_code == 401 and reply.headers["WWW-Authenticate"].startswith("Basic realm=")
        assert reply.json()["needs"] == "basic"
    assert client.get(basic_server.url + path, auth=("ops", "hunter2")).status_code == 200


def test_basic_auth_guards_the_actions(basic_server: ServerProcess) -> None:
    url = f"{basic_server.url}/ui/api/tasks/{unique()}/halt"
    assert client.post(url, json={}, headers=ACTION).status_code == 401
    assert client.post(url, json={}, headers=ACTION, auth=("ops", "hunter2")).status_code == 404


def test_jwt_the_page_loads_and_the_data_needs_an_admin_token(jwt_server: ServerProcess) -> None:
    assert client.get(jwt_server.url + "/ui/").status_code == 200  # the page, to ask for a token
    data = jwt_server.url + "/ui/api/promises"
    for headers in ({}, {"X-Resonate-Token": "not.a.jwt"}, {"X-Resonate-Token": token({"role": "admin"}, OTHER_KEY)}):
        reply = client.get(data, headers=headers)
        assert reply.status_code == 401 and reply.json()["needs"] == "token", headers
    for claims in ({"prefix": "tenant-"}, {"prefix": ""}, {"role": "worker"}):
        reply = client.get(data, headers={"X-Resonate-Token": token(claims)})
        assert reply.status_code == 403 and "admin role" in reply.json()["error"], claims
    admin = token({"role": "admin"})
    assert client.get(data, headers={"X-Resonate-Token": admin}).status_code == 200
    assert client.get(data, headers={"Authorization": f"Bearer {admin}"}).status_code == 200
    halt = f"{jwt_server.url}/ui/api/tasks/{unique()}/halt"
    assert client.post(halt, json={}, headers=ACTION).status_code == 401
    assert client.post(halt, json={}, headers={**ACTION, "X-Resonate-Token": admin}).status_code == 404
    assert client.post(halt, json={}, headers={"X-Resonate-Token": admin}).status_code == 403  # no action header
