"""The exchange lists cost the same number of queries however many exchanges there are."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from solex.accounts.testing import make_staff
from solex.communities.models import Role, Visibility
from solex.communities.testing import add_member, make_community
from solex.exchanges import api
from solex.exchanges.testing import make_exchange

pytestmark = pytest.mark.django_db


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "url", ["/api/v1/exchanges/", "/api/v1/exchanges/?community=wash", "community-page"]
)
def test_lists_take_a_fixed_number_of_queries(url: str) -> None:
    community = make_community("Water", slug="wash", visibility=Visibility.PUBLIC)
    member = make_staff("member")
    add_member(community, member)
    if url == "community-page":
        url = reverse("exchanges:community-exchanges", args=["wash"])
    client = Client()
    client.force_login(member)
    make_exchange(community, author=member)
    client.get(url)
    few = _queries(client, url)
    for number in range(25):
        make_exchange(community, author=make_staff(), title=f"Question number {number}")
    assert _queries(client, url) == few


def test_the_api_count_stops_at_the_deepest_reachable_page(monkeypatch: Any) -> None:
    community = make_community("Water", slug="wash", visibility=Visibility.PUBLIC)
    for _number in range(5):
        make_exchange(community)
    exact = Client().get("/api/v1/exchanges/").json()
    assert (exact["count"], exact["count_is_exact"]) == (5, True)
    monkeypatch.setattr(api, "MAX_OFFSET", 2)
    monkeypatch.setattr(api, "MAX_LIMIT", 1)
    capped = Client().get("/api/v1/exchanges/?limit=1").json()
    assert (capped["count"], capped["count_is_exact"]) == (3, False)
    assert len(capped["items"]) == 1


def test_the_community_page_hides_others_private_requests_but_not_from_moderators() -> None:
    community = make_community("Water", slug="wash", visibility=Visibility.PUBLIC)
    asker, other, facilitator = make_staff("asker"), make_staff("other"), make_staff("fac")
    for person in (asker, other):
        add_member(community, person)
    add_member(community, facilitator, Role.FACILITATOR)
    make_exchange(community, author=asker, title="My private request", is_direct_connect=True)
    make_exchange(community, author=asker, title="A public question")
    url = reverse("exchanges:community-exchanges", args=["wash"])

    def page(user: Any) -> str:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client.get(url).content.decode()

    assert "My private request" in page(asker)
    assert "My private request" in page(facilitator)
    assert "My private request" not in page(other)
    assert "My private request" not in page(None)
    assert "A public question" in page(None)
