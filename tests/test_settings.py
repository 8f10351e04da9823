"""Settings: defaults, env file, precedence, and the README documenting every one."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.settings import SETTINGS, SettingsError, load_settings
from tests.conftest import REPO


def test_defaults() -> None:
    settings = load_settings({})
    assert (settings.port, settings.poll_port, settings.workers) == (8001, 8002, 2)
    assert settings.redis_url == "" and settings.public_url == "http://0.0.0.0:8001"


def test_env_file_then_real_environment(tmp_path: Path) -> None:
    env_file = tmp_path / "a.env"
    env_file.write_text("RESONATE_PORT=9000\nRESONATE_WORKERS=5\n# a comment\n")
    settings = load_settings({"RESONATE_ENV_FILE": str(env_file), "RESONATE_WORKERS": "3"})
    assert settings.port == 9000  # from the file
    assert settings.workers == 3  # the real environment wins


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("RESONATE_PORT", "http"),
        ("RESONATE_PORT", "70000"),
        ("RESONATE_WORKERS", "0"),
        ("RESONATE_STORE_FSYNC", "never"),
        ("RESONATE_HTTP_PUSH_ALLOW", "http://x"),
        ("RESONATE_PROMISE_RETENTION", "-1"),
    ],
)
def test_bad_values_are_refused_with_the_setting_named(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({name: value})


def test_a_missing_env_file_is_refused() -> None:
    with pytest.raises(SettingsError, match="RESONATE_ENV_FILE"):
        load_settings({"RESONATE_ENV_FILE": "/nonexistent.env"})


def test_every_setting_is_in_the_readme_and_the_example_env_file() -> None:
    readme = (REPO / "README.md").read_text()
    example = (REPO / "config" / "defaults.env").read_text()
    for setting in SETTINGS:
        assert f"`{setting.env}`" in readme, setting.env
        assert f"{setting.env}={setting.default}\n" in example, setting.env


def test_the_stop_budget_derives_from_the_shutdown_and_request_timeouts() -> None:
    settings = load_settings({"RESONATE_SHUTDOWN_TIMEOUT": "15", "RESONATE_REQUEST_TIMEOUT": "10"})
    assert settings.stop_budget_s == 5
    with pytest.raises(SettingsError, match="RESONATE_SHUTDOWN_TIMEOUT must exceed RESONATE_REQUEST_TIMEOUT"):
        load_settings({"RESONATE_SHUTDOWN_TIMEOUT": "11", "RESONATE_REQUEST_TIMEOUT": "10"})


def test_gunicorns_graceful_timeout_is_the_shutdown_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.serving import gunicorn_options

    monkeypatch.setenv("RESONATE_SHUTDOWN_TIMEOUT", "21")
    assert gunicorn_options()["graceful_timeout"] == 21


def test_secrets_and_url_passwords_are_masked_when_shown() -> None:
    by_env = {setting.env: setting for setting in SETTINGS}
    assert by_env["RESONATE_AUTH_BASIC"].shown("alice:s3cret") == "********"
    assert by_env["RESONATE_AUTH_BASIC"].shown("") == ""
    redis_url = by_env["RESONATE_REDIS_URL"]
    assert redis_url.shown("redis://default:hunter2@cache:6379/0") == "redis://default:********@cache:6379/0"
    assert redis_url.shown("redis://cache:6379") == "redis://cache:6379"
    assert by_env["RESONATE_PORT"].shown(8001) == "8001"
