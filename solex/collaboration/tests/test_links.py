"""Members reach the other kinds of exchange, and action groups, from the pages they use."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from solex.accounts.testing import make_staff
from solex.communities.testing import add_member, make_community
from solex.exchanges.testing import make_exchange

pytestmark = pytest.mark.django_db


def test_the_community_page_links_to_its_consultations_discussions_and_groups() -> None:
    community = make_community("Social Protection Network", slug="sp-net", visibility="public")
    page = Client().get(reverse("communities:community-detail", args=[community.slug])).text
    for name in ("community-consultations", "community-discussions", "community-groups"):
        app = {"community-groups": "collaboration"}.get(name, name.removeprefix("community-"))
        assert reverse(f"{app}:{name}", args=[community.slug]) in page


@pytest.mark.parametrize("kind", ["query", "consultation"])
def test_members_can_start_an_action_group_from_a_query_or_a_consultation(kind: str) -> None:
    community = make_community("Social Protection Network", slug="sp-net", visibility="public")
    member, outsider = make_staff("member"), make_staff("outsider")
    add_member(community, member)
    exchange = make_exchange(community, author=member, kind=kind, title="Cash in floods")
    start = reverse("collaboration:action-group-start", args=[exchange.pk])

    client = Client()
    client.force_login(member)
    assert start in client.get(exchange.get_absolute_url()).text
    client.force_login(outsider)
    assert start not in client.get(exchange.get_absolute_url()).text
