"""What waits on a facilitator, the experts' records and the service clocks.

The queue gathers seven kinds of waiting work across the communities a person
moderates. Each kind is one query (capped, oldest first), so the page costs the
same number of queries whether a facilitator has three items or three hundred;
the lists are merged in Python and cut to the oldest ``QUEUE_LIMIT``.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from django.utils.module_loading import import_string
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
    """One piece of waiting work. ``kind`` is an ``ItemKind`` or a higher app's own kind
    (give its ``kind_label`` then); ``since`` orders the queue, oldest first."""

    kind: str
    since: datetime  # when it started waiting: the queue is oldest first
    community: Community
    title: str
    url: str
    exchange: Exchange | None = None
    person: User | None = None
    due: datetime | None = None  # closing time, needed-by date
    record: ExpertRecord | None = None
    kind_label: str = ""

    @property
    def label(self) -> str:
        if self.kind_label:
            return self.kind_label
        return str(ItemKind(self.kind).label) if self.kind in ItemKind.values else self.kind


@dataclass
class Queue:
    communities: list[Community]
    items: list[QueueItem]
    counts: dict[str, int] = field(default_factory=dict)
    truncated: bool = False
    labels: dict[str, str] = field(default_factory=dict)  # kind -> label, in first-seen order


@dataclass(frozen=True)
class QueueContext:
    """What every queue source gets: who, where, when, and how many items to return at most.

    A source returns at most ``fetch`` items, oldest first, and costs a fixed number of
    queries whatever the number of communities or items.
    """

    user: User
    communities: list[Community]
    community_ids: list[int]
    settings_by_id: dict[int, ExchangeSettings]
    now: datetime
    fetch: int

    @property
    def shortest_reminder_days(self) -> int:
        return min(s.reminder_days for s in self.settings_by_id.values())


QueueSource = Callable[[QueueContext], Iterable[QueueItem]]


@cache
def _sources(paths: tuple[str, ...]) -> tuple[QueueSource, ...]:
    return tuple(import_string(path) for path in paths)


def queue_sources() -> tuple[QueueSource, ...]:
    """The functions named in ``SOLEX_WORKSPACE_SOURCES`` (dotted paths), in order."""
    return _sources(tuple(getattr(settings, "SOLEX_WORKSPACE_SOURCES", DEFAULT_SOURCES)))


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
    """Everything waiting on this person across the communities they moderate, oldest first.

    The items come from the sources in ``SOLEX_WORKSPACE_SOURCES``; each returns its
    oldest ``limit + 1`` (one more than shown tells whether the queue was cut).
    """
    now = now or timezone.now()
    communities = moderated_communities(user)
    if not communities:
        return Queue(communities, [])
    ids = [community.pk for community in communities]
    context = QueueContext(user, communities, ids, _days(ids), now, limit + 1)
    items: list[QueueItem] = []
    for source in queue_sources():
        items.extend(list(source(context))[: context.fetch])
    items.sort(key=lambda item: item.since)
    counts: dict[str, int] = {}
    labels: dict[str, str] = {}
    for item in items:
        counts[item.kind] = counts.get(item.kind, 0) + 1
        labels.setdefault(item.kind, item.label)
    return Queue(communities, items[:limit], counts, truncated=len(items) > limit, labels=labels)


# --- The sources of the exchanges app ------------------------------------------------------


def _oldest(narrow: QuerySet[Exchange], order: str, fetch: int) -> list[Exchange]:
    """The ``fetch`` oldest exchanges of ``narrow`` by ``order``, titles and people loaded.

    The candidates are picked on the exchange table alone (its indexes cover the
    filters), and only the chosen few are joined to their community and author, so
    the cost stays flat however many exchanges a community holds.
    """
    chosen = narrow.order_by(order, "pk").values("pk")[:fetch]
    found = (
        Exchange.objects.filter(pk__in=Subquery(chosen))
        .select_related("community", "author")
        .only(*_QUEUE_FIELDS)
    )
    # The outer query orders again by the same field (an annotation stays inside).
    return list(found.order_by(order, "pk") if order in _ORDER_FIELDS else found)


# The queue shows titles, never the texts: leave the heavy columns in the database.
_ORDER_FIELDS = {"created_at", "needed_by", "closes_at"}
_QUEUE_FIELDS = (
    "community",
    "kind",
    "title",
    "status",
    "author",
    "created_at",
    "routed_at",
    "needed_by",
    "closes_at",
    "is_anonymous",
    "community__name",
    "community__slug",
    "author__name",
    "author__username",
)


def triage_source(context: QueueContext) -> list[QueueItem]:
    """New queries waiting for a facilitator to triage them."""
    narrow = Exchange.objects.filter(
        status=Status.TRIAGE, community_id__in=context.community_ids, is_direct_connect=False
    )
    return [
        _exchange_item(ItemKind.TRIAGE, exchange, exchange.created_at)
        for exchange in _oldest(narrow, "created_at", context.fetch)
    ]


def direct_connect_source(context: QueueContext) -> list[QueueItem]:
    """Private requests nobody has answered or connected yet."""
    connected = Connection.objects.filter(exchange_id=OuterRef("pk"))
    narrow = Exchange.objects.filter(
        status__in=[Status.TRIAGE, Status.OPEN],
        community_id__in=context.community_ids,
        is_direct_connect=True,
        reply_count=0,
    ).exclude(Exists(connected))
    return [
        _exchange_item(ItemKind.DIRECT_CONNECT, exchange, exchange.created_at)
        for exchange in _oldest(narrow, "created_at", context.fetch)
    ]


def no_reply_source(context: QueueContext) -> list[QueueItem]:
    """Open queries still without a reply after the community's reminder days."""
    now = context.now
    narrow = (
        Exchange.objects.filter(
            status=Status.OPEN,
            community_id__in=context.community_ids,
            is_direct_connect=False,
            kind=Kind.QUERY,
            reply_count=0,
        )
        .annotate(waiting_since=Coalesce("routed_at", "created_at"))
        .filter(waiting_since__lte=now - timedelta(days=context.shortest_reminder_days))
    )
    items = []
    for exchange in _oldest(narrow, "waiting_since", context.fetch):
        since = exchange.routed_at or exchange.created_at
        days = context.settings_by_id[exchange.community_id].reminder_days
        if since <= now - timedelta(days=days):
            items.append(_exchange_item(ItemKind.NO_REPLY, exchange, since))
    items.sort(key=lambda item: (item.since, item.exchange.pk if item.exchange else 0))
    return items


