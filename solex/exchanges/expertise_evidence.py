"""Evidence of expertise from exchanges, for the ledger (``solex.expertise.ledger``).

Registered in ``settings.SOLEX_EXPERTISE_SOURCES``. A reply counts for its exchange's
topics; replies the asker wrote in their own thread, hidden replies and marks people
gave their own replies do not count. Rows are read in id order, a batch at a time,
with the topics of each batch's exchanges in one more query.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import F, Q

from solex.exchanges.models import Exchange, HelpfulMark, Kind, Reply
from solex.expertise.evidence import Evidence, evidence_source
from solex.expertise.models import EvidenceKind

BATCH = 2000


def _topics(exchange_ids: set[int]) -> dict[int, list[int]]:
    topics: dict[int, list[int]] = defaultdict(list)
    for exchange_id, topic_id in Exchange.topics.through.objects.filter(
        exchange_id__in=exchange_ids
    ).values_list("exchange_id", "topic_id"):
        topics[exchange_id].append(topic_id)
    return topics


def _replies(since: datetime.datetime | None) -> Q:
    condition = Q(is_hidden=False, author__isnull=False) & ~Q(author_id=F("exchange__author_id"))
    condition &= Q(exchange__is_direct_connect=False)
    if since is not None:
        condition &= Q(created_at__gte=since)
    return condition


@evidence_source(estimate=lambda: Reply.objects.count())
def replies(since: datetime.datetime | None) -> Iterator[Evidence]:
    """Each reply: the person replied on the exchange's topics."""
    last = 0
    while True:
        rows = list(
            Reply.objects.filter(_replies(since), pk__gt=last)
            .order_by("pk")
            .values_list("pk", "author_id", "exchange_id", "created_at")[:BATCH]
        )
        if not rows:
            return
        last = rows[-1][0]
        topics = _topics({row[2] for row in rows})
        for reply_id, author_id, exchange_id, created_at in rows:
            assert author_id is not None
            for topic_id in topics.get(exchange_id, ()):
                yield Evidence(
                    person_id=author_id,
                    topic_id=topic_id,
                    kind=EvidenceKind.REPLIED,
                    occurred_at=created_at,
                    source=f"reply:{reply_id}",
                    subject=f"exchange:{exchange_id}",
                )


@evidence_source(estimate=lambda: HelpfulMark.objects.count())
def helpful_marks(since: datetime.datetime | None) -> Iterator[Evidence]:
    """Each helpful mark someone else gave a reply: the strongest sign from exchanges."""
    condition = Q(reply__is_hidden=False, reply__author__isnull=False) & ~Q(
        user_id=F("reply__author_id")
    )
    condition &= Q(reply__exchange__is_direct_connect=False)
    if since is not None:
        condition &= Q(created_at__gte=since)
    last = 0
    while True:
        rows = list(
            HelpfulMark.objects.filter(condition, pk__gt=last)
            .order_by("pk")
            .values_list("pk", "reply__author_id", "reply_id", "reply__exchange_id", "created_at")[
                :BATCH
            ]
        )
        if not rows:
            return
        last = rows[-1][0]
        topics = _topics({row[3] for row in rows})
        for mark_id, author_id, reply_id, exchange_id, created_at in rows:
            for topic_id in topics.get(exchange_id, ()):
                yield Evidence(
                    person_id=author_id,
                    topic_id=topic_id,
                    kind=EvidenceKind.HELPFUL,
                    occurred_at=created_at,
                    source=f"helpful:{mark_id}",
                    subject=f"reply:{reply_id}",
                )


@evidence_source(estimate=lambda: Exchange.objects.filter(kind=Kind.QUERY).count())
def answered_queries(since: datetime.datetime | None) -> Iterator[Evidence]:
    """A query someone asked and others answered: a weak sign they work on the topic.

    Anonymous and direct-connect queries say nothing about their asker here.
    """
    condition = Q(
        kind=Kind.QUERY,
        author__isnull=False,
        reply_count__gt=0,
        is_anonymous=False,
        is_direct_connect=False,
    )
    if since is not None:
        condition &= Q(created_at__gte=since)
    last = 0
    while True:
        rows = list(
            Exchange.objects.filter(condition, pk__gt=last)
            .order_by("pk")
            .values_list("pk", "author_id", "created_at")[:BATCH]
        )
        if not rows:
            return
        last = rows[-1][0]
        topics = _topics({row[0] for row in rows})
        for exchange_id, author_id, created_at in rows:
            assert author_id is not None
            for topic_id in topics.get(exchange_id, ()):
                yield Evidence(
                    person_id=author_id,
                    topic_id=topic_id,
                    kind=EvidenceKind.ASKED,
                    occurred_at=created_at,
                    source=f"asked:{exchange_id}",
                    subject=f"exchange:{exchange_id}",
                )
