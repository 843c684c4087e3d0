"""The exchanges API: the same actions as the pages, typed, with JSON errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.communities.models import Community, Role, Visibility
from solex.communities.testing import add_member, make_community
from solex.exchanges.models import Exchange, ExpertRequest, Reply, Status
from solex.exchanges.testing import make_exchange, make_reply
from solex.taxonomy.models import Topic

pytestmark = pytest.mark.django_db
API = "/api/v1/exchanges"


def call(user: User | None, method: str, path: str, data: dict[str, Any] | None = None) -> Any:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.generic(
        method, API + path, json.dumps(data or {}), content_type="application/json"
    )


@pytest.fixture
def community() -> Community:
    return make_community("Water", slug="water", visibility=Visibility.PUBLIC)


def test_asking_replying_and_marking_helpful(community: Community) -> None:
    asker, expert = make_staff("asker"), make_staff("expert")
    add_member(community, asker)
    add_member(community, expert)
    Topic.objects.create(name="Tariffs", slug="tariffs")
    response = call(
        asker,
        "POST",
        "/",
        {
            "community": "water",
            "title": "Pricing water fairly",
            "body": "What worked?",
            "topics": ["tariffs"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "triage"
    assert body["topics"] == ["tariffs"]
    exchange_id = body["id"]
    # Still in triage: other members are told why, with 409 and the standard body.
    refused = call(expert, "POST", f"/{exchange_id}/replies", {"body": "Early"})
    assert refused.status_code == 409
    assert "waiting for a facilitator" in refused.json()["detail"]
    Exchange.objects.filter(pk=exchange_id).update(status=Status.OPEN)
    reply = call(expert, "POST", f"/{exchange_id}/replies", {"body": "Rising block tariffs."})
    assert reply.status_code == 201
    reply_id = reply.json()["id"]
    marked = call(asker, "POST", f"/replies/{reply_id}/helpful")
    assert marked.json()["helpful_count"] == 1
    assert call(expert, "POST", f"/replies/{reply_id}/helpful").status_code == 403
    listing = call(None, "GET", f"/{exchange_id}/replies").json()
    assert [item["body"] for item in listing["items"]] == ["Rising block tariffs."]
    assert call(None, "GET", "/?community=water").json()["count"] == 1


def test_schema_invalid_input_is_422_and_rule_breaking_input_is_409(community: Community) -> None:
    asker = make_staff("asker")
    add_member(community, asker)
    assert (
        call(
            asker, "POST", "/", {"community": "water", "title": "x" * 201, "body": "b"}
        ).status_code
        == 422
    )
    refused = call(
        asker,
        "POST",
        "/",
        {"community": "water", "title": "Valid title", "body": "b", "needed_by": "2001-01-01"},
    )
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["loc"] == ["body", "needed_by"]
    assert not Exchange.objects.exists()


def test_facilitators_get_suggestions_and_route(community: Community) -> None:
    facilitator, expert, member = (
        make_staff("facilitator"),
        make_staff("expert"),
        make_staff("member"),
    )
    add_member(community, facilitator, Role.FACILITATOR)
    add_member(community, expert, Role.EXPERT)
    add_member(community, member)
    exchange = make_exchange(community, author=member, status=Status.TRIAGE)
    suggestions = call(facilitator, "GET", f"/{exchange.pk}/suggestions").json()
    assert suggestions[0]["person"]["username"] == "expert"
    assert "an expert of this community" in suggestions[0]["reasons"]
    assert call(member, "GET", f"/{exchange.pk}/suggestions").status_code == 403
    routed = call(
        facilitator,
        "POST",
        f"/{exchange.pk}/route",
        {"experts": ["expert"], "reasons": {"expert": "why"}},
    )
    assert routed.status_code == 200
    assert routed.json()[0]["reason"] == "why"
    outsider = make_staff("outsider")
    refused = call(facilitator, "POST", f"/{exchange.pk}/route", {"experts": [outsider.username]})
    assert refused.status_code == 409
    assert ExpertRequest.objects.count() == 1


def test_closing_and_hidden_replies(community: Community) -> None:
    facilitator, member = make_staff("facilitator"), make_staff("member")
    add_member(community, facilitator, Role.FACILITATOR)
    add_member(community, member)
    exchange = make_exchange(community, author=member)
    make_reply(exchange, member, "Spam", is_hidden=True, hidden_reason="Advertising")
    listing = call(None, "GET", f"/{exchange.pk}/replies").json()
    assert listing["items"][0]["body"] == ""
    assert listing["items"][0]["hidden_reason"] == "Advertising"
    closed = call(
        facilitator, "POST", f"/{exchange.pk}/close", {"reason": "answered", "note": "Done"}
    )
    assert closed.json()["close_reason"] == "answered"
    assert (
        call(facilitator, "POST", f"/{exchange.pk}/close", {"reason": "answered"}).status_code
        == 409
    )
    late = call(member, "POST", f"/{exchange.pk}/replies", {"body": "Late"})
    assert late.status_code == 409
    assert Reply.objects.count() == 1


def test_private_exchanges_are_404(community: Community) -> None:
    asker, member = make_staff("asker"), make_staff("member")
    add_member(community, asker)
    add_member(community, member)
    exchange = make_exchange(community, author=asker, is_direct_connect=True)
    assert call(member, "GET", f"/{exchange.pk}").status_code == 404
    assert call(None, "GET", f"/{exchange.pk}").status_code == 404
    assert call(asker, "GET", f"/{exchange.pk}").status_code == 200
    assert call(member, "GET", "/").json()["count"] == 0


def test_asking_a_community_that_does_not_exist_answers_404_as_documented() -> None:
    asker = make_staff("asker")

    response = call(asker, "POST", "/", {"community": "nowhere", "title": "Q?", "body": "Q?"})

    assert response.status_code == 404
    assert (
        "404"
        in Client()
        .get("/api/v1/openapi.json")
        .json()["paths"]["/api/v1/exchanges/"]["post"]["responses"]
    )
    assert not Exchange.objects.exists()
