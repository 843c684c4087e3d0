"""The expertise locator's pages and API: who knows about X, a person's record, and gaps.

Thin over ``solex.expertise.ranking``: this module adds who may see whom (the
people-visibility rule of ``solex.people.permissions``, applied in SQL before ranking,
so a partner never sees, nor counts, someone hidden from them) and the gap view,
which reads the exchanges the viewer may see.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, F, OuterRef, Q
from django.utils import timezone

from solex.accounts.models import User
from solex.exchanges.models import CloseReason, Exchange, Kind, Reply
from solex.expertise.models import EvidenceKind, ExpertiseSummary
from solex.expertise.ranking import LocatorQuery, Ranking, TopicRecord, person_record, rank
from solex.people.permissions import Viewer, people_visible_to
from solex.taxonomy.models import Topic

MAX_RESULTS = 50
GAP_WINDOWS = (90, 365, 1095)  # days a gap view may look back
MAX_GAP_TOPICS = 40
SHOWN_BY = (
    EvidenceKind.REPLIED,
    EvidenceKind.HELPFUL,
    EvidenceKind.CONSOLIDATED,
    EvidenceKind.AUTHORED,
)


def who_knows(
    viewer: Viewer,
    *,
    text: str = "",
    topic: Topic | None = None,
    language: str = "",
    region: str = "",
    limit: int = 20,
) -> Ranking:
    """People ``viewer`` may see, ranked for a topic or a free-text question."""
    query = LocatorQuery(
        text=text,
        topics=[topic] if topic is not None else [],
        language=language,
        region=region,
        people=people_visible_to(viewer),
        exclude=[viewer.pk] if viewer.pk else [],  # one knows what one knows
    )
    return rank(query, limit=min(limit, MAX_RESULTS))


def record_of(person: User) -> list[TopicRecord]:
    """What a person's contributions show, topic by topic (their profile shows it)."""
    return person_record(person)


@dataclass
class TopicGap:
    topic: Topic
    queries: int
    replied: int
    helpful: int
    consolidated: int
    hours_to_first_reply: float | None
    people_who_know: int

    @property
    def answered_well(self) -> int:
        return max(self.helpful, self.consolidated)

    @property
    def unanswered_well(self) -> int:
        return self.queries - self.answered_well

    @property
    def answered_well_share(self) -> int:
        return round(100 * self.answered_well / self.queries) if self.queries else 0

    @property
    def replied_share(self) -> int:
        return round(100 * self.replied / self.queries) if self.queries else 0


def gaps(
    viewer: Viewer, *, days: int = 365, now: datetime.datetime | None = None, minimum: int = 2
) -> list[TopicGap]:
    """Topics people ask about that nobody answers well, worst first, with figures.

    Counts only queries the viewer may see, asked in the last ``days``. "Answered
    well" means a reply someone marked helpful, or a consolidated reply.
    """
    since = (now or timezone.now()) - datetime.timedelta(days=days)
    queries = Exchange.objects.visible_to(viewer).filter(kind=Kind.QUERY, created_at__gte=since)
    helpful_reply = Exists(
        Reply.objects.filter(
            exchange_id=OuterRef("exchange_id"), helpful_count__gt=0, is_hidden=False
        )
    )
    rows = list(
        Exchange.topics.through.objects.filter(exchange__in=queries)
        .values("topic_id")
        .annotate(
            queries=Count("exchange_id"),
            replied=Count("exchange_id", filter=Q(exchange__reply_count__gt=0)),
            helpful=Count("exchange_id", filter=Q(helpful_reply)),
            consolidated=Count(
                "exchange_id", filter=Q(exchange__close_reason=CloseReason.CONSOLIDATED)
            ),
            wait=Avg(
                F("exchange__first_reply_at") - F("exchange__created_at"),
                filter=Q(exchange__first_reply_at__isnull=False),
            ),
        )
        .order_by()
    )
    rows = [row for row in rows if row["queries"] >= minimum]
    rows.sort(
        key=lambda row: (
            -(row["queries"] - max(row["helpful"], row["consolidated"])),
            -row["queries"],
            row["topic_id"],
        )
    )
    rows = rows[:MAX_GAP_TOPICS]
    topic_ids = [row["topic_id"] for row in rows]
    topics = Topic.objects.in_bulk(topic_ids)
    knowers = dict(
        ExpertiseSummary.objects.filter(topic_id__in=topic_ids, kind__in=SHOWN_BY)
        .values("topic_id")
        .annotate(people=Count("person_id", distinct=True))
        .values_list("topic_id", "people")
    )
    found = []
    for row in rows:
        wait = row["wait"]
        if isinstance(wait, datetime.timedelta):
            hours: float | None = round(wait.total_seconds() / 3600, 1)
        elif isinstance(wait, int | float):  # microseconds, on some backends
            hours = round(wait / 3_600_000_000, 1)
        else:
            hours = None
        found.append(
            TopicGap(
                topic=topics[row["topic_id"]],
                queries=row["queries"],
                replied=row["replied"],
                helpful=row["helpful"],
                consolidated=row["consolidated"],
                hours_to_first_reply=hours,
                people_who_know=knowers.get(row["topic_id"], 0),
            )
        )
    return found
