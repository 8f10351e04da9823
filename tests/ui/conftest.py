"""A real headless browser for the dashboard's tests: Debian's chromium driven by
Playwright (its own browser downloads are not used). The README's test command installs
chromium; a machine without it fails here with the command that installs it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from tests.conftest import REPO, ServerProcess

SCREENSHOTS = REPO / "docs"
# As root, without a sandbox; no background traffic to hosts a closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000  # for actions and for expect (whose own default, 5 s, a loaded machine can miss)
expect.set_options(timeout=TIMEOUT_MS)


def chromium_path() -> str:
    for candidate in (os.environ.get("RESONATE_TEST_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(candidate) if candidate else None
        if found:
            return found
    pytest.fail("the dashboard tests need chromium: sh scripts/install-chromium.sh (or set RESONATE_TEST_CHROMIUM)")


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    yield launched
    launched.close()


class Visit:
    """A page of its own (a fresh context) that remembers what went wrong in it: script
    errors, and any request to another host (the dashboard makes none)."""

    def __init__(self, browser: Browser, server: ServerProcess, **context: Any) -> None:
        self.server = server
        self.context = browser.new_context(**{"viewport": {"width": 1280, "height": 800}, **context})
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page: Page = self.context.new_page()
        self.errors: list[str] = []
        self.elsewhere: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("request", self._note_request)

    def _note_request(self, request: Any) -> None:
        if not (request.url.startswith(self.server.url) or request.url.startswith("data:")):
            self.elsewhere.append(request.url)

    def open(self, route: str = "") -> Any:
        return self.page.goto(f"{self.server.url}/ui/{route}")

    def screenshot(self, name: str, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / name
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def close(self) -> None:
        self.context.close()
        assert self.errors == [], self.errors
        assert self.elsewhere == [], self.elsewhere


@pytest.fixture
def visit(browser: Browser) -> Iterator[Any]:
    visits: list[Visit] = []

    def start(server: ServerProcess, **context: Any) -> Visit:
        visits.append(Visit(browser, server, **context))
        return visits[-1]

    yield start
    for opened in visits:
        opened.close()