def expert_silent_source(context: QueueContext) -> list[QueueItem]:
    """Experts asked to answer who have not, after the community's reminder days."""
    now = context.now
    open_queries = Exchange.objects.filter(
        status=Status.OPEN, community_id__in=context.community_ids, kind=Kind.QUERY
    )
    chosen = (
        ExpertRequest.objects.filter(
            exchange_id__in=Subquery(open_queries.values("pk")),
            answered_at__isnull=True,
            declined_at__isnull=True,
            requested_at__lte=now - timedelta(days=context.shortest_reminder_days),
        )
        .order_by("requested_at", "pk")
        .values("pk")[: context.fetch]
    )
    silent = list(
        ExpertRequest.objects.filter(pk__in=Subquery(chosen))
        .select_related("exchange__community", "expert")
        .only(
            "pk",
            "requested_at",
            "expert_id",
            "exchange_id",
            "expert__name",
            "expert__username",
            *(f"exchange__{name}" for name in _QUEUE_FIELDS if "__" not in name),
            "exchange__community__name",
            "exchange__community__slug",
        )
        .order_by("requested_at", "pk")
    )
    # A reply the expert posted outside the request (before it, say) counts as an answer.
    replied = set(
        Reply.objects.filter(
            exchange_id__in={r.exchange_id for r in silent},
            author_id__in={r.expert_id for r in silent},
        ).values_list("exchange_id", "author_id")
    )
    silent = [r for r in silent if (r.exchange_id, r.expert_id) not in replied]
    records = cached_expert_records(request.expert_id for request in silent)
    items = []
    for request in silent:
        exchange = request.exchange
        days = context.settings_by_id[exchange.community_id].reminder_days
        if request.requested_at > now - timedelta(days=days):
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
    return items


def consolidation_overdue_source(context: QueueContext) -> list[QueueItem]:
    """Answered queries past their needed-by date without a consolidated reply."""
    today = timezone.localdate(context.now)
    narrow = Exchange.objects.filter(
        status=Status.OPEN,
        community_id__in=context.community_ids,
        kind=Kind.QUERY,
        needed_by__lt=today,
        reply_count__gt=0,
    )
    items = []
    for exchange in _oldest(narrow, "needed_by", context.fetch):
        assert exchange.needed_by is not None
        due = _start_of(exchange.needed_by)
        items.append(_exchange_item(ItemKind.CONSOLIDATION_OVERDUE, exchange, due, due=due))
    return items


