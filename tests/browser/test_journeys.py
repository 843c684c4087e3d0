"""Walk the membership journeys in a real browser, as the people in them would.

Each journey checks every page it visits with axe (zero violations) and watches the
console, where Chromium reports Content-Security-Policy violations. axe is itself
JavaScript, so a page seen with JavaScript off is checked again, as the same person,
in a browser with it on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.core import mail
from playwright.sync_api import Browser, BrowserContext, Page, expect

from solex.accounts.models import User
from solex.accounts.testing import make_partner_organization, make_staff
from solex.communities.models import (
    Community,
    JoinPolicy,
    Membership,
    MembershipType,
    Role,
    Visibility,
)
from solex.communities.testing import make_community
from solex.people.testing import make_claim, make_topic
from tests.browser.conftest import ConsoleErrors, axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@dataclass
class Visits:
    """Every page a journey saw, with what axe and the console said about it."""

    problems: dict[str, list[str]] = field(default_factory=dict)
    seen: list[str] = field(default_factory=list)
    unaudited: list[str] = field(default_factory=list)

    def check(self, page: Page, errors: ConsoleErrors) -> None:
        found = axe_violations(page) + [f"console: {e}" for e in errors.take(page=page)]
        self.seen.append(page.url)
        if found:
            self.problems[page.url] = found


@dataclass
class Person:
    page: Page
    errors: ConsoleErrors
    visits: Visits
    javascript: bool = True

    def goto(self, path: str) -> None:
        self.page.goto(path)
        self.checked()

    def checked(self) -> None:
        self.page.wait_for_load_state()
        if self.javascript:
            self.visits.check(self.page, self.errors)
        else:
            self.visits.unaudited.append(self.page.url)

    def audit_unaudited(self, auditor: Person) -> None:
        """Check with axe, in ``auditor``'s JavaScript-enabled browser, what this person saw."""
        urls, self.visits.unaudited = self.visits.unaudited, []
        for url in urls:
            auditor.goto(url)


@pytest.fixture
def people(browser: Browser, base_url: str) -> Iterator[tuple[Visits, list[BrowserContext]]]:
    visits = Visits()
    contexts: list[BrowserContext] = []
    yield visits, contexts
    for context in contexts:
        context.close()
    assert visits.seen, "the journey checked no page"
    assert visits.problems == {}, visits.problems
    assert visits.unaudited == []


def open_as(
    browser: Browser,
    base_url: str,
    people: tuple[Visits, list[BrowserContext]],
    user: User | None,
    *,
    javascript: bool = True,
) -> Person:
    visits, contexts = people
    context = browser.new_context(base_url=base_url, java_script_enabled=javascript)
    contexts.append(context)
    page = context.new_page()
    errors = ConsoleErrors()
    errors.watch(page)
    if user is not None:
        log_in(page, user)
    return Person(page, errors, visits, javascript)


def coordinated(name: str, coordinator: User, **fields: object) -> Community:
    return make_community(name, coordinator=coordinator, **fields)


def test_a_member_asks_to_join_and_a_facilitator_approves(
    browser: Browser, base_url: str, people: tuple[Visits, list[BrowserContext]], staff: User
) -> None:
    facilitator = make_staff("fatou", name="Fatou Facilitator")
    community = coordinated(
        "Urban resilience",
        facilitator,
        slug="urban-resilience",
        visibility=Visibility.ORGANISATION,
        join_policy=JoinPolicy.APPROVAL,
    )
    asker = open_as(browser, base_url, people, staff)
    asker.goto(community.get_absolute_url())
    asker.page.get_by_role("link", name="Ask to join").click()
    asker.checked()
    asker.page.get_by_label("Note to the facilitators").fill("I run the Dakar flood pilot.")
    asker.page.get_by_role("button", name="Send").click()
    expect(asker.page.get_by_text("Your request is sent")).to_be_visible()
    expect(asker.page.get_by_text("Your request to join is waiting")).to_be_visible()
    asker.checked()

    lead = open_as(browser, base_url, people, facilitator)
    lead.goto(community.get_absolute_url())
    lead.page.get_by_role("link", name="1 request to join").click()
    lead.checked()
    request = lead.page.locator("ul.requests li", has_text="Amina Diallo")
    expect(request).to_contain_text("I run the Dakar flood pilot.")
    request.get_by_role("button", name="Approve").click()
    expect(lead.page.get_by_text("Amina Diallo is now a member.")).to_be_visible()
    lead.checked()

    asker.goto(community.get_absolute_url())
    expect(asker.page.get_by_text("You are a member.")).to_be_visible()
    assert Membership.objects.filter(community=community, user=staff).exists()


