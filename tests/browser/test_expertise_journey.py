"""A member asks "who knows about cash transfers", reads why, opens a profile; a
knowledge manager opens the expertise gaps. Axe finds nothing on any page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.communities.models import Visibility
from solex.communities.testing import add_member, make_community
from solex.exchanges.models import HelpfulMark
from solex.exchanges.testing import make_exchange, make_reply
from solex.expertise import ledger
from solex.people.testing import make_claim, make_topic
from tests.browser.conftest import ConsoleErrors, axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def contexts(browser: Browser, base_url: str) -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def open_as(
    browser: Browser, base_url: str, contexts: list[BrowserContext], user: User
) -> tuple[Page, ConsoleErrors]:
    context = browser.new_context(base_url=base_url)
    contexts.append(context)
    page = context.new_page()
    errors = ConsoleErrors()
    errors.watch(page)
    log_in(page, user)
    return page, errors


def audited(page: Page, errors: ConsoleErrors) -> None:
    page.wait_for_load_state()
    problems = axe_violations(page) + [f"console: {e}" for e in errors.take(page=page)]
    assert problems == [], f"{page.url}: {problems}"


def test_a_member_finds_who_knows_and_a_knowledge_manager_sees_the_gaps(
    browser: Browser, base_url: str, contexts: list[BrowserContext]
) -> None:
    cash = make_topic("Cash transfers", parent=make_topic("Social protection"))
    community = make_community("Social Protection Network", visibility=Visibility.PUBLIC)
    member = make_staff("member", name="Mariam Member")
    add_member(community, member)
    seasoned = make_staff("amina", name="Amina Diallo", title="Social protection adviser")
    newcomer = make_staff("nils", name="Nils Berg")
    make_claim(newcomer, cash, level=2)
    for number in range(3):
        query = make_exchange(community, author=member, topics=[cash], title=f"Cash {number}")
        reply = make_reply(query, seasoned, helpful_count=1)
        HelpfulMark.objects.create(reply=reply, user=member)
    for _number in range(2):
        make_exchange(community, author=member, topics=[make_topic("Water pricing")])
    ledger.refresh()

    page, errors = open_as(browser, base_url, contexts, member)
    page.goto("/")
    audited(page, errors)
    page.get_by_label("Topic or question").fill("who knows about cash transfers")
    page.get_by_role("button", name="Find people").click()
    audited(page, errors)
    expect(page.get_by_role("heading", level=1)).to_have_text("Who knows about…?")
    results = page.locator("ol.who-knows > li")
    expect(results).to_have_count(2)
    expect(results.first).to_contain_text("Amina Diallo")
    expect(results.first).to_contain_text("answered 3 similar queries")
    expect(results.first).to_contain_text("replies marked helpful 3 times")
    expect(results.nth(1)).to_contain_text("knows about Cash transfers")

    results.first.get_by_role("link", name="Amina Diallo").click()
    audited(page, errors)
    expect(page.locator("ul.expertise-record")).to_contain_text(
        "Cash transfers: answered 3 queries, 3 marked helpful"
    )

    manager = make_staff("km", name="Kim Manager", is_staff=True)
    km_page, km_errors = open_as(browser, base_url, contexts, manager)
    km_page.goto("/people/expertise-gaps/")
    audited(km_page, km_errors)
    first_row = km_page.locator("table.expertise-gaps tbody tr").first
    expect(first_row).to_contain_text("Water pricing")
    expect(first_row).to_contain_text("no reply yet")
