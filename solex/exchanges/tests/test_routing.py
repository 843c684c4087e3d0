"""Expert suggestions on realistic data: the best-qualified first, the overloaded lower, reasons given."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from solex.accounts.models import User
from solex.accounts.testing import make_partner, make_staff
from solex.communities.models import Community, Role, Structure, Visibility
from solex.communities.testing import add_member, make_community
from solex.exchanges import routing
from solex.exchanges.models import Exchange, ExpertRequest, HelpfulMark
from solex.exchanges.routing import Suggestion
from solex.exchanges.testing import make_exchange, make_reply
from solex.expertise import ledger
from solex.taxonomy.models import Topic

pytestmark = pytest.mark.django_db

DECLARED = "declared"


def claim(person: User, topic: Topic, level: int, *, endorsers: int = 0) -> None:
    made = person.expertise_claims.create(topic=topic, level=level, source=DECLARED)
    for number in range(endorsers):
        made.endorsements.create(endorser=make_staff(f"endorser_{person.username}_{number}"))


def helpful_replies(person: User, community: Community, topic: Topic, count: int) -> None:
    marker = make_staff(f"marker_{person.username}")
    for _number in range(count):
        past = make_exchange(community, topics=[topic], status="closed")
        reply = make_reply(past, person, helpful_count=1)
        HelpfulMark.objects.create(reply=reply, user=marker)


def suggest_experts(exchange: Exchange, *, limit: int = 10) -> list[Suggestion]:
    """Suggestions once the worker has read the new evidence into the ledger."""
    ledger.refresh()
    return routing.suggest_experts(exchange, limit=limit)


def load(person: User, community: Community, times: int) -> None:
    for _number in range(times):
        ExpertRequest.objects.create(
            exchange=make_exchange(community), expert=person, requested_at=timezone.now()
        )


@pytest.fixture
def water() -> tuple[Topic, Topic]:
    water = Topic.objects.create(name="Water", slug="water")
    tariffs = Topic.objects.create(name="Water tariffs", slug="water-tariffs", parent=water)
    return water, tariffs


def test_the_best_qualified_expert_ranks_first_with_reasons(water: tuple[Topic, Topic]) -> None:
    topic, tariffs = water
    community = make_community("WASH", visibility=Visibility.ORGANISATION)
    asker = make_staff("asker", country="SN", region="africa", languages=["fr", "en"])
    add_member(community, asker)
    seasoned = make_staff("seasoned", name="Fatou Ndiaye", country="SN", languages=["fr", "en"])
    add_member(community, seasoned, Role.EXPERT)
    claim(seasoned, tariffs, 3, endorsers=4)
    helpful_replies(seasoned, community, topic, 3)
    novice = make_staff("novice", name="Nora Novice", country="US", region="north_america")
    add_member(community, novice)
    claim(novice, topic, 1)
    bystander = make_staff("bystander", country="SN")
    add_member(community, bystander)
    outsider = make_staff("outsider")
    claim(outsider, topic, 3, endorsers=2)

    exchange = make_exchange(community, author=asker, topics=[topic], country="SN")
    suggestions = suggest_experts(exchange)

    assert [s.person for s in suggestions] == [seasoned, novice]
    best = suggestions[0]
    assert best.reasons == [
        "answered 3 similar queries",
        "replies marked helpful 3 times",
        "endorsed by 4 colleagues",
        "declares expert knowledge of Water tariffs",
        "active on this in the last three months",
        "an expert of this community",
        "speaks French",
        "based in Senegal",
    ]
    assert suggestions[1].reasons == ["knows about Water"]
    assert best.score > suggestions[1].score > 0


def test_an_overloaded_expert_drops_below_an_equal_one(water: tuple[Topic, Topic]) -> None:
    topic, _tariffs = water
    community = make_community()
    busy = make_staff("busy", name="Busy Bee")
    free = make_staff("free", name="Zara Free")
    for person in (busy, free):
        add_member(community, person)
        claim(person, topic, 3, endorsers=1)
    load(busy, community, 2)
    exchange = make_exchange(community, author=make_staff(), topics=[topic])

    suggestions = suggest_experts(exchange)

    assert [s.person for s in suggestions] == [free, busy]
    assert "asked twice this month" in suggestions[1].reasons
    assert suggestions[0].score - suggestions[1].score == pytest.approx(4.0)


def test_old_requests_do_not_count_as_load(water: tuple[Topic, Topic]) -> None:
    topic, _tariffs = water
    community = make_community()
    expert = make_staff("expert")
    add_member(community, expert)
    claim(expert, topic, 2)
    ExpertRequest.objects.create(
        exchange=make_exchange(community),
        expert=expert,
        requested_at=timezone.now() - datetime.timedelta(days=45),
    )
    exchange = make_exchange(community, author=make_staff(), topics=[topic])
    assert suggest_experts(exchange)[0].reasons == ["knows about Water"]


def test_people_already_asked_and_the_asker_are_left_out(water: tuple[Topic, Topic]) -> None:
    topic, _tariffs = water
    community = make_community()
    asker, asked = make_staff("asker"), make_staff("asked")
    for person in (asker, asked):
        add_member(community, person)
        claim(person, topic, 3)
    exchange = make_exchange(community, author=asker, topics=[topic])
    ExpertRequest.objects.create(exchange=exchange, expert=asked)
    assert suggest_experts(exchange) == []


def test_sister_communities_lend_experts_unless_the_query_is_a_safe_space(
    water: tuple[Topic, Topic],
) -> None:
    topic, _tariffs = water
    network = make_community("WASH network", structure=Structure.META_NETWORK)
    here = make_community("WASH Africa", parent=network, visibility=Visibility.ORGANISATION)
    sister = make_community("WASH Asia", parent=network)
    staff_expert, partner_expert = make_staff("staff_expert"), make_partner("partner_expert")
    for person in (staff_expert, partner_expert):
        add_member(sister, person)
        claim(person, topic, 3)
    exchange = make_exchange(here, author=make_staff(), topics=[topic])

    suggestions = suggest_experts(exchange)

    assert [s.person for s in suggestions] == [staff_expert]
    assert "member of WASH Asia" in suggestions[0].reasons
    Community.objects.filter(pk=here.pk).update(visibility=Visibility.MEMBERS)
    exchange = Exchange.objects.select_related("community").get(pk=exchange.pk)
    assert suggest_experts(exchange) == []


def test_the_number_of_queries_does_not_grow_with_candidates(water: tuple[Topic, Topic]) -> None:
    topic, _tariffs = water
    community = make_community()

    def count_queries() -> int:
        exchange = make_exchange(community, author=make_staff(), topics=[topic])
        ledger.refresh()
        with CaptureQueriesContext(connection) as queries:
            routing.suggest_experts(exchange)
        return len(queries)

    for number in range(3):
        person = make_staff(f"early_{number}", languages=["fr"])
        add_member(community, person, Role.EXPERT)
        claim(person, topic, 2, endorsers=1)
    few = count_queries()
    for number in range(20):
        person = make_staff(f"late_{number}", languages=["es"])
        add_member(community, person)
        claim(person, topic, 1)
        helpful_replies(person, community, topic, 1)
        load(person, community, 1)
    assert count_queries() == few
