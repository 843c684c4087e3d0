"""The Content-Security-Policy holds: our own scripts run, nothing inline does."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import ConsoleErrors

INJECT_INLINE_SCRIPT = """() => {
  const script = document.createElement("script");
  script.textContent = "window.injected = true";
  document.body.append(script);
}"""


def test_htmx_runs_under_the_policy_and_pages_log_no_errors(
    page: Page, console_errors: ConsoleErrors
) -> None:
    response = page.goto("/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "style-src 'self';" in policy or policy.endswith("style-src 'self'")
    # The vendored htmx carries the nonce, so it loads and starts.
    page.wait_for_function("() => window.htmx !== undefined && window.htmx.version.length > 0")
    assert page.locator("head style").count() == 0
    assert console_errors.take() == []


def test_an_injected_inline_script_is_refused_and_reported(
    page: Page, console_errors: ConsoleErrors
) -> None:
    page.goto("/")
    with page.expect_console_message(lambda message: message.type == "error") as refused:
        page.evaluate(INJECT_INLINE_SCRIPT)
    assert "Content Security Policy" in refused.value.text
    assert page.evaluate("() => window.injected === undefined")
    assert any("Content Security Policy" in text for text in console_errors.take())
