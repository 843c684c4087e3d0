"""Evidence of expertise from the knowledge library, for the ledger (``solex.expertise``).

Registered in ``settings.SOLEX_EXPERTISE_SOURCES``. An item counts for its own topics
and, for a consolidated reply, its query's topics. The people credited on a
consolidated reply contributed to it; the author and contributors of any other item
wrote it. The facilitator who assembles a consolidated reply is not thereby an expert.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q

from solex.exchanges.models import Exchange
from solex.expertise.evidence import Evidence, evidence_source
from solex.expertise.models import EvidenceKind
from solex.knowledge.models import KnowledgeItem

BATCH = 1000


def _has_field(name: str) -> bool:
    try:
        KnowledgeItem._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _item_topics(rows: list[tuple[Any, ...]]) -> dict[int, set[int]]:
    """Topics of each item: its own, and its source exchange's."""
    topics: dict[int, set[int]] = defaultdict(set)
    item_ids = [row[0] for row in rows]
    if _has_field("topics"):
        through: Any = KnowledgeItem._meta.get_field("topics").remote_field.through
        for item_id, topic_id in through.objects.filter(knowledgeitem_id__in=item_ids).values_list(
            "knowledgeitem_id", "topic_id"
        ):
            topics[item_id].add(topic_id)
    by_exchange: dict[int, list[int]] = defaultdict(list)
    for item_id, _kind, _created_by, _created_at, exchange_id in rows:
        if exchange_id is not None:
            by_exchange[exchange_id].append(item_id)
    for exchange_id, topic_id in Exchange.topics.through.objects.filter(
        exchange_id__in=list(by_exchange)
    ).values_list("exchange_id", "topic_id"):
        for item_id in by_exchange[exchange_id]:
            topics[item_id].add(topic_id)
    return topics


def _contributors(item_ids: list[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    through = KnowledgeItem.contributors.through
    for item_id, user_id in through.objects.filter(knowledgeitem_id__in=item_ids).values_list(
        "knowledgeitem_id", "user_id"
    ):
        found[item_id].add(user_id)
    return found


@evidence_source(estimate=lambda: KnowledgeItem.objects.count())
def items(since: datetime.datetime | None) -> Iterator[Evidence]:
    condition = Q()
    if _has_field("status"):
        condition &= ~Q(status="archived") & ~Q(status="draft")
    if since is not None:
        condition &= Q(created_at__gte=since)
    last = 0
    while True:
        rows = list(
            KnowledgeItem.objects.filter(condition, pk__gt=last)
            .order_by("pk")
            .values_list("pk", "kind", "created_by_id", "created_at", "source_exchange_id")[:BATCH]
        )
        if not rows:
            return
        last = rows[-1][0]
        topics = _item_topics(rows)
        contributors = _contributors([row[0] for row in rows])
        for item_id, kind, created_by, created_at, _exchange_id in rows:
            consolidated = kind == KnowledgeItem.Kind.CONSOLIDATED_REPLY
            people = set(contributors.get(item_id, ()))
            if created_by is not None and not consolidated:
                people.add(created_by)
            evidence_kind = EvidenceKind.CONSOLIDATED if consolidated else EvidenceKind.AUTHORED
            for person_id in sorted(people):
                for topic_id in sorted(topics.get(item_id, ())):
                    yield Evidence(
                        person_id=person_id,
                        topic_id=topic_id,
                        kind=evidence_kind,
                        occurred_at=created_at,
                        source=f"item:{item_id}:{person_id}",
                        subject=f"item:{item_id}",
                    )