def closing_soon_source(context: QueueContext) -> list[QueueItem]:
    """Consultations and discussions (any exchange with ``closes_at``) closing within days."""
    now = context.now
    narrow = Exchange.objects.filter(
        status=Status.OPEN,
        community_id__in=context.community_ids,
        kind__in=[Kind.CONSULTATION, Kind.DISCUSSION],
        closes_at__gte=now,
        closes_at__lte=now + CLOSING_WITHIN,
    )
    items = []
    for exchange in _oldest(narrow, "closes_at", context.fetch):
        assert exchange.closes_at is not None
        since = max(exchange.closes_at - CLOSING_WITHIN, exchange.created_at)
        items.append(_exchange_item(ItemKind.CLOSING_SOON, exchange, since, due=exchange.closes_at))
    return items


WELCOME_BATCH = 200


def welcome_source(context: QueueContext) -> list[QueueItem]:
    """Members who joined in the last two weeks and have not been welcomed yet.

    Newcomers are taken oldest first in batches from the membership table alone; only
    each batch is checked against welcomes already sent and inactive accounts, so a
    busy network's thousands of recent members are never joined and sorted at once.
    """
    recent = (
        Membership.objects.filter(
            community_id__in=context.community_ids,
            joined_at__gte=context.now - WELCOME_WITHIN,
        )
        .exclude(user_id=context.user.pk)
        .order_by("joined_at", "pk")
    )
    chosen: list[int] = []
    offset = 0
    while len(chosen) < context.fetch:
        batch = list(
            recent.values_list("pk", "user_id", "community_id")[offset : offset + WELCOME_BATCH]
        )
        if not batch:
            break
        offset += len(batch)
        keys = [welcome_key(community_id, user_id) for _pk, user_id, community_id in batch]
        user_ids = {user_id for _pk, user_id, _c in batch}
        welcomed = set(
            Notification.objects.filter(recipient_id__in=user_ids, group_key__in=keys).values_list(
                "group_key", flat=True
            )
        )
        active = set(
            User.objects.filter(pk__in=user_ids, is_active=True).values_list("pk", flat=True)
        )
        chosen.extend(
            pk
            for pk, user_id, community_id in batch
            if user_id in active and welcome_key(community_id, user_id) not in welcomed
        )
    return [
        QueueItem(
            ItemKind.WELCOME,
            membership.joined_at,
            membership.community,
            membership.user.name or membership.user.username,
            membership.community.get_absolute_url(),
            person=membership.user,
        )
        for membership in Membership.objects.filter(pk__in=chosen[: context.fetch])
        .select_related("user", "community")
        .only("joined_at", "user__name", "user__username", "community__name", "community__slug")
        .order_by("joined_at", "pk")
    ]


DEFAULT_SOURCES = (
    "solex.exchanges.workspace.queries.triage_source",
    "solex.exchanges.workspace.queries.direct_connect_source",
    "solex.exchanges.workspace.queries.no_reply_source",
    "solex.exchanges.workspace.queries.expert_silent_source",
    "solex.exchanges.workspace.queries.consolidation_overdue_source",
    "solex.exchanges.workspace.queries.closing_soon_source",
    "solex.exchanges.workspace.queries.welcome_source",
)


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
        person=None if exchange.is_anonymous else exchange.author,
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
        )
        .order_by()
        .values_list("created_at", "routed_at", "first_reply_at", "closed_at", "close_reason")
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


# The clocks are 90-day medians: a few minutes old is as good as fresh, and computing
# them reads every query of the window (thousands at 1M posts).
CLOCKS_CACHE_SECONDS = 5 * 60


def cached_service_clocks(communities: Iterable[Community]) -> ServiceClocks:
    """``service_clocks`` for the workspace page, computed at most every five minutes."""
    communities = list(communities)
    key = "workspace:clocks:" + ",".join(str(pk) for pk in sorted(c.pk for c in communities))
    found = django_cache.get(key)
    if isinstance(found, ServiceClocks):
        return found
    clocks = service_clocks(communities)
    django_cache.set(key, clocks, CLOCKS_CACHE_SECONDS)
    return clocks


def cached_expert_records(person_ids: Iterable[int]) -> dict[int, ExpertRecord]:
    """``expert_records`` through the cache (five minutes): a record is history, and
    the queue shows dozens of them on every visit."""
    ids = sorted(set(person_ids))
    keys = {f"workspace:expert:{pk}": pk for pk in ids}
    found = django_cache.get_many(list(keys))
    records = {keys[key]: ExpertRecord(*value) for key, value in found.items()}
    missing = [pk for pk in ids if pk not in records]
    if missing:
        fresh = expert_records(missing)
        never = ExpertRecord(0, 0, None)
        django_cache.set_many(
            {f"workspace:expert:{pk}": tuple(fresh.get(pk, never)) for pk in missing},
            CLOCKS_CACHE_SECONDS,
        )
        records.update({pk: fresh.get(pk, never) for pk in missing})
    return records
