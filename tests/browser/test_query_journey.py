"""A query from the question to the consolidated reply in the library, in a real browser.

A member asks with a file attached; the facilitator routes the query to two experts
Solex suggests; both reply (one with a file); the facilitator opens the
consolidated-reply editor and publishes; the asker finds the notification and the
consolidated reply is in the library. Every page visited is checked with axe (zero
violations) and the console is watched.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from solex.accounts.testing import make_staff
from solex.communities.models import Role, Visibility
from solex.communities.testing import add_member, make_community
from solex.core.documents import make_pdf
from solex.exchanges.models import Attachment, Exchange, Reply, Status
from solex.knowledge.models import KnowledgeItem
from solex.people.testing import make_claim, make_topic
from tests.browser.test_journeys import Visits, open_as, people  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = (
    "We plan to pay cash transfers through mobile money in three northern districts. "
    "What did others do where network coverage is thin, and how did they reach women "
    "without phones?"
)
FIRST_REPLY = (
    "In Karamoja we kept cash payment points in every sub-county where coverage was "
    "under 50%, and gave women registered SIM cards before enrolment. Reconciliation "
    "took two extra days per cycle."
)
SECOND_REPLY = (
    "Agent networks matter more than coverage maps. In Turkana, agents who travelled "
    "to the markets on payment days made mobile money work; women without phones "
    "used agent-held accounts with a PIN."
)


def test_a_query_from_question_to_consolidated_reply_in_the_library(
    browser: Browser,
    base_url: str,
    people: tuple[Visits, list[BrowserContext]],  # noqa: F811
    tmp_path: Path,
) -> None:
    community = make_community(
        "Cash transfer practitioners", slug="cash-transfers", visibility=Visibility.PUBLIC
    )
    topic = make_topic("Cash transfers")
    amina = make_staff("amina", name="Amina Diallo")
    fatou = make_staff("fatou", name="Fatou Sow")
    erik = make_staff("erik", name="Erik Lund")
    grace = make_staff("grace", name="Grace Achieng")
    add_member(community, amina)
    add_member(community, fatou, Role.FACILITATOR)
    for person in (erik, grace):
        add_member(community, person, Role.EXPERT)
        make_claim(person, topic)
    brief = tmp_path / "district-coverage.pdf"
    brief.write_bytes(make_pdf(["Mobile network coverage by district, 2025"]))

    # The member asks, with a file.
    asker = open_as(browser, base_url, people, amina)
    asker.goto("/exchanges/in/cash-transfers/ask/")
    asker.page.get_by_label("Your question in one line").fill(
        "Mobile money cash transfers where coverage is thin"
    )
    asker.page.get_by_label("The question").fill(QUESTION)
    asker.page.get_by_label("Topics").select_option(label="Cash transfers")
    asker.page.get_by_label("Attach files").set_input_files(str(brief))
    asker.page.get_by_role("button", name="Send the question").click()
    expect(asker.page.get_by_text("Your query is sent")).to_be_visible()
    expect(asker.page.get_by_role("link", name="district-coverage.pdf")).to_be_visible()
    asker.checked()
    exchange = Exchange.objects.get()
    assert Attachment.objects.get().file.content_type == "application/pdf"
    download = asker.page.request.get(
        asker.page.get_by_role("link", name="district-coverage.pdf").get_attribute("href") or ""
    )
    assert download.ok
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"

    # The facilitator routes it to the two experts Solex suggests.
    facilitator = open_as(browser, base_url, people, fatou)
    facilitator.goto("/facilitation/")
    facilitator.page.get_by_role("link", name="Mobile money cash transfers where coverage").click()
    facilitator.checked()
    facilitator.page.get_by_label("Erik Lund").check()
    facilitator.page.get_by_label("Grace Achieng").check()
    facilitator.page.get_by_role("button", name="Ask the chosen people").click()
    expect(facilitator.page.get_by_text("The experts are asked.")).to_be_visible()
    facilitator.checked()
    exchange.refresh_from_db()
    assert exchange.status == Status.OPEN
    assert exchange.expert_requests.count() == 2

    # Both experts reply; the second attaches a file.
    for person, text in ((erik, FIRST_REPLY), (grace, SECOND_REPLY)):
        expert = open_as(browser, base_url, people, person)
        expert.goto("/notifications/")
        expert.page.get_by_role(
            "link", name="Mobile money cash transfers where coverage"
        ).first.click()
        expert.checked()
        expert.page.get_by_role("textbox", name="Your reply").fill(text)
        if person == grace:
            notes = tmp_path / "turkana-agents.txt"
            notes.write_text("Agent network in Turkana: 42 agents, market days only.\n")
            expert.page.get_by_label("Attach files").set_input_files(str(notes))
        expert.page.get_by_role("button", name="Post the reply").click()
        expect(expert.page.get_by_text("Your reply is posted.")).to_be_visible()
        expert.checked()
    assert Reply.objects.filter(exchange=exchange).count() == 2
    expect(expert.page.get_by_role("link", name="turkana-agents.txt")).to_be_visible()

    # The facilitator writes the consolidated reply from Solex's draft and publishes it.
    facilitator.goto(exchange.get_absolute_url())
    facilitator.page.get_by_role("link", name="Write the consolidated reply").click()
    facilitator.checked()
    facilitator.page.get_by_role("button", name="Publish and close the query").click()
    facilitator.page.wait_for_load_state()
    facilitator.checked()
    item = KnowledgeItem.objects.get(kind=KnowledgeItem.Kind.CONSOLIDATED_REPLY)
    exchange.refresh_from_db()
    assert exchange.status == Status.CLOSED

    # The asker is told, and finds the consolidated reply in the library.
    asker.goto("/notifications/")
    expect(asker.page.get_by_text("published the consolidated reply to your query")).to_be_visible()
    asker.goto("/knowledge/")
    asker.page.get_by_role("link", name=item.title).first.click()
    asker.checked()
    expect(asker.page.locator("h1")).to_have_text(item.title)
    expect(asker.page.get_by_text("Karamoja").first).to_be_visible()


def test_a_reply_being_typed_is_saved_and_comes_back_after_the_tab_closes(
    browser: Browser,
    base_url: str,
    people: tuple[Visits, list[BrowserContext]],  # noqa: F811
) -> None:
    community = make_community("Water", slug="water", visibility=Visibility.PUBLIC)
    asker = make_staff("amina", name="Amina Diallo")
    erik = make_staff("erik", name="Erik Lund")
    add_member(community, asker)
    add_member(community, erik)
    exchange = Exchange.objects.create(
        community=community,
        kind="query",
        title="Water user fees in small towns",
        body="What worked?",
        body_html="<p>What worked?</p>",
        author=asker,
    )
    expert = open_as(browser, base_url, people, erik)
    expert.goto(exchange.get_absolute_url())
    expert.page.get_by_role("textbox", name="Your reply").press_sequentially("Half of my answer")
    expect(expert.page.locator("#draft-status")).to_contain_text("Draft saved", timeout=10_000)
    expert.checked()

    again = open_as(browser, base_url, people, erik)
    again.goto(exchange.get_absolute_url())
    expect(again.page.get_by_role("textbox", name="Your reply")).to_have_value("Half of my answer")
    expect(again.page.locator("#draft-status")).to_contain_text("Your unsent draft is back.")
