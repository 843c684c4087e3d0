"""The demo's exchanges: every kind and state, counters that match the rows, posts where allowed."""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Max, Min

from solex.accounts.models import User
from solex.communities.models import Community, Membership, MembershipType, Visibility
from solex.core.markdown import render_markdown
from solex.demo.build import build_demo
from solex.demo.exchanges import SHOWCASE_REPLIES
from solex.exchanges.models import (
    CloseReason,
    Exchange,
    ExchangeEvent,
    ExpertRequest,
    HelpfulMark,
    Kind,
    Reply,
    Status,
)

pytestmark = pytest.mark.django_db

SCALE = {"members": 150, "posts": 3000}


def build(**scale: int) -> None:
    build_demo(stderr=io.StringIO(), scale={**SCALE, **scale})


def snapshot() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], int, int]:
    """What two builds must agree on, in insertion order, without ids or absolute times."""
    exchanges = list(
        Exchange.objects.order_by("pk").values_list(
            "community__slug", "kind", "title", "body", "author__username", "status", "close_reason",
            "reply_count", "is_direct_connect", "moved_to__title",
        )
    )  # fmt: skip
    replies = list(
        Reply.objects.order_by("pk").values_list(
            "exchange__title", "author__username", "body", "paragraph", "helpful_count"
        )
    )
    return exchanges, replies, HelpfulMark.objects.count(), ExpertRequest.objects.count()


def test_the_posts_flag_builds_that_many_exchanges_and_replies() -> None:
    out, err = io.StringIO(), io.StringIO()

    call_command("demo", "--members", "60", "--posts", "700", stdout=out, stderr=err)

    assert Exchange.objects.count() + Reply.objects.count() == 700
    assert "replies" in err.getvalue()


def test_every_kind_and_state_and_every_query_close_reason_is_there() -> None:
    build()

    kinds = set(Exchange.objects.values_list("kind", "status").distinct())
    assert kinds >= {
        (kind, status) for kind in Kind.values for status in (Status.OPEN, Status.CLOSED)
    }
    assert (Kind.QUERY, Status.TRIAGE) in kinds
    reasons = set(Exchange.objects.filter(kind=Kind.QUERY).values_list("close_reason", flat=True))
    assert reasons >= {r for r in CloseReason.values if r != CloseReason.COMPLETED}
    assert Exchange.objects.filter(
        kind=Kind.CONSULTATION, status=Status.CLOSED, close_reason=CloseReason.COMPLETED
    ).exists()
    assert Exchange.objects.filter(is_direct_connect=True, status=Status.TRIAGE).exists()
    assert Exchange.objects.filter(status=Status.OPEN, reply_count=0, kind=Kind.QUERY).exists()
    assert ExpertRequest.objects.exclude(answered_at=None).exists()
    assert ExpertRequest.objects.filter(answered_at=None, declined_at=None).exists()
    assert Reply.objects.exclude(parent=None).exists()  # owners answer consultation comments
    assert Reply.objects.exclude(paragraph=None).exists()  # comments on one paragraph
    assert Exchange.objects.filter(reply_count=SHOWCASE_REPLIES).exists()


def test_counters_match_the_rows() -> None:
    build()

    rows = Exchange.objects.annotate(
        replies_n=Count("replies"), first=Min("replies__created_at"), last=Max("replies__created_at")
    ).values_list(
        "pk", "reply_count", "replies_n", "first_reply_at", "first", "created_at", "routed_at",
        "closed_at", "last_activity_at", "last",
    )  # fmt: skip
    for (
        pk,
        count,
        counted,
        first_reply,
        first,
        created,
        routed,
        closed,
        last_activity,
        last,
    ) in rows:
        assert count == counted, pk
        assert first_reply == first, pk
        # Asking, routing, each reply and closing are activity, as the actions record it.
        assert last_activity == max(t for t in (created, routed, closed, last) if t), pk
        assert closed is None or last is None or last <= closed, pk
    helpful = Reply.objects.annotate(marks=Count("helpful_marks")).exclude(helpful_count=F("marks"))
    assert not helpful.exists()
    assert not Reply.objects.filter(created_at__lt=F("exchange__created_at")).exists()
    assert not Reply.objects.filter(created_at__lt=F("parent__created_at")).exists()
    # An expert who answered did so with a reply at that very time.
    answered = ExpertRequest.objects.exclude(answered_at=None)
    assert answered.exists()
    for exchange_id, expert_id, answered_at in answered.values_list(
        "exchange_id", "expert_id", "answered_at"
    ):
        assert answered_at is not None
        assert Reply.objects.filter(
            exchange_id=exchange_id, author_id=expert_id, created_at=answered_at
        ).exists()


