"""Authentication, both generations: HTTP basic auth on the legacy routes and poll port,
JWT (head.auth, and Bearer on /poll) for the current protocol with the claims rules of
the reference (§8); health stays open; the SDKs work through it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from tests import client
from tests.conftest import REPO, ServerProcess, own_server, unique
from tests.current.proto import VERSION, Proto, now_ms
from tests.e2e.sdk_process import SdkProcess, running_workers, sdk_venv
from tests.sse import EventStream

# -- legacy: HTTP basic auth ---------------------------------------------------------------------

ALICE = ("alice", "s3cret")


@pytest.fixture(scope="module")
def basic_server(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("basic")
    with own_server(redis_url, folder, RESONATE_AUTH_BASIC="alice:s3cret,bob:pw:with:colons") as server:
        yield server


LEGACY_ROUTES = [
    ("POST", "/promises", {"id": "x", "timeout": 1}),
    ("GET", "/promises/x", None),
    ("PATCH", "/promises/x", {"state": "RESOLVED"}),
    ("GET", "/promises?id=*", None),
    ("POST", "/promises/task", {"promise": {"id": "x", "timeout": 1}, "task": {"processId": "p", "ttl": 1}}),
    ("POST", "/callbacks", {"promiseId": "x", "rootPromiseId": "y", "timeout": 1, "recv": "default"}),
    ("POST", "/subscriptions", {"id": "s", "promiseId": "x", "timeout": 1, "recv": "default"}),
    ("POST", "/promises/callback/x", {"rootPromiseId": "y", "recv": "default"}),
    ("POST", "/promises/subscribe/x", {"id": "s", "recv": "default"}),
    ("POST", "/tasks/claim", {"id": "1", "counter": 1, "processId": "p", "ttl": 1}),
    ("POST", "/tasks/complete", {"id": "1", "counter": 1}),
    ("POST", "/tasks/heartbeat", {"processId": "p"}),
    ("POST", "/schedules", {"id": "s"}),
    ("GET", "/schedules/s", None),
    ("DELETE", "/schedules/s", None),
    ("POST", "/locks/acquire", {"resourceId": "r", "executionId": "e", "processId": "p", "ttl": 1}),
    ("POST", "/locks/release", {"resourceId": "r", "executionId": "e"}),
    ("POST", "/locks/heartbeat", {"processId": "p"}),
]


@pytest.mark.parametrize(("method", "path", "body"), LEGACY_ROUTES, ids=lambda v: str(v)[:30])
def test_every_legacy_route_needs_credentials(basic_server: ServerProcess, method: str, path: str, body: Any) -> None:
    url = basic_server.url + path
    for auth in (None, ("alice", "wrong"), ("mallory", "s3cret")):
        reply = client.request(method, url, json=body, auth=auth)
        assert reply.status_code == 401, (auth, reply.text)
        assert reply.headers["WWW-Authenticate"].startswith("Basic realm=")
        assert reply.json()["error"]["code"] == 4010
    for auth in (ALICE, ("bob", "pw:with:colons")):
        reply = client.request(method, url, json=body, auth=auth)
        assert reply.status_code not in (401, 500), reply.text


def test_health_and_the_current_protocol_are_not_behind_basic_auth(basic_server: ServerProcess) -> None:
    for path in ("/healthz", "/health", "/ready"):
        assert client.get(basic_server.url + path).status_code == 200
    assert Proto(basic_server.url).send("promise.get", {"id": unique()})[0] == 404


def test_the_poll_port_needs_credentials(basic_server: ServerProcess) -> None:
    refused = EventStream(basic_server.poll_url, "g", "w")
    assert refused.status == 401
    credentials = base64.b64encode(b"alice:s3cret").decode()
    accepted = EventStream(basic_server.poll_url, "g", "w", headers={"Authorization": f"Basic {credentials}"})
    assert accepted.status == 200
    accepted.close()


def test_sdk_0_4_12_works_with_credentials_in_its_urls(basic_server: ServerProcess, tmp_path: Path) -> None:
    def with_credentials(url: str) -> str:
        return url.replace("http://", "http://alice:s3cret@")

    def sdk(log: str, *args: str) -> SdkProcess:
        command = [sys.executable, "-m", "tests.e2e.sdk_app", args[0], with_credentials(basic_server.url)]
        return SdkProcess([*command, with_credentials(basic_server.poll_url), *args[1:]], tmp_path / log)

    with running_workers(lambda n: sdk(f"w{n}.log", "worker", "workers", f"w{n}-{unique()}"), count=1):
        caller = sdk("call.log", "call", unique("add"), "add", json.dumps([20, 22]))
        try:
            assert json.loads(caller.first_line(60)) == 42
        finally:
            caller.kill()


# -- current protocol: JWT ----------------------------------------------------------------------

ED_KEY = ed25519.Ed25519PrivateKey.generate()
OTHER_KEY = ed25519.Ed25519PrivateKey.generate()


def pem(key: Any) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def confused_token(claims: dict[str, Any], secret: bytes) -> str:
    """HS256 signed with the public key's PEM as the secret: the classic algorithm
    confusion, which PyJWT will not even make for us."""

    def part(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    signing_input = part(b'{"alg":"HS256","typ":"JWT"}') + "." + part(json.dumps(claims).encode())
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + part(signature)


def token(claims: dict[str, Any], key: Any = ED_KEY, algorithm: str = "EdDSA") -> str:
    return jwt.encode({"exp": int(time.time()) + 600, **claims}, key, algorithm=algorithm)


@pytest.fixture(scope="module")
def jwt_server(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("jwt")
    key_file = folder / "key.pem"
    key_file.write_text(pem(ED_KEY))
    with own_server(redis_url, folder, RESONATE_AUTH_JWT_PUBLIC_KEY=str(key_file)) as server:
        yield server


def send(server: ServerProcess, kind: str, data: dict[str, Any], auth: str | None) -> tuple[int, Any]:
    head: dict[str, Any] = {"corrId": "c", "version": VERSION}
    if auth is not None:
        head["auth"] = auth
    reply = client.post(server.url + "/", json={"kind": kind, "head": head, "data": data})
    body = reply.json()
    assert body["head"]["status"] == reply.status_code and body["kind"] == kind
    return reply.status_code, body["data"]


def test_a_missing_or_bad_token_is_401(jwt_server: ServerProcess) -> None:
    expired = jwt.encode({"exp": int(time.time()) - 3600, "role": "admin"}, ED_KEY, algorithm="EdDSA")
    no_exp = jwt.encode({"role": "admin"}, ED_KEY, algorithm="EdDSA")
    hmac_token = confused_token({"exp": int(time.time()) + 60, "role": "admin"}, pem(ED_KEY).encode())
    for auth in (None, "", "not.a.jwt", token({"role": "admin"}, OTHER_KEY), expired, no_exp, hmac_token):
        assert send(jwt_server, "promise.get", {"id": "x"}, auth) == (401, "Unauthorized"), auth


def test_envelope_checks_come_first_and_auth_before_the_kind(jwt_server: ServerProcess) -> None:
    reply = client.post(jwt_server.url + "/", data=b"not json")
    assert reply.status_code == 400
    assert send(jwt_server, "promise.explode", {}, None) == (401, "Unauthorized")
    assert send(jwt_server, "promise.explode", {}, token({"role": "admin"}))[0] == 400


def test_roles_and_prefixes(jwt_server: ServerProcess) -> None:
    admin, everything = token({"role": "ADMIN"}), token({"prefix": ""})
    scoped, no_prefix = token({"prefix": "team-a/"}), token({"sub": "x"})
    pid = f"team-a/{unique()}"
    data = {"id": pid, "timeoutAt": now_ms() + 60_000}
    assert send(jwt_server, "promise.create", data, scoped)[0] == 200
    assert send(jwt_server, "promise.get", {"id": pid}, everything)[0] == 200
    assert send(jwt_server, "promise.get", {"id": pid}, admin)[0] == 200
    assert send(jwt_server, "promise.get", {"id": pid}, no_prefix) == (403, "Forbidden")
    assert send(jwt_server, "promise.get", {"id": "team-b/x"}, scoped) == (403, "Forbidden")
    assert send(jwt_server, "promise.search", {}, scoped) == (403, "Forbidden")
    assert send(jwt_server, "promise.search", {}, admin)[0] == 200
    listen = {"awaited": pid, "address": "poll://uni@g/p"}
    assert send(jwt_server, "promise.register_listener", listen, scoped)[0] == 200
    beat = {"pid": "p", "tasks": [{"id": pid, "version": 1}, {"id": "team-b/y", "version": 1}]}
    assert send(jwt_server, "task.heartbeat", beat, scoped) == (403, "Forbidden")


def test_poll_needs_a_bearer_token(jwt_server: ServerProcess) -> None:
    refused = EventStream(jwt_server.url, "g", "w", path="/poll/g/w")
    assert refused.status == 401
    bearer = {"Authorization": f"Bearer {token({'role': 'admin'})}"}
    accepted = EventStream(jwt_server.url, "g", "w", path="/poll/g/w", headers=bearer)
    assert accepted.status == 200
    accepted.close()
    for path in ("/health", "/ready", "/healthz"):
        assert client.get(jwt_server.url + path).status_code == 200


def test_sdk_0_8_1_works_with_a_token(jwt_server: ServerProcess, tmp_path_factory: pytest.TempPathFactory) -> None:
    python = sdk_venv(tmp_path_factory, "resonate-sdk==0.8.1")
    folder = tmp_path_factory.mktemp("auth-run")
    app = str(REPO / "tests" / "e2e" / "sdk_app_08.py")
    env = {"RESONATE_TOKEN": token({"role": "admin"})}
    runner = SdkProcess([python, app, "run", jwt_server.url, unique("wf"), "double", "[21]"], folder / "run.log", env)
    try:
        assert json.loads(runner.first_line(60))["result"] == 42
    finally:
        runner.kill()


ALL_KINDS = [
    "promise.get", "promise.create", "promise.settle", "promise.register_callback", "promise.register_listener",
    "promise.search", "task.get", "task.create", "task.acquire", "task.release", "task.fulfill", "task.suspend",
    "task.fence", "task.heartbeat", "task.halt", "task.continue", "task.search", "schedule.create", "schedule.get",
    "schedule.delete", "schedule.search",
]  # fmt: skip


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_every_kind_needs_a_valid_token(jwt_server: ServerProcess, kind: str) -> None:
    data = {"id": unique("k"), "awaited": unique("k"), "pid": "p", "tasks": [{"id": unique("k"), "version": 0}]}
    for auth in (None, token({"role": "admin"}, OTHER_KEY)):
        assert send(jwt_server, kind, data, auth) == (401, "Unauthorized"), (kind, auth)
    status, _ = send(jwt_server, kind, data, token({"role": "admin"}))
    assert status not in (401, 403), kind
