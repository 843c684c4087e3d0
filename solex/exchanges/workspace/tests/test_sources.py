"""Higher apps add their own waiting work to the queue through SOLEX_WORKSPACE_SOURCES."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone

from solex.communities.models import Membership
from solex.exchanges.models import Kind, Status
from solex.exchanges.testing import make_exchange
from solex.exchanges.workspace import queries
from solex.exchanges.workspace.tests.conftest import Team

pytestmark = pytest.mark.django_db


def summary_due_source(context: queries.QueueContext) -> list[queries.QueueItem]:
    """What a discussions app would add: one summary due per community."""
    return [
        queries.QueueItem(
            "summary_due",
            context.now - timedelta(days=8),
            community,
            "Weekly summary of the e-discussion",
            community.get_absolute_url(),
            kind_label="Summary due",
        )
        for community in context.communities
    ]


SOURCES = [
    *settings.SOLEX_WORKSPACE_SOURCES,
    "solex.exchanges.workspace.tests.test_sources.summary_due_source",
]


def test_a_higher_apps_source_joins_the_queue_in_age_order(team: Team) -> None:
    Membership.objects.filter(community=team.community).update(
        joined_at=timezone.now() - timedelta(days=60)
    )
    make_exchange(
        team.community,
        author=team.asker,
        status=Status.TRIAGE,
        created_at=timezone.now() - timedelta(days=1),
    )
    with override_settings(SOLEX_WORKSPACE_SOURCES=SOURCES):
        work = queries.queue(team.facilitator)
        client = Client()
        client.force_login(team.facilitator)
        page = client.get("/facilitation/").content.decode()
    assert [item.kind for item in work.items] == ["summary_due", queries.ItemKind.TRIAGE]
    assert work.items[0].label == "Summary due"
    assert work.labels == {"summary_due": "Summary due", "triage": "New query to triage"}
    assert "Weekly summary of the e-discussion" in page
    assert "Summary due: 1" in page
    assert "waiting 1\xa0week" in page


def test_a_consultation_closing_soon_is_in_the_queue_generically(team: Team) -> None:
    Membership.objects.filter(community=team.community).update(
        joined_at=timezone.now() - timedelta(days=60)
    )
    make_exchange(
        team.community,
        kind=Kind.CONSULTATION,
        title="Draft gender policy",
        closes_at=timezone.now() + timedelta(days=1),
    )
    work = queries.queue(team.facilitator)
    assert [(item.kind, item.title) for item in work.items] == [
        (queries.ItemKind.CLOSING_SOON, "Draft gender policy")
    ]
