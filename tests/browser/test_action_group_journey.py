"""An action group from a query to its recorded outcome, in a real browser.

Every page visited is checked with axe (zero violations) and the console is watched.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, expect

from solex.accounts.testing import make_staff
from solex.collaboration.models import ActionGroup, Task
from solex.communities.models import Role, Visibility
from solex.communities.testing import add_member, make_community
from solex.exchanges.models import Status
from solex.exchanges.testing import make_exchange
from solex.knowledge.models import KnowledgeItem
from tests.browser.test_journeys import Visits, open_as, people  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_query_spawns_an_action_group_that_closes_with_an_outcome(
    browser: Browser,
    base_url: str,
    people: tuple[Visits, list[BrowserContext]],  # noqa: F811
) -> None:
    community = make_community(
        "Social Protection Network", slug="sp-network", visibility=Visibility.ORGANISATION
    )
    lead_user = make_staff("moussa", name="Moussa Traore")
    ana_user = make_staff("ana", name="Ana Lima")
    add_member(community, lead_user, Role.FACILITATOR)
    add_member(community, ana_user)
    query = make_exchange(
        community,
        author=ana_user,
        title="How do we make cash transfers shock-responsive in the Sahel?",
        body="We need to scale up quickly when the lean season is bad.",
    )
    note = KnowledgeItem.objects.create(
        kind=KnowledgeItem.Kind.GOOD_PRACTICE,
        title="Pre-registering households for drought cash",
        summary="Register before the shock.",
        community=community,
    )

    # The query's page leads to a new group; the lead names its purpose, dates and members.
    lead = open_as(browser, base_url, people, lead_user)
    lead.goto(query.get_absolute_url())
    lead.goto(f"/collaboration/from/{query.pk}/")
    lead.page.get_by_label("Name of the group").fill("Sahel shock-responsive cash task team")
    lead.page.get_by_label("Kind").select_option("task_team")
    lead.page.get_by_label("Purpose").fill("Write a two-page guidance note for country offices.")
    today = timezone.localdate()
    lead.page.get_by_label("Starts").fill(today.isoformat())
    lead.page.get_by_label("Ends").fill((today + datetime.timedelta(days=60)).isoformat())
    lead.page.get_by_label("Members").fill("ana")
    lead.page.get_by_role("button", name="Start the group").click()
    expect(lead.page.get_by_text("The group is started")).to_be_visible()
    lead.checked()
    group = ActionGroup.objects.get()
    assert group.source == query
    expect(lead.page.get_by_role("link", name=query.title)).to_be_visible()

    # A task is assigned to Ana, who hears of it and completes it.
    lead.page.get_by_role("textbox", name="Task:").fill("Draft the guidance note")
    lead.page.get_by_label("Owner").select_option(label="Ana Lima")
    lead.page.get_by_label("Due").fill((today + datetime.timedelta(days=14)).isoformat())
    lead.page.get_by_role("button", name="Add the task").click()
    expect(lead.page.get_by_text("Task added.")).to_be_visible()
    lead.checked()

    ana = open_as(browser, base_url, people, ana_user)
    ana.goto("/notifications/")
    expect(ana.page.get_by_text("gave you a task")).to_be_visible()
    ana.page.get_by_role("link", name="Draft the guidance note").click()
    ana.checked()
    task = Task.objects.get()
    ana.page.locator(f"#status-{task.pk}").select_option("done")
    ana.page.locator(f"#task-{task.pk}").get_by_role("button", name="Update").click()
    expect(ana.page.get_by_text("is now: Done")).to_be_visible()
    ana.checked()
    task.refresh_from_db()
    assert task.status == Task.Status.DONE

    # The deliverable is linked to the library, then the group closes with its outcome.
    lead.goto(group.exchange.get_absolute_url())
    lead.page.get_by_label("Knowledge item").select_option(label=note.title)
    lead.page.get_by_role("button", name="Link it").click()
    expect(lead.page.get_by_text("Deliverable linked.")).to_be_visible()
    lead.checked()
    lead.page.get_by_role("link", name="Close with the outcome").click()
    lead.checked()
    lead.page.locator("textarea[name=outcome]").fill(
        "The guidance note was adopted by three country offices."
    )
    lead.page.get_by_label("Publish the outcome in the library").check()
    lead.page.get_by_label("Summary for the library").fill("Guidance on shock-responsive cash.")
    lead.page.get_by_role("button", name="Record the outcome and close").click()
    expect(lead.page.get_by_text("The group is closed")).to_be_visible()
    expect(lead.page.get_by_text("adopted by three country offices")).to_be_visible()
    lead.checked()
    group.exchange.refresh_from_db()
    assert group.exchange.status == Status.CLOSED
    outcome = KnowledgeItem.objects.get(kind=KnowledgeItem.Kind.ACTION_GROUP_OUTCOME)
    ana.goto(outcome.get_absolute_url())
    expect(ana.page.get_by_role("heading", level=1)).to_have_text(outcome.title)
