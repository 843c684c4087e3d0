"""Search in a real browser: the Done-when journey of the search work.

A member finds a published consolidated reply by a word that appears only in the file
attached to one of its replies, from the search box in the page header, without and
with JavaScript; an external partner searching the same word sees only public items,
in the results, the count and the snippets. Every page visited is checked with axe.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from solex.accounts.models import User
from solex.accounts.testing import make_partner, make_staff
from solex.communities.models import Community
from solex.communities.testing import add_member, make_community
from solex.core import files
from solex.exchanges.testing import make_attachment, make_exchange, make_reply
from solex.knowledge.models import KnowledgeItem
from solex.people.testing import make_topic
from solex.search import actions
from tests.browser.conftest import axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORD = "quartermaster"


def _consolidated(community: Community, asker: User, expert: User, title: str) -> KnowledgeItem:
    topic = make_topic("Health supply chains")
    exchange = make_exchange(
        community,
        author=asker,
        title=f"How do you keep clinics stocked? ({title})",
        body="Stock-outs every quarter.",
        status="closed",
        close_reason="consolidated",
        topics=[topic],
    )
    reply = make_reply(exchange, expert, body="We pooled orders with the district hospital.")
    attachment = make_attachment(
        exchange,
        reply=reply,
        name="field-report.txt",
        data=f"Stock-outs fell after the {WORD} ledger was introduced.".encode(),
    )
    files.extract_text(attachment.file)
    return KnowledgeItem.objects.create(
        kind=KnowledgeItem.Kind.CONSOLIDATED_REPLY,
        title=f"Consolidated reply: {title}",
        summary="Pool orders with the district hospital and keep a ledger.",
        body="Three offices answered.",
        community=community,
        source_exchange=exchange,
    )


def _check(page: Page) -> None:
    page.wait_for_load_state()
    assert axe_violations(page) == [], page.url


def _search_from_header(page: Page, words: str) -> None:
    page.get_by_role("search", name="Site search").get_by_label("Search").fill(words)
    page.get_by_role("search", name="Site search").get_by_role("button", name="Search").click()
    page.wait_for_load_state()


def test_a_member_finds_a_consolidated_reply_by_a_word_only_in_a_replys_attachment(
    browser: Browser, base_url: str
) -> None:
    member = make_staff("member_search", name="Mariam Member")
    expert = make_staff("expert_search", name="Esther Expert")
    community = make_community("Clinic Supply Circle", visibility="members", slug="clinic-supply")
    add_member(community, member)
    add_member(community, expert)
    item = _consolidated(community, member, expert, "keeping clinics stocked")
    actions.rebuild()

    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    log_in(page, member)
    _check(page)
    _search_from_header(page, WORD)
    _check(page)
    result = page.locator(".search-result-knowledge")
    expect(result).to_have_count(1)
    expect(result.locator("mark")).to_have_text(WORD)
    result.get_by_role("link", name="Consolidated reply: keeping clinics stocked").click()
    page.wait_for_url(f"**{item.get_absolute_url()}")
    _check(page)
    page.goto("/search/topics/health-supply-chains/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Health supply chains")
    expect(
        page.get_by_role("link", name="Consolidated reply: keeping clinics stocked")
    ).to_be_visible()
    _check(page)
    context.close()

    # Without JavaScript: the same plain form, the same results.
    plain = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = plain.new_page()
    log_in(page, member)
    _search_from_header(page, WORD)
    expect(page.locator(".search-result-knowledge")).to_have_count(1)
    plain.close()


def test_an_external_partner_never_sees_internal_items(browser: Browser, base_url: str) -> None:
    staff = make_staff("staff_search", name="Sami Staff")
    partner = make_partner("partner_search", name="Pia Partner")
    public = make_community("Open Clinics Forum", visibility="public", slug="open-clinics")
    internal = make_community("Staff Clinics Room", visibility="organisation", slug="staff-clinics")
    safe = make_community("Quiet Clinics Circle", visibility="members", slug="quiet-clinics")
    for community in (public, internal, safe):
        add_member(community, staff)
    _consolidated(public, staff, staff, "public stock")
    _consolidated(internal, staff, staff, "internal stock")
    _consolidated(safe, staff, staff, "safe-space stock")
    actions.rebuild()

    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    log_in(page, partner)
    page.goto(f"/search/?q={WORD}")
    _check(page)
    # The public consolidated reply, and the public reply whose attached file holds the
    # word; the four internal and safe-space matches are not counted.
    expect(page.get_by_role("heading", name="2 results")).to_be_visible()
    body = page.locator("main").inner_text()
    assert "Consolidated reply: public stock" in body
    assert "How do you keep clinics stocked? (public stock)" in body
    for hidden in (
        "internal stock",
        "safe-space stock",
        "Staff Clinics Room",
        "Quiet Clinics Circle",
    ):
        assert hidden not in body
    context.close()
