"""axe-core finds no violation on any page, for anonymous visitors and for members.

The pages are found by walking the URL resolver: every named route that takes no
parameters. A route is skipped only for a reason recorded in the report: it answers
GET with 405 (POST only), it redirects (its target is checked as a route of its own),
or it is not HTML. Each checked page must also log no console error, which is where
Chromium reports Content-Security-Policy violations.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import ConsoleErrors, axe_violations

MISSING_PAGE = "/this-page-does-not-exist/"
# Django's admin is an operators' tool whose markup Django owns; Solex's pages are
# everything else.
NOT_OURS = ("admin:",)


def route_names(patterns: list[URLPattern | URLResolver], namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from route_names(pattern.url_patterns, inner)
        elif pattern.name:
            yield namespace + pattern.name


def parameter_free_urls() -> dict[str, str]:
    """URL -> route name, for every named route that reverses without arguments."""
    urls: dict[str, str] = {}
    for name in route_names(get_resolver().url_patterns):
        if name.startswith(NOT_OURS):
            continue
        try:
            urls.setdefault(reverse(name), name)
        except NoReverseMatch:
            continue  # takes parameters
    return urls


def url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@dataclass
class Walk:
    checked: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    problems: dict[str, list[str]] = field(default_factory=dict)

    def report(self, title: str) -> str:
        lines = [f"{title}: {len(self.checked)} pages checked"]
        lines += [f"  checked {url}" for url in self.checked]
        lines += [f"  skipped {url}: {why}" for url, why in self.skipped.items()]
        lines += [f"  PROBLEM {url}: {p}" for url, ps in self.problems.items() for p in ps]
        return "\n".join(lines)


def check_page(
    page: Page, errors: ConsoleErrors, walk: Walk, url: str, statuses: tuple[int, ...] = (200, 403)
) -> None:
    # Classify first with a plain request (same cookies): Chromium shows no page for
    # an empty 405, and a redirect's target is checked under its own route.
    probe = page.request.get(url, max_redirects=0)
    content_type = probe.headers.get("content-type", "")
    if probe.status == 405:
        walk.skipped[url] = "answers GET with 405 (POST only)"
        return
    if 300 <= probe.status < 400:
        walk.skipped[url] = f"redirects to {probe.headers.get('location')}"
        return
    if "text/html" not in content_type:
        walk.skipped[url] = f"not a page ({content_type})"
        return
    errors.take()
    response = page.goto(url)
    assert response is not None
    walk.checked.append(url)
    status = response.status
    problems = [] if status in statuses else [f"HTTP {status}, expected one of {statuses}"]
    problems += axe_violations(page)
    problems += [f"console: {text}" for text in errors.take(page=page, status=status)]
    if problems:
        walk.problems[url] = problems


def walk_site(page: Page, errors: ConsoleErrors, title: str) -> Walk:
    walk = Walk()
    for url in parameter_free_urls():
        check_page(page, errors, walk, url)
    check_page(page, errors, walk, MISSING_PAGE, statuses=(404,))
    sys.stdout.write(walk.report(title) + "\n")
    return walk


def test_every_page_passes_axe_for_anonymous_visitors(
    page: Page, console_errors: ConsoleErrors
) -> None:
    walk = walk_site(page, console_errors, "anonymous")
    must_check = {"/", reverse("accounts:login"), MISSING_PAGE, url_or_none("api:openapi-view")}
    assert must_check - {None} <= set(walk.checked), walk.report("anonymous")
    assert set(walk.checked) | set(walk.skipped) == {*parameter_free_urls(), MISSING_PAGE}
    assert walk.problems == {}, walk.report("anonymous")


def test_every_page_passes_axe_for_a_signed_in_member(staff_page: Page) -> None:
    errors = ConsoleErrors()
    errors.watch(staff_page)
    walk = walk_site(staff_page, errors, "staff")
    must_check = {"/", MISSING_PAGE, url_or_none("accounts:profile")}
    assert must_check - {None} <= set(walk.checked), walk.report("staff")
    assert walk.problems == {}, walk.report("staff")


@pytest.mark.urls("tests.error_urls")
def test_error_pages_pass_axe(page: Page, console_errors: ConsoleErrors) -> None:
    walk = Walk()
    for status in (400, 403, 500):
        check_page(page, console_errors, walk, f"/test-errors/{status}", statuses=(status,))
    assert walk.checked == ["/test-errors/400", "/test-errors/403", "/test-errors/500"]
    assert walk.problems == {}, walk.report("error pages")


def test_the_csrf_failure_page_passes_axe(page: Page, console_errors: ConsoleErrors) -> None:
    page.goto("/")
    page.context.clear_cookies()  # the CSRF cookie goes, so the next form post fails
    with page.expect_response("**/i18n/setlang/") as answer:
        page.locator(".language-switcher button").click()
    assert answer.value.status == 403
    expect(page.locator("h1")).to_have_text("Your form could not be sent")
    assert axe_violations(page) == []
    assert console_errors.take(page=page, status=403) == []


@pytest.mark.parametrize("url", ["/", "/accounts/login/"])
def test_the_skip_link_is_the_first_stop_and_moves_focus_to_main(page: Page, url: str) -> None:
    page.goto(url)
    page.keyboard.press("Tab")
    skip_link = page.locator("a.skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
