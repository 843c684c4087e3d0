"""Reads for email delivery pages: a member's settings, and the top 5 suggestions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from solex.accounts.models import User
from solex.communities.models import Community, Membership
from solex.exchanges.models import CloseReason, Exchange, Kind, Status
from solex.mail.models import MailSettings


def memberships(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user).select_related("community").order_by("community__name")
    )


def mail_settings(user: User) -> MailSettings:
    """The person's settings, unsaved defaults if they never changed any."""
    return MailSettings.objects.filter(user=user).first() or MailSettings(user=user)


@dataclass(frozen=True)
class Candidate:
    exchange: Exchange
    reason: str  # a machine word; the template says it in words


def top_five_candidates(
    community: Community, *, now: None = None, limit: int = 15
) -> list[Candidate]:
    """What the week's top 5 could be, by activity and novelty, best first.

    Open queries still waiting for answers; queries answered by a consolidated reply
    lately; consultations closing within two weeks; discussions active this week.
    """
    moment = timezone.now()
    week = moment - timedelta(days=7)
    base = Exchange.objects.filter(community=community, is_direct_connect=False)
    picks: list[Candidate] = []
    seen: set[int] = set()

    def add(rows: QuerySet[Exchange], reason: str) -> None:
        for exchange in rows[:limit]:
            if exchange.pk not in seen:
                seen.add(exchange.pk)
                picks.append(Candidate(exchange, reason))

    add(
        base.filter(kind=Kind.QUERY, status=Status.OPEN, reply_count=0).order_by("-created_at"),
        "unanswered",
    )
    add(
        base.filter(close_reason=CloseReason.CONSOLIDATED, closed_at__gte=week).order_by(
            "-closed_at"
        ),
        "consolidated",
    )
    add(
        base.filter(
            kind=Kind.CONSULTATION,
            status=Status.OPEN,
            closes_at__gte=moment,
            closes_at__lte=moment + timedelta(days=14),
        ).order_by("closes_at"),
        "closing",
    )
    add(
        base.filter(kind=Kind.DISCUSSION, status=Status.OPEN, last_activity_at__gte=week).order_by(
            "-reply_count"
        ),
        "discussion",
    )
    add(
        base.filter(status=Status.OPEN)
        .filter(Q(created_at__gte=week) | Q(last_activity_at__gte=week))
        .order_by("-reply_count", "-last_activity_at"),
        "active",
    )
    return picks[:limit]
