"""Reads of discussions reused by the pages and the API."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from solex.discussions.models import Discussion
from solex.exchanges.models import Exchange, Kind

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from solex.accounts.models import User

    AnyUser = User | AnonymousUser


def discussion_for(user: AnyUser, pk: int) -> Discussion:
    """The discussion if this person may see it; 404 otherwise, whether it exists or not."""
    exchange = get_object_or_404(
        Exchange.objects.visible_to(user).select_related("community", "author"),
        pk=pk,
        kind=Kind.DISCUSSION,
    )
    discussion = Discussion.objects.select_related("facilitator").filter(pk=exchange.pk).first()
    if discussion is None:
        # A discussion exchange made elsewhere (a hand-off's copy, older data): its
        # facilitator is its author until an action saves the row (actions.ensure_saved).
        discussion = Discussion(exchange=exchange, facilitator=exchange.author)
    discussion.exchange = exchange
    return discussion


def visible_discussions(user: AnyUser) -> QuerySet[Discussion]:
    """Discussions this person may see, most recently active first."""
    return (
        Discussion.objects.filter(
            exchange__in=Exchange.objects.visible_to(user).filter(kind=Kind.DISCUSSION)
        )
        .select_related("exchange", "exchange__community", "facilitator")
        .order_by("-exchange__last_activity_at", "-pk")
    )


def phase(discussion: Discussion) -> str:
    """ "scheduled", "open" or "closed": what its window and status say now."""
    exchange = discussion.exchange
    now = timezone.now()
    if not exchange.is_open or (exchange.closes_at is not None and exchange.closes_at <= now):
        return "closed"
    if exchange.opens_at is not None and exchange.opens_at > now:
        return "scheduled"
    return "open"
