"""What waits on a facilitator, the experts' records and the service clocks.

The queue gathers seven kinds of waiting work across the communities a person
moderates. Each kind is one query (capped, oldest first), so the page costs the
same number of queries whether a facilitator has three items or three hundred;
the lists are merged in Python and cut to the oldest ``QUEUE_LIMIT``.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Window
from django.db.models.functions import Cast, Coalesce, Concat, RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solex.accounts.models import User
from solex.communities.models import MODERATOR_ROLES, Community, Membership
from solex.exchanges.models import (
    CloseReason,
    Connection,
    Exchange,
    ExchangeSettings,
    ExpertRequest,
    Kind,
    Reply,
    Status,
)
from solex.notifications.models import Notification

# One screen of work for a slow link; the page says when older items were left out.
QUEUE_LIMIT = 50
WELCOME_WITHIN = timedelta(days=14)
CLOSING_WITHIN = timedelta(days=3)
CLOCK_WINDOW = timedelta(days=90)
WELCOMED_KIND = "community.welcomed"
_DEFAULTS = ExchangeSettings()


def welcome_key(community_id: int, user_id: int) -> str:
    return f"welcome:{community_id}:{user_id}"


class ItemKind(models.TextChoices):
    TRIAGE = "triage", _("New query to triage")
    NO_REPLY = "no_reply", _("No reply yet")
    EXPERT_SILENT = "expert_silent", _("Asked expert has not answered")
    CONSOLIDATION_OVERDUE = "consolidation_overdue", _("Consolidated reply overdue")
    CLOSING_SOON = "closing_soon", _("Closing soon")
    DIRECT_CONNECT = "direct_connect", _("Direct-connect request")
    WELCOME = "welcome", _("New member to welcome")


class ExpertRecord(NamedTuple):
    """How often a person was asked to answer, how often they did, and how fast."""

    asked: int
    answered: int
    median_minutes: int | None


def _median_minutes(durations: Iterable[timedelta]) -> int | None:
    minutes = [duration.total_seconds() / 60 for duration in durations]
    return round(statistics.median(minutes)) if minutes else None


# The median reply time is taken over each expert's latest answers: recent behaviour
# is what a facilitator needs, and it keeps the rows read per expert bounded.
MEDIAN_OVER_LATEST = 25


def expert_records(person_ids: Iterable[int]) -> dict[int, ExpertRecord]:
    """The records of several people in two queries (absent: never asked)."""
    ids = set(person_ids)
    counts = (
        ExpertRequest.objects.filter(expert_id__in=ids)
        .values("expert_id")
        .annotate(asked=Count("pk"), answered=Count("answered_at"))
        .values_list("expert_id", "asked", "answered")
    )
    latest = (
        ExpertRequest.objects.filter(expert_id__in=ids, answered_at__isnull=False)
        .annotate(
            rank=Window(RowNumber(), partition_by=F("expert_id"), order_by=F("requested_at").desc())
        )
        .filter(rank__lte=MEDIAN_OVER_LATEST)
        .values_list("expert_id", "requested_at", "answered_at")
    )
    waits: dict[int, list[timedelta]] = {}
    for expert_id, requested_at, answered_at in latest:
        if answered_at is not None:  # always, by the filter; the type cannot know it
            waits.setdefault(expert_id, []).append(max(answered_at - requested_at, timedelta(0)))
    return {
        expert_id: ExpertRecord(asked, answered, _median_minutes(waits.get(expert_id, [])))
        for expert_id, asked, answered in counts
    }


def expert_record(person: User) -> ExpertRecord:
    """(asked, answered, median minutes to reply) for one person."""
    return expert_records([person.pk]).get(person.pk, ExpertRecord(0, 0, None))


@dataclass(frozen=True)
class QueueItem:
    kind: ItemKind
    since: datetime  # when it started waiting: the queue is oldest first
    community: Community
    title: str
    url: str
    exchange: Exchange | None = None
    person: User | None = None
    due: datetime | None = None  # closing time, needed-by date
    record: ExpertRecord | None = None

    @property
    def label(self) -> str:
        return str(self.kind.label)


@dataclass
class Queue:
    communities: list[Community]
    items: list[QueueItem]
    counts: dict[str, int] = field(default_factory=dict)
    truncated: bool = False


def moderated_communities(user: User) -> list[Community]:
    """The active communities where this person holds a moderator role."""
    if not user.is_active:
        return []
    return list(
        Community.objects.active()
        .filter(
            memberships__user=user,
            memberships__roles__role__in=MODERATOR_ROLES,
        )
        .distinct()
        .order_by("name")
    )


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _days(community_ids: list[int]) -> dict[int, ExchangeSettings]:
    found = {
        s.community_id: s for s in ExchangeSettings.objects.filter(community_id__in=community_ids)
    }
    return {pk: found.get(pk, _DEFAULTS) for pk in community_ids}


def queue(user: User, *, now: datetime | None = None, limit: int = QUEUE_LIMIT) -> Queue:
    """Everything waiting on this person across the communities they moderate, oldest first."""
    now = now or timezone.now()
    communities = moderated_communities(user)
    if not communities:
        return Queue(communities, [])
    ids = [community.pk for community in communities]
    settings_by_id = _days(ids)
    shortest = min(s.reminder_days for s in settings_by_id.values())
    items: list[QueueItem] = []
    fetch = limit + 1  # one more than shown: tells whether the queue was cut

    # The queue shows titles, never the texts: leave the heavy columns in the database.
    exchanges = (
        Exchange.objects.filter(community_id__in=ids)
        .select_related("community", "author")
        .defer("body", "body_html", "context", "context_html")
    )
    for exchange in exchanges.filter(status=Status.TRIAGE, is_direct_connect=False).order_by(
        "created_at", "pk"
    )[:fetch]:
        items.append(_exchange_item(ItemKind.TRIAGE, exchange, exchange.created_at))

    connected = Connection.objects.filter(exchange_id=OuterRef("pk"))
    for exchange in (
        exchanges.filter(is_direct_connect=True, reply_count=0)
        .exclude(status=Status.CLOSED)
        .exclude(Exists(connected))
        .order_by("created_at", "pk")[:fetch]
    ):
        items.append(_exchange_item(ItemKind.DIRECT_CONNECT, exchange, exchange.created_at))

    waiting_since = Coalesce("routed_at", "created_at")
    for exchange in (
        exchanges.filter(
            kind=Kind.QUERY, status=Status.OPEN, is_direct_connect=False, reply_count=0
        )
        .annotate(waiting_since=waiting_since)
        .filter(waiting_since__lte=now - timedelta(days=shortest))
        .order_by("waiting_since", "pk")[:fetch]
    ):
        since = exchange.routed_at or exchange.created_at
        if since <= now - timedelta(days=settings_by_id[exchange.community_id].reminder_days):
            items.append(_exchange_item(ItemKind.NO_REPLY, exchange, since))

    replied = Reply.objects.filter(
        exchange_id=OuterRef("exchange_id"), author_id=OuterRef("expert_id")
    )
    silent = list(
        ExpertRequest.objects.filter(
            exchange__community_id__in=ids,
            exchange__kind=Kind.QUERY,
            exchange__status=Status.OPEN,
            answered_at__isnull=True,
            declined_at__isnull=True,
            requested_at__lte=now - timedelta(days=shortest),
        )
        .exclude(Exists(replied))
        .select_related("exchange__community", "expert")
        .defer(*(f"exchange__{name}" for name in ("body", "body_html", "context", "context_html")))
        .order_by("requested_at", "pk")[:fetch]
    )
    records = expert_records(request.expert_id for request in silent)
    for request in silent:
        exchange = request.exchange
        if request.requested_at > now - timedelta(
            days=settings_by_id[exchange.community_id].reminder_days
        ):
            continue
        items.append(
            QueueItem(
                ItemKind.EXPERT_SILENT,
                request.requested_at,
                exchange.community,
                exchange.title,
                exchange.get_absolute_url(),
                exchange=exchange,
                person=request.expert,
                record=records.get(request.expert_id, ExpertRecord(0, 0, None)),
            )
        )

    today = timezone.localdate(now)
    for exchange in exchanges.filter(
        kind=Kind.QUERY, status=Status.OPEN, reply_count__gt=0, needed_by__lt=today
    ).order_by("needed_by", "pk")[:fetch]:
        assert exchange.needed_by is not None
        due = _start_of(exchange.needed_by)
        items.append(_exchange_item(ItemKind.CONSOLIDATION_OVERDUE, exchange, due, due=due))

    for exchange in exchanges.filter(
        kind__in=[Kind.CONSULTATION, Kind.DISCUSSION],
        status=Status.OPEN,
        closes_at__gte=now,
        closes_at__lte=now + CLOSING_WITHIN,
    ).order_by("closes_at", "pk")[:fetch]:
        assert exchange.closes_at is not None
        since = max(exchange.closes_at - CLOSING_WITHIN, exchange.created_at)
        items.append(_exchange_item(ItemKind.CLOSING_SOON, exchange, since, due=exchange.closes_at))

    welcomed = Notification.objects.filter(
        recipient_id=OuterRef("user_id"),
        group_key=Concat(
            models.Value("welcome:"),
            Cast(OuterRef("community_id"), models.CharField()),
            models.Value(":"),
            Cast(OuterRef("user_id"), models.CharField()),
            output_field=models.CharField(),
        ),
    )
    for membership in (
        Membership.objects.filter(
            community_id__in=ids, joined_at__gte=now - WELCOME_WITHIN, user__is_active=True
        )
        .exclude(user=user)
        .exclude(Exists(welcomed))
        .select_related("user", "community")
        .order_by("joined_at", "pk")[:fetch]
    ):
        items.append(
            QueueItem(
                ItemKind.WELCOME,
                membership.joined_at,
                membership.community,
                membership.user.name or membership.user.username,
                membership.community.get_absolute_url(),
                person=membership.user,
            )
        )

    items.sort(key=lambda item: item.since)
    counts: dict[str, int] = {}
    for item in items:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    return Queue(communities, items[:limit], counts, truncated=len(items) > limit)


def _exchange_item(
    kind: ItemKind, exchange: Exchange, since: datetime, *, due: datetime | None = None
) -> QueueItem:
    return QueueItem(
        kind,
        since,
        exchange.community,
        exchange.title,
        exchange.get_absolute_url(),
        exchange=exchange,
        person=exchange.author,
        due=due,
    )


@dataclass(frozen=True)
class ServiceClocks:
    """Medians, in minutes, over the queries asked in the window (None: nothing to measure)."""

    queries: int
    to_route: int | None
    to_first_reply: int | None
    to_consolidated: int | None


def service_clocks(
    communities: Iterable[Community],
    *,
    now: datetime | None = None,
    window: timedelta = CLOCK_WINDOW,
) -> ServiceClocks:
    """Time to route, to first reply and to consolidated reply, for queries asked lately."""
    now = now or timezone.now()
    rows = list(
        Exchange.objects.filter(
            community__in=list(communities),
            kind=Kind.QUERY,
            is_direct_connect=False,
            created_at__gte=now - window,
        ).values_list("created_at", "routed_at", "first_reply_at", "closed_at", "close_reason")
    )
    routed = [routed_at - created for created, routed_at, _f, _c, _r in rows if routed_at]
    first = [first_at - created for created, _r, first_at, _c, _x in rows if first_at]
    consolidated = [
        closed - created
        for created, _r, _f, closed, reason in rows
        if closed and reason == CloseReason.CONSOLIDATED
    ]
    return ServiceClocks(
        len(rows), _median_minutes(routed), _median_minutes(first), _median_minutes(consolidated)
    )
