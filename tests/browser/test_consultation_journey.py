"""A consultation from the draft to "you said, we did", in a real browser.

The owner opens a consultation on a draft policy, two members comment on paragraphs,
the owner posts version 2, closes comments, answers each comment and publishes the
feedback summary; the contributors find their notification and the summary is in the
library. Every page visited is checked with axe (zero violations), console watched.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, expect

from solex.accounts.testing import make_staff
from solex.communities.models import Role, Visibility
from solex.communities.testing import add_member, make_community
from solex.consultations.models import CommentRecord, DraftVersion
from solex.exchanges.models import Exchange, Reply, Status
from solex.knowledge.models import KnowledgeItem
from tests.browser.test_journeys import Visits, open_as, people  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAFT = """## Purpose

This policy sets out how the government protects people from poverty and shocks across
their life cycle.

## Coverage

Every child under five receives a monthly grant, paid to the primary caregiver.

## Delivery

Payments are made through mobile money where coverage allows, and in cash elsewhere.
"""
VERSION_2 = DRAFT.replace(
    "and in cash elsewhere.",
    "and in cash in every district where fewer than half of households use mobile money.",
)


def test_a_consultation_from_draft_to_you_said_we_did(
    browser: Browser,
    base_url: str,
    people: tuple[Visits, list[BrowserContext]],  # noqa: F811
) -> None:
    community = make_community(
        "Social protection practitioners", slug="social-protection", visibility=Visibility.PUBLIC
    )
    ngozi = make_staff("ngozi", name="Ngozi Okafor")
    amina = make_staff("amina", name="Amina Diallo")
    carlos = make_staff("carlos", name="Carlos Mendes")
    add_member(community, ngozi)
    add_member(community, amina)
    add_member(community, carlos)
    add_member(community, make_staff("fatou", name="Fatou Sow"), Role.FACILITATOR)

    owner = open_as(browser, base_url, people, ngozi)
    owner.goto("/consultations/in/social-protection/")
    owner.page.get_by_role("link", name="Start a consultation").click()
    owner.checked()
    owner.page.get_by_label("Title").fill("National social protection policy, draft 1")
    owner.page.get_by_label("Purpose").fill("Comments before the draft goes to cabinet.")
    owner.page.get_by_label("The draft").fill(DRAFT)
    owner.page.get_by_label("Comments close").fill("2020-03-01T12:00")
    owner.page.get_by_role("button", name="Open the consultation").click()
    expect(owner.page.get_by_role("alert")).to_contain_text("The deadline is in the past")
    expect(owner.page.get_by_label("The draft")).to_have_value(re.compile("where coverage allows"))
    owner.checked()
    deadline = timezone.localtime() + datetime.timedelta(days=14)
    owner.page.get_by_label("Comments close").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    owner.page.get_by_role("button", name="Open the consultation").click()
    expect(owner.page.get_by_text("Your consultation is open for comments.")).to_be_visible()
    expect(owner.page.locator("#paragraph-3")).to_contain_text("mobile money")
    owner.checked()
    exchange = Exchange.objects.get(kind="consultation")
    url = exchange.get_absolute_url()

    first = open_as(browser, base_url, people, amina)
    first.goto(url)
    paragraph = first.page.locator("#paragraph-3")
    paragraph.get_by_text("Comment on paragraph 3").click()
    paragraph.get_by_label("Your comment on this paragraph").fill("   ")
    paragraph.get_by_role("button", name="Post the comment").click()
    expect(first.page.get_by_role("alert")).to_be_visible()
    first.checked()
    paragraph = first.page.locator("#paragraph-3")  # the form is open again, with the error
    paragraph.get_by_label("Your comment on this paragraph").fill(
        "Mobile money coverage is thin in rural districts: keep cash payments there."
    )
    paragraph.get_by_role("button", name="Post the comment").click()
    expect(first.page.get_by_text("Your comment is posted.")).to_be_visible()
    expect(first.page.locator("#paragraph-3")).to_contain_text("Paragraph 3: 1 comment")
    first.checked()

    second = open_as(browser, base_url, people, carlos)
    second.goto(url)
    paragraph = second.page.locator("#paragraph-2")
    paragraph.get_by_text("Comment on paragraph 2").click()
    paragraph.get_by_label("Your comment on this paragraph").fill(
        "Extend the grant to children with disabilities up to age 18."
    )
    paragraph.get_by_role("button", name="Post the comment").click()
    expect(second.page.get_by_text("Your comment is posted.")).to_be_visible()
    second.checked()

    owner.goto(url)
    owner.page.get_by_role("link", name="Post a new version").click()
    owner.checked()
    owner.page.get_by_label("The new version").fill(VERSION_2)
    owner.page.get_by_label("What changed").fill(
        "Paragraph 3 keeps cash where mobile money is thin."
    )
    owner.page.get_by_role("button", name="Post the new version").click()
    expect(owner.page.get_by_text("Version 2 is posted")).to_be_visible()
    expect(owner.page.get_by_role("heading", name="The draft, version 2")).to_be_visible()
    expect(owner.page.get_by_text("on an earlier version").first).to_be_visible()
    owner.checked()
    owner.page.get_by_role("link", name="version 1").click()
    expect(owner.page.get_by_text("This is an earlier version.")).to_be_visible()
    owner.checked()

    owner.page.get_by_role("link", name="Close comments now").click()
    owner.checked()
    owner.page.get_by_role("button", name="Close comments now").click()
    expect(owner.page.get_by_text("The consultation is closed.")).to_be_visible()
    owner.checked()
    cash = Reply.objects.get(author=amina)
    disability = Reply.objects.get(author=carlos)
    item = owner.page.locator(f"#comment-{cash.pk}")
    item.get_by_label("Taken up", exact=True).check()
    item.get_by_role("button", name="Save the answer").click()
    expect(owner.page.get_by_text("Your answer is saved.")).to_be_visible()
    owner.checked()
    item = owner.page.locator(f"#comment-{disability.pk}")
    item.get_by_label("Not taken up", exact=True).check()
    item.get_by_label("Why").fill("The budget covers under-fives this cycle; we revisit in 2028.")
    item.get_by_role("button", name="Save the answer").click()
    expect(owner.page.get_by_text("Your answer is saved.")).to_be_visible()
    owner.checked()

    owner.page.get_by_role("link", name="Write the feedback summary").click()
    expect(owner.page.get_by_label("Feedback summary")).to_contain_text("paragraph 3")
    owner.checked()
    owner.page.get_by_role("button", name="Publish to the library").click()
    expect(owner.page.get_by_role("heading", name="What became of each comment")).to_be_visible()
    expect(owner.page.get_by_text("we revisit in 2028").first).to_be_visible()
    owner.checked()

    first.goto("/notifications/")
    expect(first.page.get_by_text("The feedback summary is published").first).to_be_visible()
    first.checked()
    second.goto("/notifications/")
    expect(second.page.get_by_text("1 not taken up").first).to_be_visible()
    second.checked()
    second.goto("/knowledge/")
    expect(
        second.page.get_by_text("Feedback summary: National social protection policy")
    ).to_be_visible()
    second.checked()

    exchange.refresh_from_db()
    assert exchange.status == Status.CLOSED
    assert DraftVersion.objects.filter(exchange=exchange).count() == 2
    assert set(CommentRecord.objects.values_list("version", flat=True)) == {1}
    summary = KnowledgeItem.objects.get(kind=KnowledgeItem.Kind.CONSULTATION_SUMMARY)
    assert set(summary.contributors.values_list("username", flat=True)) == {"amina", "carlos"}
