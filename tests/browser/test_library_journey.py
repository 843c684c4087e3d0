"""The knowledge library in a real browser: contribute, review, and find on the public portal.

Every page visited is checked with axe (zero violations) and for console errors,
which is where Chromium reports Content-Security-Policy violations.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, FilePayload, Page, expect

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.communities.models import Community, Role, Visibility
from solex.communities.testing import add_member, make_community
from solex.knowledge.models import Audience, ItemAttachment, KnowledgeItem
from solex.knowledge.testing import make_item
from tests.browser.conftest import ConsoleErrors, axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Journey:
    """The pages one person sees, each checked with axe and for console errors."""

    def __init__(self, page: Page, problems: dict[str, list[str]]) -> None:
        self.page = page
        self.errors = ConsoleErrors()
        self.errors.watch(page)
        self.problems = problems
        self.seen: list[str] = []

    def goto(self, path: str) -> None:
        self.page.goto(path)
        self.checked()

    def checked(self) -> None:
        self.page.wait_for_load_state()
        found = axe_violations(self.page) + [
            f"console: {error}" for error in self.errors.take(page=self.page)
        ]
        self.seen.append(self.page.url)
        if found:
            self.problems[self.page.url] = found


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def open_as(
    browser: Browser,
    base_url: str,
    contexts: list[BrowserContext],
    problems: dict[str, list[str]],
    user: User | None,
) -> Journey:
    context = browser.new_context(base_url=base_url)
    contexts.append(context)
    page = context.new_page()
    if user is not None:
        log_in(page, user)
    return Journey(page, problems)


@pytest.fixture
def community() -> Community:
    return make_community(
        "Social protection practitioners",
        slug="social-protection",
        visibility=Visibility.PUBLIC,
    )


def test_contribute_review_and_find_on_the_portal(
    browser: Browser, base_url: str, contexts: list[BrowserContext], community: Community
) -> None:
    problems: dict[str, list[str]] = {}
    member = make_staff("amina", name="Amina Odhiambo")
    add_member(community, member)
    manager = make_staff("kofi", name="Kofi Mensah")
    add_member(community, manager, Role.KNOWLEDGE_MANAGER)
    make_item(
        community,
        title="Targeting with proxy means tests",
        review_due=timezone.localdate() - datetime.timedelta(days=20),
    )

    # A member contributes a good practice with a report attached.
    contributor = open_as(browser, base_url, contexts, problems, member)
    contributor.goto(f"/knowledge/?community={community.slug}")
    contributor.page.get_by_role("link", name="Contribute knowledge").click()
    contributor.checked()
    contributor.page.get_by_role("link", name="Good practice").click()
    contributor.checked()
    form = contributor.page.locator("main form")
    form.get_by_label("Title").fill("Savings groups as a channel for cash transfers")
    form.get_by_label("Summary").fill("Savings groups cut distribution costs by a third.")
    form.get_by_label("Problem").fill("Distribution points were far from remote households.")
    form.get_by_label("Approach").fill("Transfers went through village savings associations.")
    form.get_by_label("Results").fill("Cost per transfer fell from 4.10 to 2.70 USD.")
    # Forgetting a required field keeps everything typed (the server's check, not the browser's).
    form.evaluate("form => form.setAttribute('novalidate', '')")
    form.get_by_role("button", name="Add to the library").click()
    expect(contributor.page.get_by_text("There is a problem")).to_be_visible()
    contributor.checked()
    expect(contributor.page.get_by_label("Results")).to_have_value(
        "Cost per transfer fell from 4.10 to 2.70 USD."
    )
    form = contributor.page.locator("main form")
    form.get_by_label("Conditions for replication").fill("Groups keep written records.")
    form.get_by_label("Public: anyone, on the public knowledge portal").check()
    report: FilePayload = {
        "name": "kilifi-evaluation.txt",
        "mimeType": "text/plain",
        "buffer": b"Evaluation of the Kilifi pilot: mobile money agents.",
    }
    form.get_by_label("Attachment").set_input_files(files=[report])
    form.get_by_role("button", name="Add to the library").click()
    expect(contributor.page.get_by_text("Thank you: the item is in the library.")).to_be_visible()
    expect(contributor.page.get_by_role("heading", level=1)).to_have_text(
        "Savings groups as a channel for cash transfers"
    )
    expect(contributor.page.get_by_role("link", name="kilifi-evaluation.txt")).to_be_visible()
    contributor.checked()
    item = KnowledgeItem.objects.get(title="Savings groups as a channel for cash transfers")
    attachment = ItemAttachment.objects.select_related("file").get(item=item)
    assert attachment.file is not None and "mobile money" in attachment.file.extracted_text

    # The knowledge manager reviews the overdue item.
    reviewer = open_as(browser, base_url, contexts, problems, manager)
    reviewer.goto("/knowledge/")
    reviewer.page.get_by_role("link", name="Items due for review").click()
    reviewer.checked()
    row = reviewer.page.get_by_role("row", name="Targeting with proxy means tests")
    row.get_by_role("button", name="Confirm").click()
    expect(
        reviewer.page.get_by_text("Confirmed: “Targeting with proxy means tests” is fresh again.")
    ).to_be_visible()
    expect(reviewer.page.get_by_text("Nothing is overdue.")).to_be_visible()
    reviewer.checked()

    # An anonymous visitor finds it on the public portal, and in its feed.
    visitor = open_as(browser, base_url, contexts, problems, None)
    visitor.goto("/knowledge/portal/")
    portal_search = visitor.page.get_by_role("search", name="Search the public library")
    portal_search.get_by_label("Search the public library").fill("savings groups")
    portal_search.get_by_role("button", name="Search").click()
    visitor.checked()
    visitor.page.get_by_role("link", name="Savings groups as a channel for cash transfers").click()
    expect(visitor.page.get_by_text("Conditions for replication")).to_be_visible()
    visitor.checked()
    feed = visitor.page.request.get("/knowledge/portal/feed.atom")
    assert feed.ok and "Savings groups as a channel for cash transfers" in feed.text()
    assert "Targeting with proxy means tests" not in feed.text()  # community audience only

    assert len(contributor.seen + reviewer.seen + visitor.seen) >= 8
    assert problems == {}, problems
    assert KnowledgeItem.objects.get(pk=item.pk).audience == Audience.PUBLIC


def test_a_handover_is_signed_by_both_and_an_update_keeps_its_history(
    browser: Browser, base_url: str, contexts: list[BrowserContext], community: Community
) -> None:
    problems: dict[str, list[str]] = {}
    leaver = make_staff("lena", name="Lena Leaver")
    successor = make_staff("sami", name="Sami Successor")
    add_member(community, leaver)
    add_member(community, successor)

    # The leaver writes a KM approach, then updates it: the first version stays readable.
    author = open_as(browser, base_url, contexts, problems, leaver)
    author.goto(f"/knowledge/in/{community.slug}/contribute/km_approach/")
    form = author.page.locator("main form")
    form.get_by_label("Title").fill("Knowledge-sharing methods for the cash team")
    form.get_by_label("Summary").fill("Which method to use when, and whom to ask.")
    form.get_by_label("Overview").fill("For teams starting a new cash programme.")
    form.get_by_label("Method 1: when to use it").fill("Before a new programme starts.")
    form.get_by_role("button", name="Add to the library").click()
    expect(author.page.get_by_role("row", name="Peer assist")).to_be_visible()
    author.checked()
    author.page.get_by_role("link", name="Update this item").click()
    author.checked()
    author.page.get_by_label("Summary").fill("Which method to use when, whom to ask, and why.")
    author.page.get_by_role("button", name="Save a new version").click()
    author.page.get_by_role("link", name="History: 1 earlier version").click()
    author.checked()
    author.page.get_by_role("link", name="1", exact=True).click()
    expect(author.page.get_by_text("Which method to use when, and whom to ask.")).to_be_visible()
    author.checked()

    # The handover: drafted by the leaver, signed by both, published.
    author.goto(f"/knowledge/in/{community.slug}/handovers/new/")
    form = author.page.locator("main form")
    form.get_by_label("Title").fill("Handing over the cash working group")
    form.get_by_label("Role handed over").fill("Cash working group co-chair")
    form.get_by_label("Successor").select_option(label="Sami Successor")
    form.get_by_label("Critical knowledge").fill("The ministry signs off transfer values.")
    form.get_by_role("button", name="Start the handover").click()
    expect(author.page.get_by_text("Your successor is told")).to_be_visible()
    author.checked()
    author.page.get_by_role("button", name="Sign off as it stands").click()
    expect(author.page.get_by_text("Signed off.")).to_be_visible()
    handover_url = author.page.url

    taker = open_as(browser, base_url, contexts, problems, successor)
    taker.goto(handover_url)
    taker.page.get_by_role("button", name="Sign off as it stands").click()
    taker.page.get_by_role("button", name="Publish to the library").click()
    expect(taker.page.get_by_text("The handover is published in the library.")).to_be_visible()
    expect(taker.page.get_by_text("The ministry signs off transfer values.")).to_be_visible()
    taker.checked()
    taker.goto(f"/knowledge/?community={community.slug}")
    expect(
        taker.page.get_by_role("link", name="Handing over the cash working group")
    ).to_be_visible()

    assert problems == {}, problems
    assert KnowledgeItem.objects.filter(kind=KnowledgeItem.Kind.HANDOVER).count() == 1
