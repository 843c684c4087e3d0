"""A facilitator finds held mail in the quarantine, reads it and releases it, in a real browser.

Every page is checked with axe (zero violations), left to right and right to left.
"""

from __future__ import annotations

import pytest
from django.test import TestCase
from playwright.sync_api import Page, expect

from solex.accounts.testing import make_staff
from solex.communities.models import Role
from solex.communities.testing import add_member, make_community
from solex.exchanges.models import Exchange
from solex.intake import actions
from solex.intake.models import InboundMessage, State
from solex.intake.testing import build_mail, list_address
from tests.browser.conftest import ConsoleErrors, axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_facilitator_releases_held_mail(
    page: Page, console_errors: ConsoleErrors, settings: object
) -> None:
    settings.SOLEX_MAIL_TRUSTED_AUTHSERV_IDS = ["mx.solex.example"]  # type: ignore[attr-defined]
    community = make_community("Food Security", slug="food-security", visibility="public")
    member = make_staff("fs_member", email="fs@undp.org", name="Grace Otieno")
    facilitator = make_staff("fs_facilitator")
    add_member(community, member)
    add_member(community, facilitator, Role.FACILITATOR)
    raw = build_mail(
        sender="Grace Otieno <fs@undp.org>",
        to=list_address("food-security"),
        subject="Seed banks after the drought",
        headers={"Authentication-Results": "mx.solex.example; dkim=fail; dmarc=fail"},
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        actions.receive_message(
            raw, mail_from="fs@undp.org", recipients=[list_address("food-security")]
        )
    message = InboundMessage.objects.get()
    assert message.state == State.QUARANTINED

    log_in(page, facilitator)
    for direction in ("ltr", "rtl"):
        page.goto("/quarantine/")
        if direction == "rtl":
            page.evaluate("document.documentElement.dir = 'rtl'")
        expect(page.get_by_role("heading", level=1)).to_have_text("Mail quarantine")
        expect(
            page.get_by_role(
                "cell", name="held for moderation: DMARC fail reported by mx.solex.example"
            )
        ).to_be_visible()
        assert axe_violations(page) == []
        page.get_by_role("link", name="Seed banks after the drought").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Seed banks after the drought")
        if direction == "rtl":
            page.evaluate("document.documentElement.dir = 'rtl'")
        assert axe_violations(page) == []

    page.get_by_role("button", name="Release: process again").click()
    expect(page.locator("main")).to_contain_text("Processed again: Posted.")
    assert axe_violations(page) == []
    assert console_errors.take() == []
    assert Exchange.objects.get().author == member