def test_authors_are_members_partners_post_only_where_admitted_and_safe_spaces_stay_closed() -> (
    None
):
    build()

    members: dict[int, set[int]] = defaultdict(set)
    for community_id, user_id in Membership.objects.values_list("community_id", "user_id"):
        members[community_id].add(user_id)
    partners = set(
        User.objects.filter(organization__is_internal=False).values_list("pk", flat=True)
    )
    communities = {c.pk: c for c in Community.objects.all()}
    posts = list(Exchange.objects.values_list("community_id", "author_id")) + list(
        Reply.objects.values_list("exchange__community_id", "author_id")
    )
    marks = list(HelpfulMark.objects.values_list("reply__exchange__community_id", "user_id"))
    experts = list(ExpertRequest.objects.values_list("exchange__community_id", "expert_id"))

    for community_id, user_id in posts + marks + experts:
        assert user_id in members[community_id], (communities[community_id].slug, user_id)
        if communities[community_id].membership_type == MembershipType.INTERNAL:
            assert user_id not in partners, communities[community_id].slug
    assert any(communities[c].visibility == Visibility.MEMBERS for c, _ in posts)
    assert any(user in partners for _, user in posts)
    # Nothing is merged or handed off out of a safe space, and hand-offs go to public communities.
    moved = Exchange.objects.exclude(moved_to=None).select_related(
        "community", "moved_to__community"
    )
    for exchange in moved:
        assert exchange.moved_to is not None
        if exchange.close_reason == CloseReason.DUPLICATE:
            assert exchange.moved_to.community_id == exchange.community_id
            assert exchange.moved_to.created_at < exchange.created_at
        else:
            assert exchange.close_reason == CloseReason.HANDED_OFF
            assert exchange.community.visibility != Visibility.MEMBERS
            assert exchange.moved_to.community.visibility == Visibility.PUBLIC


def test_each_exchange_has_the_history_its_state_implies() -> None:
    build()

    events: dict[int, list[str]] = defaultdict(list)
    for exchange_id, action in ExchangeEvent.objects.order_by("at", "pk").values_list(
        "exchange_id", "action"
    ):
        events[exchange_id].append(action)
    act = ExchangeEvent.Action
    for exchange in Exchange.objects.all():
        history = events[exchange.pk]
        assert history[0] in {act.ASKED, act.RECEIVED}, exchange.pk
        if exchange.status == Status.CLOSED:
            ending = {
                CloseReason.DUPLICATE: act.MERGED,
                CloseReason.HANDED_OFF: act.HANDED_OFF,
                CloseReason.LIBRARY: act.LIBRARY,
            }.get(CloseReason(exchange.close_reason), act.CLOSED)
            assert history[-1] == ending, exchange.pk
        else:
            assert act.CLOSED not in history
        if exchange.origin_id is not None:
            assert history[0] == act.RECEIVED
            origin = Exchange.objects.get(pk=exchange.origin_id)
            assert origin.moved_to_id == exchange.pk
            assert origin.close_reason == CloseReason.HANDED_OFF
    assert ExchangeEvent.objects.filter(action=act.ROUTED).exists()


def test_stored_html_is_what_the_markdown_renders_to() -> None:
    build(posts=800)

    for reply in Reply.objects.order_by("pk")[:400]:
        assert reply.body_html == render_markdown(reply.body)
    for exchange in Exchange.objects.order_by("pk")[:100]:
        assert exchange.body_html == render_markdown(exchange.body)
        assert exchange.context_html == (
            render_markdown(exchange.context) if exchange.context else ""
        )


def test_personas_find_their_own_queries_and_requests() -> None:
    build()

    asked = Exchange.objects.filter(author__username="member", community__slug="health-cop")
    assert set(asked.values_list("status", flat=True)) == {
        Status.TRIAGE,
        Status.OPEN,
        Status.CLOSED,
    }
    assert asked.filter(is_direct_connect=True).exists()
    assert ExpertRequest.objects.filter(expert__username="expert").exists()
    assert Exchange.objects.filter(community__slug="health-cop", status=Status.TRIAGE).count() >= 2


def test_two_builds_with_the_same_seed_give_the_same_exchanges() -> None:
    with transaction.atomic():
        build(posts=1500)
        first = snapshot()
        transaction.set_rollback(True)
    assert Exchange.objects.count() == 0

    build(posts=1500)

    assert snapshot() == first
    assert first[0] and first[1]


def test_exchanges_and_replies_created_after_the_demo_get_new_ids() -> None:
    build(posts=400)
    exchange = Exchange.objects.order_by("pk").last()
    assert exchange is not None
    last_reply = Reply.objects.order_by("pk").last()
    assert last_reply is not None

    added = Exchange.objects.create(
        community=exchange.community,
        kind=Kind.QUERY,
        title="After the demo",
        body="A question.",
        body_html="<p>A question.</p>",
    )
    reply = Reply.objects.create(exchange=added, body="An answer.", body_html="<p>An answer.</p>")

    assert added.pk > exchange.pk
    assert reply.pk > last_reply.pk
