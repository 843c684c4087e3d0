"""Triage: a facilitator answers a query from the library at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.communities.models import Community, Role, Visibility
from solex.communities.testing import add_member, make_community
from solex.core.markdown import render_markdown
from solex.exchanges import actions
from solex.exchanges.models import CloseReason, Exchange, ExchangeEvent, Status
from solex.exchanges.testing import make_exchange
from solex.notifications.models import Notification
from solex.search import actions as search_actions

pytestmark = pytest.mark.django_db


def library_item(community: Community, title: str) -> Any:
    """A knowledge item, indexed for search (knowledge sits above exchanges: by name)."""
    model = apps.get_model("knowledge", "KnowledgeItem")
    item = model.objects.create(
        kind="good_practice",
        title=title,
        summary="Community-led total sanitation, district by district.",
        body="",
        body_html=render_markdown("x"),
        community=community,
        details={
            "problem": "p",
            "approach": "a",
            "results": "r",
            "conditions": "c",
            "contacts": "",
        },
    )
    search_actions.index_objects("knowledge", [item.pk])
    return item


@pytest.fixture
def setup() -> tuple[Community, User, User, Exchange]:
    community = make_community("Sanitation", slug="san", visibility=Visibility.MEMBERS)
    asker, facilitator = make_staff("asker"), make_staff("facilitator")
    add_member(community, asker)
    add_member(community, facilitator, Role.FACILITATOR)
    exchange = make_exchange(
        community, author=asker, title="Ending open defecation in rural districts"
    )
    return community, asker, facilitator, exchange


def test_the_facilitator_finds_an_item_and_closes_the_query_with_it(
    setup: tuple[Community, User, User, Exchange],
) -> None:
    community, asker, facilitator, exchange = setup
    item = library_item(community, "Open defecation free districts: what worked")
    client = Client()
    client.force_login(facilitator)
    url = reverse("exchanges:exchange-library", args=[exchange.pk])
    page = client.get(url, {"q": "open defecation"}).content.decode()
    assert "Open defecation free districts" in page
    document = apps.get_model("search", "Document").objects.get(object_id=item.pk)
    response = client.post(url, {"item": document.pk, "note": "This covers it."})
    assert response.status_code == 302
    exchange.refresh_from_db()
    assert (exchange.status, exchange.close_reason) == (Status.CLOSED, CloseReason.LIBRARY)
    assert exchange.answer_url == item.get_absolute_url()
    assert ExchangeEvent.objects.filter(exchange=exchange, action="library").exists()
    told = Notification.objects.get(recipient=asker)
    assert "Answered from the library" in told.text
    client.force_login(asker)
    shown = client.get(exchange.get_absolute_url()).content.decode()
    assert f'href="{item.get_absolute_url()}"' in shown
    assert "This covers it." in shown


def test_an_item_the_facilitator_cannot_see_is_refused(
    setup: tuple[Community, User, User, Exchange],
) -> None:
    _community, _asker, facilitator, exchange = setup
    elsewhere = make_community("Secret", slug="secret", visibility=Visibility.MEMBERS)
    item = library_item(elsewhere, "A safe space's own practice")
    document = apps.get_model("search", "Document").objects.get(object_id=item.pk)
    client = Client()
    client.force_login(facilitator)
    url = reverse("exchanges:exchange-library", args=[exchange.pk])
    response = client.post(url, {"item": document.pk, "note": "Keep this note"})
    assert response.status_code == 200
    assert "Choose an item of the library." in response.content.decode()
    assert "Keep this note" in response.content.decode()
    exchange.refresh_from_db()
    assert exchange.status == Status.OPEN


def test_only_facilitators_and_only_open_queries(
    setup: tuple[Community, User, User, Exchange],
) -> None:
    _community, asker, facilitator, exchange = setup
    with pytest.raises(PermissionDenied):
        actions.answer_from_library(exchange, actor=asker, title="T", url="/knowledge/1/")
    with pytest.raises(ValidationError, match="this site"):
        actions.answer_from_library(
            exchange, actor=facilitator, title="T", url="https://evil.example/"
        )
    actions.answer_from_library(exchange, actor=facilitator, title="T", url="/knowledge/1/")
    with pytest.raises(ValidationError, match="already closed"):
        actions.answer_from_library(exchange, actor=facilitator, title="T", url="/knowledge/1/")