def test_an_invited_partner_gets_an_account_and_lands_in_the_community(
    browser: Browser, base_url: str, people: tuple[Visits, list[BrowserContext]]
) -> None:
    make_partner_organization()
    facilitator = make_staff("fatou", name="Fatou Facilitator")
    community = coordinated(
        "Cyclone response",
        facilitator,
        slug="cyclone-response",
        visibility=Visibility.PUBLIC,
        membership_type=MembershipType.PARTNERS,
        join_policy=JoinPolicy.INVITATION,
    )
    lead = open_as(browser, base_url, people, facilitator)
    lead.goto(community.get_absolute_url())
    lead.page.get_by_role("link", name="Invite people").click()
    lead.checked()
    lead.page.get_by_label("Email addresses").fill("ana.moyo@molg.go.ke")
    lead.page.get_by_role("button", name="Send the invitations").click()
    expect(lead.page.get_by_text("1 invitations sent.")).to_be_visible()
    lead.checked()

    [message] = [m for m in mail.outbox if m.to == ["ana.moyo@molg.go.ke"]]
    link = re.search(r"https?://\S+/communities/invitations/\S+/", str(message.body))
    assert link is not None, message.body
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]

    invitee = open_as(browser, base_url, people, None)
    invitee.goto("/" + path)
    invitee.page.get_by_label("Your full name").fill("Ana Moyo")
    invitee.page.get_by_label("Choose a password").fill("Sofala-floods-2026!")
    invitee.page.locator("main form button[type=submit]").click()
    expect(invitee.page.locator("h1")).to_have_text("Cyclone response")
    expect(invitee.page.get_by_text("Welcome to Cyclone response.")).to_be_visible()
    expect(invitee.page.get_by_text("You are a member.")).to_be_visible()
    invitee.checked()
    ana = User.objects.get(email="ana.moyo@molg.go.ke")
    assert not ana.is_internal and ana.memberships.get().community == community


def test_the_whos_who_search_by_topic_says_why_a_person_matches(
    browser: Browser, base_url: str, people: tuple[Visits, list[BrowserContext]], staff: User
) -> None:
    water = make_topic("Water and sanitation")
    make_topic("Urban planning")
    expert = make_staff("kofi", name="Kofi Mensah")
    make_claim(expert, water, endorsed_by=(staff,))
    searcher = open_as(browser, base_url, people, staff)
    searcher.goto("/people/")
    searcher.page.get_by_label("Expertise").select_option(label="Water and sanitation")
    searcher.page.locator("main form[role=search] button[type=submit]").click()
    result = searcher.page.locator("ol.people-results li", has_text="Kofi Mensah")
    expect(result).to_contain_text("Why:")
    expect(result).to_contain_text("in Water and sanitation")
    expect(result).to_contain_text("endorsed by 1 colleague")
    expect(searcher.page.locator("ol.people-results li")).to_have_count(1)
    searcher.checked()


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])
def test_joining_an_open_community_takes_one_click(
    browser: Browser,
    base_url: str,
    people: tuple[Visits, list[BrowserContext]],
    staff: User,
    javascript: bool,
) -> None:
    coordinator = make_staff("coco", name="Coco Coordinator")
    community = coordinated(
        "Local governance", coordinator, slug="local-governance", visibility=Visibility.PUBLIC
    )
    joiner = open_as(browser, base_url, people, staff, javascript=javascript)
    joiner.goto(community.get_absolute_url())
    expect(joiner.page.get_by_text("You are looking in.")).to_be_visible()
    join = joiner.page.locator("#membership").get_by_role("button", name="Join")
    if javascript:
        with joiner.page.expect_response(
            lambda r: r.request.method == "POST" and r.request.headers.get("hx-request") == "true"
        ) as answer:
            join.click()
        assert answer.value.status == 200  # a fragment, not a redirect to a full page
    else:
        with joiner.page.expect_navigation():
            join.click()
        expect(joiner.page.get_by_text("Welcome to Local governance.")).to_be_visible()
    expect(joiner.page.locator("#membership")).to_contain_text("You are a member.")
    expect(joiner.page.locator("#membership").get_by_role("button", name="Join")).to_have_count(0)
    joiner.checked()
    if not javascript:
        joiner.audit_unaudited(open_as(browser, base_url, people, staff))
    assert Membership.objects.filter(community=community, user=staff).exists()
    assert community.role_assignments.filter(role=Role.COORDINATOR).count() == 1
