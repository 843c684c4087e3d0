"""A facilitated e-discussion from opening to the synthesis in the library, in a real browser.

Every page visited is checked with axe (zero violations) and the console is watched.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, expect

from solex.accounts.testing import make_staff
from solex.communities.models import Role, Visibility
from solex.communities.testing import add_member, make_community
from solex.discussions import tasks
from solex.discussions.models import Discussion
from solex.exchanges.models import Exchange, Status
from solex.knowledge.models import KnowledgeItem
from tests.browser.test_journeys import Visits, open_as, people  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTRIBUTIONS = {
    "amina": (
        "In Kenya, county disaster committees used community radio to carry early warning "
        "messages to villages before the rains."
    ),
    "carlos": (
        "Community radio worked well in Honduras too: early warning messages read by local "
        "presenters reached farmers days before the floods."
    ),
    "lena": (
        "In Bangladesh community radio and volunteers with megaphones carried early warning "
        "messages to villages faster than SMS."
    ),
}


def test_a_facilitator_runs_a_discussion_to_a_published_synthesis(
    browser: Browser,
    base_url: str,
    people: tuple[Visits, list[BrowserContext]],  # noqa: F811
) -> None:
    community = make_community(
        "Disaster Risk Reduction Network", slug="drr-network", visibility=Visibility.PUBLIC
    )
    fatima = make_staff("fatima", name="Fatima Okafor")
    add_member(community, fatima, Role.FACILITATOR)
    contributors = {}
    for username in CONTRIBUTIONS:
        contributors[username] = make_staff(username, name=username.title())
        add_member(community, contributors[username])

    # The facilitator opens the discussion and invites two members.
    lead = open_as(browser, base_url, people, fatima)
    lead.goto(f"/discussions/in/{community.slug}/")
    lead.page.get_by_role("link", name="Open a discussion").click()
    lead.checked()
    lead.page.get_by_label("Title").fill("Early warning that reaches the last mile")
    lead.page.get_by_label("Purpose").fill("Learn which early warning channels people trust.")
    lead.page.get_by_label("Framing questions").fill(
        "Which channels reached people in time?\nWho should send the warning?"
    )
    closes = timezone.localtime() + datetime.timedelta(days=21)
    lead.page.get_by_label("Closes").fill(closes.strftime("%Y-%m-%dT%H:%M"))
    lead.page.get_by_label("Invited contributors").fill("amina, carlos")
    lead.page.get_by_role("button", name="Open the discussion").click()
    expect(lead.page.get_by_text("The discussion is open")).to_be_visible()
    lead.checked()
    discussion = Discussion.objects.get()
    expect(lead.page.locator("#question-1")).to_have_text("Which channels reached people in time?")

    # Invited members hear of it and post, answering the first question.
    for username, text in CONTRIBUTIONS.items():
        member = open_as(browser, base_url, people, contributors[username])
        if username != "lena":
            member.goto("/notifications/")
            member.page.get_by_role(
                "link", name="Early warning that reaches the last mile"
            ).first.click()
        else:
            member.goto(discussion.exchange.get_absolute_url())
        member.checked()
        member.page.get_by_label("Your contribution").fill(text)
        member.page.get_by_label("Answering").select_option("1")
        member.page.get_by_role("button", name="Post", exact=True).click()
        expect(member.page.get_by_text("Your contribution is posted.")).to_be_visible()
        member.checked()

    # A week later Solex reminds the facilitator, with a draft from the week's posts.
    week_ago = timezone.now() - datetime.timedelta(days=8)
    Exchange.objects.filter(pk=discussion.pk).update(opens_at=week_ago)
    assert tasks.remind_summaries.call() == 1
    lead.goto("/notifications/")
    lead.page.get_by_role("link", name="Early warning that reaches the last mile").first.click()
    lead.checked()
    summary = lead.page.get_by_label("Summary")
    expect(summary).to_contain_text("3 posts by 3 participants")
    expect(summary).to_contain_text("community radio")
    lead.page.get_by_role("button", name="Post the summary").click()
    expect(lead.page.get_by_text("The summary is posted")).to_be_visible()
    expect(lead.page.get_by_role("heading", name="Facilitator's summaries")).to_be_visible()
    lead.checked()

    # The facilitator closes it: Solex drafts the synthesis, which is edited and published.
    lead.page.get_by_role("button", name="Close and draft the synthesis").click()
    expect(lead.page.get_by_role("heading", name="Synthesis of the discussion")).to_be_visible()
    lead.checked()
    body = lead.page.locator("textarea[name=body]")
    expect(body).to_contain_text("Points with broad support")
    expect(body).to_contain_text("#post-")
    lead.page.get_by_role("button", name="Publish to the library").click()
    expect(lead.page.get_by_text("The synthesis is published")).to_be_visible()
    lead.checked()
    assert Exchange.objects.get(pk=discussion.pk).status == Status.CLOSED

    # It is in the library, and the participants were told.
    item = KnowledgeItem.objects.get(kind=KnowledgeItem.Kind.DISCUSSION_SYNTHESIS)
    reader = open_as(browser, base_url, people, contributors["lena"])
    reader.goto("/notifications/")
    expect(reader.page.get_by_text("The synthesis of the discussion")).to_be_visible()
    reader.goto("/knowledge/")
    reader.page.get_by_role("link", name=item.title).click()
    reader.checked()
    expect(reader.page.get_by_role("heading", level=1)).to_have_text(item.title)
    reader.goto(discussion.exchange.get_absolute_url())
    expect(
        reader.page.get_by_text("The synthesis of this discussion is in the library")
    ).to_be_visible()
    expect(reader.page.get_by_text("This discussion is closed")).to_be_visible()
