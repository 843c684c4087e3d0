"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every test in this directory is marked ``browser`` (the PostgreSQL pass of the test
command deselects them). A missing Chromium is an error, never a skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect
from pytest_django.live_server_helper import LiveServer

from solex.accounts.models import User
from solex.accounts.testing import TEST_PASSWORD

# Playwright's sync API runs an asyncio event loop in the main thread for the whole
# session, from the first browser test on. Django sees that loop and refuses ORM calls
# from the same thread (SynchronousOnlyOperation) in fixtures and test bodies, and in
# any test that runs after a browser test. Nothing here is async code sharing that
# loop, so the check guards nothing: turn it off for the test process.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not os.access(CHROMIUM, os.X_OK):
        raise RuntimeError(
            f"No Chromium at {CHROMIUM}: install it (apt-get install chromium) "
            "or set CHROMIUM_PATH. Browser tests need it."
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    """Relative page.goto("/…") calls go to the live server (which also serves static files)."""
    return live_server.url


@dataclass
class ConsoleErrors:
    """Console errors and uncaught exceptions seen by a page; CSP violations land here."""

    messages: list[tuple[str, str]] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.messages.append((f"uncaught: {error}", "")))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.messages.append((message.text, message.location.get("url", "")))

    def take(self, *, page: Page | None = None, status: int = 200) -> list[str]:
        """Errors so far, forgetting them.

        Chromium logs a document answered with an error status as a console error;
        when that status is the one the test asked for, it is not a problem.
        """
        found, self.messages = self.messages, []
        expected = f"the server responded with a status of {status} "
        return [
            f"{text} ({url})"
            for text, url in found
            if not (page is not None and url == page.url and text.find(expected) != -1)
        ]


@pytest.fixture
def console_errors(page: Page) -> ConsoleErrors:
    errors = ConsoleErrors()
    errors.watch(page)
    return errors


def axe_violations(page: Page) -> list[str]:
    """Each axe-core violation on the page as 'rule-id (impact): selector, …'."""
    results = Axe().run(page).response
    return [
        f"{violation['id']} ({violation['impact']}): "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
        for violation in results["violations"]
    ]


def log_in(page: Page, user: User, *, password: str = TEST_PASSWORD) -> None:
    """Sign in through the real login form, as a person would."""
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".site-header form[action='/accounts/logout/'] button")).to_be_visible()


@pytest.fixture
def staff_page(browser: Browser, base_url: str, staff: User) -> Iterator[Page]:
    """A page in its own browser context, signed in as the staff persona."""
    context: BrowserContext = browser.new_context(base_url=base_url)
    page = context.new_page()
    log_in(page, staff)
    yield page
    context.close()
