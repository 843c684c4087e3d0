"""The exchange pages: asking, reading, replying and facilitating through the web."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.communities.models import Community, Role, Visibility
from solex.communities.testing import add_member, make_community
from solex.exchanges import actions
from solex.exchanges.models import Exchange, ExpertRequest, HelpfulMark, Reply, Status
from solex.exchanges.testing import make_exchange, make_reply
from solex.expertise import ledger
from solex.taxonomy.models import Topic

pytestmark = pytest.mark.django_db


@dataclass
class Team:
    community: Community
    asker: User
    facilitator: User
    expert: User
    member: User


@pytest.fixture
def team() -> Team:
    community = make_community("Water and Sanitation", slug="wash", visibility=Visibility.MEMBERS)
    asker, facilitator, expert, member = (
        make_staff(name) for name in ("asker", "facilitator", "expert", "member")
    )
    add_member(community, asker)
    add_member(community, facilitator, Role.FACILITATOR)
    add_member(community, expert, Role.EXPERT)
    add_member(community, member)
    return Team(community, asker, facilitator, expert, member)


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_community_page_links_to_its_exchanges(team: Team) -> None:
    body = client_for(team.member).get(team.community.get_absolute_url()).content.decode()
    assert reverse("exchanges:community-exchanges", args=["wash"]) in body
    assert reverse("exchanges:exchange-ask", args=["wash"]) in body


def test_asking_through_the_form_sends_the_query_to_triage(team: Team) -> None:
    topic = Topic.objects.create(name="Water", slug="water")
    response = client_for(team.asker).post(
        reverse("exchanges:exchange-ask", args=["wash"]),
        {
            "title": "Tariffs for informal settlements",
            "body": "What worked?",
            "country": "KE",
            "topics": [topic.pk],
        },
    )
    exchange = Exchange.objects.get()
    assert response.status_code == 302
    assert response["Location"] == exchange.get_absolute_url()
    assert exchange.status == Status.TRIAGE
    assert list(exchange.topics.all()) == [topic]


def test_a_refused_question_keeps_what_was_typed(team: Team) -> None:
    response = client_for(team.asker).post(
        reverse("exchanges:exchange-ask", args=["wash"]),
        {
            "title": "Tariffs for informal settlements",
            "body": "What worked?",
            "needed_by": "2001-01-01",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "in the past" in body
    assert "Tariffs for informal settlements" in body
    assert not Exchange.objects.exists()


def test_similar_questions_show_without_javascript_and_as_a_fragment(team: Team) -> None:
    earlier = make_exchange(
        team.community, title="Water tariffs for informal settlements in Nairobi", status="closed"
    )
    make_exchange(team.community, title="Community radio for elections")
    hidden = make_exchange(
        make_community(visibility=Visibility.MEMBERS), title="Water tariffs secret"
    )
    data = {"title": "Informal settlements water tariffs", "body": "", "check": "1"}
    response = client_for(team.asker).post(reverse("exchanges:exchange-ask", args=["wash"]), data)
    body = response.content.decode()
    assert earlier.title in body
    assert hidden.title not in body
    assert "Community radio" not in body
    assert "Informal settlements water tariffs" in body  # the typed title is kept
    assert not Exchange.objects.filter(title=data["title"]).exists()
    fragment = client_for(team.asker).get(
        reverse("exchanges:exchange-similar", args=["wash"]),
        {"title": "tariffs in informal settlements"},
        headers={"HX-Request": "true"},
    )
    assert earlier.title in fragment.content.decode()
    assert "<html" not in fragment.content.decode()


def test_the_exchange_page_with_100_replies_takes_a_fixed_number_of_queries(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker)
    for number in range(5):
        make_reply(exchange, team.expert, f"Reply {number}")
    client = client_for(team.member)
    with CaptureQueriesContext(connection) as few:
        assert client.get(exchange.get_absolute_url()).status_code == 200
    for number in range(95):
        make_reply(exchange, make_staff(), f"Later reply {number}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(exchange.get_absolute_url())
    assert response.content.decode().count('class="reply"') == 100
    assert len(many) == len(few)


def test_the_exchange_list_takes_a_fixed_number_of_queries(team: Team) -> None:
    client = client_for(team.member)
    make_exchange(team.community, author=team.asker)
    with CaptureQueriesContext(connection) as few:
        assert (
            client.get(reverse("exchanges:community-exchanges", args=["wash"])).status_code == 200
        )
    for _number in range(20):
        make_exchange(team.community, author=make_staff())
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("exchanges:community-exchanges", args=["wash"]))
    assert "21 exchanges" in response.content.decode()
    assert len(many) == len(few)


def test_the_list_filters_by_kind_status_and_topic(team: Team) -> None:
    topic = Topic.objects.create(name="Sanitation", slug="sanitation")
    make_exchange(team.community, title="Tagged open query", topics=[topic])
    make_exchange(team.community, title="Closed query", status="closed")
    make_exchange(team.community, title="A consultation", kind="consultation")
    url = reverse("exchanges:community-exchanges", args=["wash"])
    body = (
        client_for(team.member).get(url, {"status": "open", "topic": "sanitation"}).content.decode()
    )
    assert "Tagged open query" in body
    assert "Closed query" not in body
    assert "A consultation" not in body


def test_a_failed_reply_keeps_its_text(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker)
    actions.close_exchange(exchange, actor=team.facilitator, reason="answered")
    response = client_for(team.member).post(
        reverse("exchanges:exchange-reply", args=[exchange.pk]),
        {"body": "My late but careful answer"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "My late but careful answer" in body
    assert "closed" in body
    assert not Reply.objects.exists()


def test_replying_and_marking_helpful(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker)
    response = client_for(team.expert).post(
        reverse("exchanges:exchange-reply", args=[exchange.pk]), {"body": "Rising block tariffs."}
    )
    assert response.status_code == 302
    reply = Reply.objects.get()
    response = client_for(team.asker).post(
        reverse("exchanges:reply-helpful", args=[reply.pk]), headers={"HX-Request": "true"}
    )
    assert "found helpful once" in response.content.decode()
    assert HelpfulMark.objects.filter(reply=reply, user=team.asker).exists()
    assert (
        client_for(team.member)
        .post(reverse("exchanges:reply-helpful", args=[reply.pk]))
        .status_code
        == 403
    )


def test_facilitators_see_suggestions_with_reasons_and_route(team: Team) -> None:
    topic = Topic.objects.create(name="Water", slug="water")
    team.expert.expertise_claims.create(topic=topic, level=3, source="declared")
    ledger.refresh()  # what the worker does every few minutes
    exchange = make_exchange(
        team.community, author=team.asker, topics=[topic], status=Status.TRIAGE
    )
    page = client_for(team.facilitator).get(exchange.get_absolute_url()).content.decode()
    assert "declares expert knowledge of Water" in page
    assert "Ask the chosen people" in page
    member_page = client_for(team.member).get(exchange.get_absolute_url()).content.decode()
    assert "Ask the chosen people" not in member_page
    response = client_for(team.facilitator).post(
        reverse("exchanges:exchange-route", args=[exchange.pk]),
        {
            "experts": [team.expert.pk],
            f"reason-{team.expert.pk}": "declares expert knowledge of Water",
        },
    )
    assert response.status_code == 302
    request = ExpertRequest.objects.get()
    assert request.expert == team.expert
    assert request.reason == "declares expert knowledge of Water"
    assert Exchange.objects.get(pk=exchange.pk).status == Status.OPEN


def test_the_asker_sees_the_earlier_wording(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker, title="Old wording of the question")
    client_for(team.facilitator).post(
        reverse("exchanges:exchange-sharpen", args=[exchange.pk]),
        {"title": "New wording of the question", "body": "Sharper", "reason": "clearer"},
    )
    page = client_for(team.asker).get(exchange.get_absolute_url()).content.decode()
    assert "New wording of the question" in page
    assert "Old wording of the question" in page
    other = client_for(team.member).get(exchange.get_absolute_url()).content.decode()
    assert "Old wording of the question" not in other


def test_closing_shows_the_reason_on_the_page(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker)
    response = client_for(team.facilitator).post(
        reverse("exchanges:exchange-close", args=[exchange.pk]),
        {"reason": "answered", "note": "Two good answers above."},
    )
    assert response.status_code == 302
    page = client_for(team.member).get(exchange.get_absolute_url()).content.decode()
    assert "Answered in the thread" in page
    assert "Two good answers above." in page


def test_a_direct_connect_request_is_404_to_other_members(team: Team) -> None:
    response = client_for(team.asker).post(
        reverse("exchanges:exchange-direct", args=["wash"]),
        {"title": "Trouble with my supervisor", "body": "Who could advise me?"},
    )
    exchange = Exchange.objects.get()
    assert response["Location"] == exchange.get_absolute_url()
    assert client_for(team.member).get(exchange.get_absolute_url()).status_code == 404
    assert (
        client_for(team.expert)
        .post(reverse("exchanges:exchange-reply", args=[exchange.pk]), {"body": "x"})
        .status_code
        == 404
    )
    assert client_for(team.asker).get(exchange.get_absolute_url()).status_code == 200
    assert client_for(team.facilitator).get(exchange.get_absolute_url()).status_code == 200
    listing = client_for(team.member).get(reverse("exchanges:community-exchanges", args=["wash"]))
    assert "Trouble with my supervisor" not in listing.content.decode()
    client_for(team.facilitator).post(reverse("exchanges:exchange-publish", args=[exchange.pk]))
    page = client_for(team.member).get(exchange.get_absolute_url()).content.decode()
    assert "asked by a member" in page
    assert team.asker.name not in page


def test_a_safe_space_exchange_is_404_to_outsiders(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker)
    reply = make_reply(exchange, team.expert)
    outsider = client_for(make_staff("outsider"))
    assert outsider.get(exchange.get_absolute_url()).status_code == 404
    assert outsider.post(reverse("exchanges:reply-helpful", args=[reply.pk])).status_code == 404
    assert client_for(None).get(exchange.get_absolute_url()).status_code == 404
