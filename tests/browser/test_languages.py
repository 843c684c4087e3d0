"""Changing language through the footer form, with and without JavaScript."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from solex.accounts.models import User
from tests.browser.conftest import ConsoleErrors, axe_violations, log_in


def choose_language(page: Page, code: str) -> None:
    page.locator("#language-select").select_option(code)
    page.locator(".language-switcher button[type=submit]").click()


def test_arabic_reads_right_to_left_and_passes_axe(
    page: Page, console_errors: ConsoleErrors
) -> None:
    page.goto("/accounts/login/")
    choose_language(page, "ar")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page).to_have_url("/accounts/login/")  # the switcher returns to the same page
    expect(page.locator("a.skip-link")).to_have_text("تخطَّ إلى المحتوى الرئيسي")
    # Logical properties put the start of the header on the right.
    brand, width = page.locator(".brand").bounding_box(), page.viewport_size
    assert brand is not None and width is not None
    assert brand["x"] > width["width"] / 2
    problems = {}
    for url, status in (("/", 200), ("/accounts/login/", 200), ("/this-page-does-not-exist/", 404)):
        page.goto(url)
        expect(html).to_have_attribute("dir", "rtl")
        problems[url] = axe_violations(page) + console_errors.take(page=page, status=status)
    assert problems == {"/": [], "/accounts/login/": [], "/this-page-does-not-exist/": []}


def test_without_javascript_people_log_in_and_change_language(
    browser: Browser, base_url: str, staff: User
) -> None:
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, staff)
    expect(page).to_have_url("/")
    expect(page.locator("h1")).to_have_text("Welcome, Amina")
    choose_language(page, "fr")
    expect(page).to_have_url("/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text("Bienvenue, Amina")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    context.close()
