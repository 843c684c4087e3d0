"""Every exchange action: permission, write, history; bad input and refusals change nothing."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.forms.models import model_to_dict
from django.http import Http404
from django.utils import timezone

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.communities.models import Community, Role, Stage, Structure, Visibility
from solex.communities.testing import add_member, make_community
from solex.exchanges import actions
from solex.exchanges.models import (
    CloseReason,
    Connection,
    Exchange,
    ExchangeEvent,
    ExchangeRevision,
    ExchangeSettings,
    ExpertRequest,
    HelpfulMark,
    Reply,
    ReplyRevision,
    Status,
)
from solex.exchanges.testing import make_exchange, make_reply
from solex.taxonomy.models import Topic

pytestmark = pytest.mark.django_db

MODELS: list[type[Model]] = [
    Exchange,
    ExchangeEvent,
    ExchangeRevision,
    ExchangeSettings,
    ExpertRequest,
    HelpfulMark,
    Reply,
    ReplyRevision,
    Connection,
]


def snapshot() -> dict[str, list[dict[str, object]]]:
    return {
        model.__name__: [model_to_dict(row) for row in model._default_manager.order_by("pk")]
        for model in MODELS
    }


@contextmanager
def nothing_changes() -> Iterator[None]:
    before = snapshot()
    yield
    assert snapshot() == before


@dataclass
class Team:
    community: Community
    asker: User
    facilitator: User
    expert: User
    member: User
    outsider: User


@pytest.fixture
def team() -> Team:
    community = make_community("Water and Sanitation", visibility=Visibility.ORGANISATION)
    asker, facilitator, expert, member = (
        make_staff(name) for name in ("asker", "facilitator", "expert", "member")
    )
    add_member(community, asker)
    add_member(community, facilitator, Role.FACILITATOR)
    add_member(community, expert, Role.EXPERT)
    add_member(community, member)
    return Team(community, asker, facilitator, expert, member, make_staff("outsider"))


def ask(team: Team, **fields: object) -> Exchange:
    values: dict[str, object] = {
        "title": "How do we price water for informal settlements?",
        "body": "We are drafting a tariff policy. What worked elsewhere?",
    }
    values.update(fields)
    return actions.ask_query(team.community, actor=team.asker, **values)  # type: ignore[arg-type]


# --- Asking ---------------------------------------------------------------------------------


def test_a_query_waits_for_triage_by_default(team: Team) -> None:
    topic = Topic.objects.create(name="Water tariffs", slug="water-tariffs")
    exchange = ask(team, context="Tried a flat fee.", country="ke", topics=[topic])
    assert exchange.status == Status.TRIAGE
    assert exchange.author == team.asker
    assert exchange.country == "KE"
    assert "<p>We are drafting" in exchange.body_html
    assert "Tried a flat fee." in exchange.context_html
    assert list(exchange.topics.all()) == [topic]
    assert list(exchange.events.values_list("action", flat=True)) == ["asked"]


def test_a_community_without_triage_sends_queries_straight_out(team: Team) -> None:
    actions.update_exchange_settings(
        team.community,
        actor=team.facilitator,
        triage_queries=False,
        reminder_days=2,
        escalation_days=5,
    )
    assert ask(team).status == Status.OPEN


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"body": ""}, "body"),
        ({"body": "x" * 20_001}, "body"),
        ({"needed_by": datetime.date(2000, 1, 1)}, "needed_by"),
        ({"country": "Kenya"}, "country"),
    ],
)
def test_bad_questions_are_refused_clearly(
    team: Team, fields: dict[str, object], field: str
) -> None:
    with nothing_changes(), pytest.raises(ValidationError) as caught:
        ask(team, **fields)
    assert field in caught.value.message_dict


def test_only_members_ask(team: Team) -> None:
    with nothing_changes(), pytest.raises(PermissionDenied):
        actions.ask_query(team.community, actor=team.outsider, title="Anything here?", body="b")


def test_nobody_asks_in_an_archived_community(team: Team) -> None:
    Community.objects.filter(pk=team.community.pk).update(stage=Stage.CLOSED)
    team.community.refresh_from_db()
    with nothing_changes(), pytest.raises(ValidationError):
        ask(team)


def test_a_safe_space_is_invisible_to_outsiders_who_ask(team: Team) -> None:
    Community.objects.filter(pk=team.community.pk).update(visibility=Visibility.MEMBERS)
    team.community.refresh_from_db()
    with nothing_changes(), pytest.raises(Http404):
        actions.ask_query(team.community, actor=team.outsider, title="Anything here?", body="b")


# --- Triage ---------------------------------------------------------------------------------


def test_sharpening_keeps_the_earlier_wording(team: Team) -> None:
    exchange = ask(team)
    actions.sharpen_query(
        exchange,
        actor=team.facilitator,
        title="Pricing water in informal settlements: what worked?",
        body="Which **tariff** designs reached the poorest households?",
        reason="Focused on the poorest households",
    )
    exchange.refresh_from_db()
    assert "<strong>tariff</strong>" in exchange.body_html
    revision = exchange.revisions.get()
    assert revision.title == "How do we price water for informal settlements?"
    assert revision.edited_by == team.facilitator
    assert revision.reason == "Focused on the poorest households"


def test_members_cannot_sharpen_or_release(team: Team) -> None:
    exchange = ask(team)
    with nothing_changes():
        with pytest.raises(PermissionDenied):
            actions.sharpen_query(
                exchange, actor=team.asker, title="Better title", body="b", reason=""
            )
        with pytest.raises(PermissionDenied):
            actions.release_query(exchange, actor=team.member)


def test_release_opens_the_query_once(team: Team) -> None:
    exchange = ask(team)
    actions.release_query(exchange, actor=team.facilitator)
    assert Exchange.objects.get(pk=exchange.pk).status == Status.OPEN
    with nothing_changes(), pytest.raises(ValidationError):
        actions.release_query(exchange, actor=team.facilitator)


def test_merging_a_duplicate_closes_it_and_points_at_the_earlier_query(team: Team) -> None:
    earlier = make_exchange(team.community, author=team.member)
    exchange = ask(team)
    actions.merge_duplicate(exchange, actor=team.facilitator, into=earlier)
    exchange.refresh_from_db()
    assert exchange.status == Status.CLOSED
    assert exchange.close_reason == CloseReason.DUPLICATE
    assert exchange.moved_to == earlier
    with nothing_changes(), pytest.raises(ValidationError):
        actions.merge_duplicate(earlier, actor=team.facilitator, into=earlier)


def test_cannot_merge_across_communities(team: Team) -> None:
    elsewhere = make_exchange(make_community())
    exchange = ask(team)
    with nothing_changes(), pytest.raises(ValidationError):
        actions.merge_duplicate(exchange, actor=team.facilitator, into=elsewhere)


# --- Routing --------------------------------------------------------------------------------


def test_routing_asks_experts_releases_and_starts_the_clock(team: Team) -> None:
    exchange = ask(team)
    made = actions.route_query(
        exchange,
        actor=team.facilitator,
        experts=[team.expert, team.member],
        reasons={team.expert.pk: "endorsed by 4 in Water"},
    )
    assert {request.expert for request in made} == {team.expert, team.member}
    exchange.refresh_from_db()
    assert exchange.status == Status.OPEN
    assert exchange.routed_at is not None
    assert ExpertRequest.objects.get(expert=team.expert).reason == "endorsed by 4 in Water"
    again = actions.route_query(exchange, actor=team.facilitator, experts=[team.expert])
    assert again == []
    assert ExpertRequest.objects.count() == 2


def test_routing_to_a_non_member_is_refused_and_names_them(team: Team) -> None:
    exchange = ask(team)
    with nothing_changes(), pytest.raises(ValidationError) as caught:
        actions.route_query(exchange, actor=team.facilitator, experts=[team.expert, team.outsider])
    assert "Outsider" in str(caught.value.message_dict["experts"])


def test_routing_reaches_members_of_a_sister_network(team: Team) -> None:
    network = make_community("WASH network", structure=Structure.META_NETWORK)
    Community.objects.filter(pk=team.community.pk).update(parent=network)
    team.community.refresh_from_db()
    sister = make_community("Sanitation Asia", parent=network)
    sister_expert = make_staff("sister_expert")
    add_member(sister, sister_expert)
    exchange = ask(team)
    made = actions.route_query(exchange, actor=team.facilitator, experts=[sister_expert])
    assert [request.expert for request in made] == [sister_expert]


def test_only_facilitators_route(team: Team) -> None:
    exchange = ask(team)
    with nothing_changes(), pytest.raises(PermissionDenied):
        actions.route_query(exchange, actor=team.expert, experts=[team.member])


# --- Replies --------------------------------------------------------------------------------


def test_a_reply_updates_counters_clocks_and_the_expert_request(team: Team) -> None:
    exchange = ask(team)
    actions.route_query(exchange, actor=team.facilitator, experts=[team.expert])
    reply = actions.post_reply(exchange, actor=team.expert, body="Use a *rising block* tariff.")
    assert "<em>rising block</em>" in reply.body_html
    exchange.refresh_from_db()
    assert exchange.reply_count == 1
    assert exchange.first_reply_at == reply.created_at
    assert ExpertRequest.objects.get(expert=team.expert).answered_at == reply.created_at
    second = actions.post_reply(exchange, actor=team.member, body="Agreed.", parent=reply)
    exchange.refresh_from_db()
    assert exchange.reply_count == 2
    assert exchange.first_reply_at == reply.created_at
    assert second.parent == reply


def test_the_askers_own_follow_up_does_not_stop_the_first_reply_clock(team: Team) -> None:
    exchange = ask(team)
    actions.release_query(exchange, actor=team.facilitator)
    actions.post_reply(exchange, actor=team.asker, body="Adding: we are in Nairobi.")
    exchange.refresh_from_db()
    assert exchange.first_reply_at is None
    assert exchange.reply_count == 1


def test_replies_wait_for_triage_except_for_facilitators_and_the_asker(team: Team) -> None:
    exchange = ask(team)
    with nothing_changes(), pytest.raises(ValidationError):
        actions.post_reply(exchange, actor=team.member, body="Early answer")
    actions.post_reply(exchange, actor=team.facilitator, body="Could you say which city?")


@pytest.mark.parametrize("body", ["", "   ", "x" * 20_001])
def test_empty_or_oversize_replies_are_refused(team: Team, body: str) -> None:
    exchange = make_exchange(team.community, author=team.asker)
    with nothing_changes(), pytest.raises(ValidationError) as caught:
        actions.post_reply(exchange, actor=team.member, body=body)
    assert "body" in caught.value.message_dict


def test_a_closed_exchange_takes_no_replies(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker)
    actions.close_exchange(exchange, actor=team.facilitator, reason=CloseReason.ANSWERED)
    with nothing_changes(), pytest.raises(ValidationError) as caught:
        actions.post_reply(exchange, actor=team.member, body="Late answer")
    assert "closed" in str(caught.value)


def test_outsiders_cannot_reply(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker)
    with nothing_changes(), pytest.raises(PermissionDenied):
        actions.post_reply(exchange, actor=team.outsider, body="Hello")


def test_editing_a_reply_keeps_its_history(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker)
    reply = actions.post_reply(exchange, actor=team.expert, body="First wording")
    actions.edit_reply(reply, actor=team.expert, body="Second wording")
    reply.refresh_from_db()
    assert reply.body == "Second wording"
    assert reply.edited_at is not None
    assert list(reply.revisions.values_list("body", flat=True)) == ["First wording"]
    with nothing_changes(), pytest.raises(PermissionDenied):
        actions.edit_reply(reply, actor=team.member, body="Hijacked")


def test_the_asker_marks_a_reply_helpful_once(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker)
    reply = make_reply(exchange, team.expert)
    actions.mark_helpful(reply, actor=team.asker)
    actions.mark_helpful(reply, actor=team.asker)
    actions.mark_helpful(reply, actor=team.facilitator)
    assert Reply.objects.get(pk=reply.pk).helpful_count == 2
    actions.unmark_helpful(reply, actor=team.asker)
    actions.unmark_helpful(reply, actor=team.asker)
    assert Reply.objects.get(pk=reply.pk).helpful_count == 1


def test_other_members_and_authors_cannot_mark_helpful(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker)
    reply = make_reply(exchange, team.expert)
    own = make_reply(exchange, team.asker)
    with nothing_changes():
        with pytest.raises(PermissionDenied):
            actions.mark_helpful(reply, actor=team.member)
        with pytest.raises(PermissionDenied):
            actions.mark_helpful(own, actor=team.asker)


# --- Closing, moderation, hand-off ---------------------------------------------------------------------


def test_closing_shows_the_reason(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker)
    actions.close_exchange(
        exchange, actor=team.facilitator, reason=CloseReason.ANSWERED, note="Two good answers."
    )
    exchange.refresh_from_db()
    assert exchange.close_reason == CloseReason.ANSWERED
    assert exchange.close_note == "Two good answers."
    assert exchange.closed_by == team.facilitator
    with nothing_changes(), pytest.raises(ValidationError):
        actions.close_exchange(exchange, actor=team.facilitator, reason=CloseReason.ANSWERED)


def test_the_asker_may_withdraw_but_not_close_otherwise(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker)
    with nothing_changes(), pytest.raises(PermissionDenied):
        actions.close_exchange(exchange, actor=team.asker, reason=CloseReason.ANSWERED)
    with nothing_changes(), pytest.raises(PermissionDenied):
        actions.close_exchange(exchange, actor=team.member, reason=CloseReason.WITHDRAWN)
    actions.close_exchange(exchange, actor=team.asker, reason=CloseReason.WITHDRAWN)
    assert Exchange.objects.get(pk=exchange.pk).close_reason == CloseReason.WITHDRAWN


def test_a_duplicate_close_needs_the_other_exchange(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker)
    with nothing_changes(), pytest.raises(ValidationError):
        actions.close_exchange(exchange, actor=team.facilitator, reason=CloseReason.DUPLICATE)
    with nothing_changes(), pytest.raises(ValidationError):
        actions.close_exchange(exchange, actor=team.facilitator, reason="bored")


def test_hiding_a_reply_keeps_it_with_the_reason(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker)
    reply = make_reply(exchange, team.member, "Buy my product")
    with nothing_changes(), pytest.raises(ValidationError):
        actions.hide_reply(reply, actor=team.facilitator, reason=" ")
    with nothing_changes(), pytest.raises(PermissionDenied):
        actions.hide_reply(reply, actor=team.expert, reason="Advertising")
    actions.hide_reply(reply, actor=team.facilitator, reason="Advertising")
    reply.refresh_from_db()
    assert reply.is_hidden
    assert reply.hidden_reason == "Advertising"
    actions.show_reply(reply, actor=team.facilitator)
    assert not Reply.objects.get(pk=reply.pk).is_hidden


def test_a_locked_exchange_takes_replies_only_from_facilitators(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker)
    actions.lock_exchange(exchange, actor=team.facilitator, reason="Cooling off")
    with nothing_changes(), pytest.raises(ValidationError) as caught:
        actions.post_reply(exchange, actor=team.member, body="But!")
    assert "Cooling off" in str(caught.value)
    actions.post_reply(exchange, actor=team.facilitator, body="Back on Monday.")
    actions.unlock_exchange(exchange, actor=team.facilitator)
    actions.post_reply(exchange, actor=team.member, body="Thanks")


def test_hand_off_copies_into_a_sister_community_and_closes_the_original(team: Team) -> None:
    network = make_community("WASH network", structure=Structure.META_NETWORK)
    Community.objects.filter(pk=team.community.pk).update(parent=network)
    team.community.refresh_from_db()
    sister = make_community("Sanitation Asia", parent=network)
    topic = Topic.objects.create(name="Sanitation", slug="sanitation")
    exchange = ask(team, topics=[topic])
    copy = actions.hand_off(exchange, actor=team.facilitator, to_community=sister, note="Theirs")
    assert copy.community == sister
    assert copy.origin == exchange
    assert copy.title == exchange.title
    assert list(copy.topics.all()) == [topic]
    exchange.refresh_from_db()
    assert exchange.close_reason == CloseReason.HANDED_OFF
    assert exchange.moved_to == copy


def test_hand_off_stays_inside_the_network(team: Team) -> None:
    exchange = ask(team)
    with nothing_changes(), pytest.raises(ValidationError):
        actions.hand_off(exchange, actor=team.facilitator, to_community=make_community())


# --- Direct connect ---------------------------------------------------------------------------------


def test_direct_connect_is_private_until_published_anonymised(team: Team) -> None:
    exchange = actions.ask_direct(
        team.community,
        actor=team.asker,
        title="Conflict with my supervisor",
        body="Who can advise?",
    )
    assert exchange.is_direct_connect
    assert exchange.status == Status.TRIAGE
    assert not Exchange.objects.visible_to(team.member).filter(pk=exchange.pk).exists()
    assert Exchange.objects.visible_to(team.facilitator).filter(pk=exchange.pk).exists()
    made = actions.connect_people(
        exchange, actor=team.facilitator, people=[team.expert], note="She handled this in Dakar."
    )
    assert [connection.person for connection in made] == [team.expert]
    with nothing_changes(), pytest.raises(Http404):
        actions.post_reply(exchange, actor=team.member, body="Nosy")
    actions.publish_anonymised(exchange, actor=team.facilitator)
    exchange.refresh_from_db()
    assert exchange.is_anonymous and not exchange.is_direct_connect
    assert exchange.status == Status.OPEN
    assert Exchange.objects.visible_to(team.member).filter(pk=exchange.pk).exists()


def test_connecting_needs_a_direct_connect_request(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker)
    with nothing_changes(), pytest.raises(ValidationError):
        actions.connect_people(exchange, actor=team.facilitator, people=[team.expert])


def test_settings_are_for_facilitators_and_stay_sane(team: Team) -> None:
    with nothing_changes(), pytest.raises(PermissionDenied):
        actions.update_exchange_settings(
            team.community,
            actor=team.member,
            triage_queries=False,
            reminder_days=3,
            escalation_days=7,
        )
    with nothing_changes(), pytest.raises(ValidationError):
        actions.update_exchange_settings(
            team.community,
            actor=team.facilitator,
            triage_queries=True,
            reminder_days=5,
            escalation_days=4,
        )
    assert actions.exchange_settings(team.community).pk is None


def test_needed_by_today_is_accepted(team: Team) -> None:
    exchange = ask(team, needed_by=timezone.localdate())
    assert exchange.needed_by == timezone.localdate()
