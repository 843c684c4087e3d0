"""Email pages in a real browser: a member's settings, one-click unsubscribe without
signing in, and a facilitator's weekly top 5. Every page is checked with axe (zero
violations), left to right and right to left.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from solex.accounts.testing import make_staff
from solex.communities.models import DeliveryPreference, Membership, Role
from solex.communities.testing import add_member, make_community
from solex.exchanges.testing import make_exchange
from solex.mail.models import MailSettings
from solex.mail.tokens import unsubscribe_token
from tests.browser.conftest import ConsoleErrors, axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _both_directions(page: Page) -> None:
    assert axe_violations(page) == []
    page.evaluate("document.documentElement.dir = 'rtl'")
    assert axe_violations(page) == []


def test_a_member_switches_to_the_weekly_digest_and_unsubscribes_in_one_click(
    page: Page, browser: Browser, base_url: str, console_errors: ConsoleErrors
) -> None:
    community = make_community("Urban Resilience", slug="urban-resilience", visibility="public")
    member = make_staff("ur_member", name="Omar Haddad")
    add_member(community, member)
    Membership.objects.filter(user=member).update(delivery=DeliveryPreference.EVERY_MESSAGE)
    MailSettings.objects.create(
        user=member, hard_bounces=3, stopped_address=member.email, stopped_at="2026-11-20T10:00Z"
    )

    log_in(page, member)
    page.goto("/mail/settings/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Email settings")
    expect(page.get_by_role("alert")).to_contain_text("We stopped sending email to")
    _both_directions(page)
    page.get_by_role("button", name="Turn email back on").click()
    expect(page.get_by_role("alert")).to_have_count(0)
    page.get_by_label("Urban Resilience").select_option("weekly")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your email settings are saved.")).to_be_visible()
    assert Membership.objects.get(user=member).delivery == "weekly"
    assert console_errors.take(page=page) == []

    # The link from an email, in a browser where nobody is signed in.
    context = browser.new_context(base_url=base_url)
    visitor = context.new_page()
    visitor.goto(f"/mail/unsubscribe/{unsubscribe_token(member.pk, community.pk)}/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Unsubscribe")
    _both_directions(visitor)
    visitor.get_by_role("button", name="Stop this community's email").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    assert axe_violations(visitor) == []
    assert Membership.objects.get(user=member).delivery == "web_only"
    visitor.goto("/mail/unsubscribe/1-1.0000000000/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "This unsubscribe link does not work"
    )
    assert axe_violations(visitor) == []
    context.close()


def test_a_facilitator_sends_the_weekly_top_five(page: Page, console_errors: ConsoleErrors) -> None:
    community = make_community("Water Governance", slug="water-gov", visibility="public")
    facilitator = make_staff("wg_facilitator")
    asker = make_staff("wg_asker")
    add_member(community, facilitator, Role.FACILITATOR)
    add_member(community, asker)
    make_exchange(community, author=asker, title="Tariffs for rural water points")

    log_in(page, facilitator)
    page.goto("/mail/in/water-gov/top5/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This week's top 5")
    _both_directions(page)
    page.get_by_label("Introduction").fill("One thread that needs you.")
    page.get_by_role("button", name="Send to the members").click()
    expect(page.get_by_role("alert")).to_contain_text("Pick at least one item.")
    assert axe_violations(page) == []
    page.get_by_role("checkbox", name="Tariffs for rural water points").check()
    page.get_by_label("Your line on “Tariffs for rural water points”").fill(
        "Share your tariff model."
    )
    page.get_by_role("button", name="Send to the members").click()
    expect(page.get_by_text("This week's top 5 is on its way to 2 members.")).to_be_visible()
    assert console_errors.take(page=page) == []
