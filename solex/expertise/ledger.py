"""Keeping the evidence ledger current: the incremental refresh and the full rebuild.

``refresh()`` (the periodic task, every few minutes) reads each source from where it
last stopped, with a small overlap for transactions that committed late, and upserts
what it finds; then it refolds the summaries of the people and topics it touched.

What disappears at the source (a withdrawn endorsement, a helpful mark taken back, a
hidden reply, a topic removed from a query) is not an event a source can yield, so the
nightly ``rebuild()`` reads every source in full, upserts, deletes the rows it did not
see again, and refolds every summary. The ledger stays usable while it runs: rows are
replaced in place, never emptied first.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, QuerySet, Sum
from django.utils import timezone

from solex.expertise.evidence import WEIGHTS, Evidence, EvidenceSource, load_sources, split_weight
from solex.expertise.models import ExpertiseEvidence, ExpertiseSummary, LedgerCursor

BATCH_SIZE = 2000
# Read again this far back: a transaction that began before the last refresh may have
# committed after it, with earlier timestamps.
OVERLAP = datetime.timedelta(minutes=10)
FOLD_CHUNK = 400  # people per refold query

# (source, rows so far, estimated total, finished): rows can outnumber the estimate, since
# a reply on a query with two topics is two rows.
Progress = Callable[[str, int, int, bool], None]


@dataclass
class LedgerReport:
    rows: int = 0
    removed: int = 0
    summaries: int = 0


def _row(evidence: Evidence, seen_at: datetime.datetime) -> ExpertiseEvidence:
    weight = evidence.weight if evidence.weight is not None else WEIGHTS.get(evidence.kind, 1.0)
    lasting, growth = split_weight(evidence.kind, weight, evidence.occurred_at)
    return ExpertiseEvidence(
        person_id=evidence.person_id,
        topic_id=evidence.topic_id,
        kind=evidence.kind,
        weight=weight,
        lasting=lasting,
        growth=growth,
        occurred_at=evidence.occurred_at,
        source=evidence.source[:80],
        subject=evidence.subject[:80],
        seen_at=seen_at,
    )


def _batches[T](items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _upsert(rows: list[ExpertiseEvidence]) -> None:
    # One row per (source, topic) in a batch, or PostgreSQL refuses the upsert.
    unique = list({(row.source, row.topic_id): row for row in rows}.values())
    ExpertiseEvidence.objects.bulk_create(
        unique,
        update_conflicts=True,
        unique_fields=["source", "topic"],
        update_fields=[
            "person",
            "kind",
            "weight",
            "lasting",
            "growth",
            "occurred_at",
            "subject",
            "seen_at",
        ],
    )


def _read(
    path: str,
    source: EvidenceSource,
    since: datetime.datetime | None,
    seen_at: datetime.datetime,
    touched: dict[int, set[int]] | None,
    progress: Progress | None,
) -> int:
    estimate_function = getattr(source, "estimate", None)
    estimate = int(estimate_function()) if progress and estimate_function else 0
    count = 0
    for batch in _batches(source(since), BATCH_SIZE):
        _upsert([_row(evidence, seen_at) for evidence in batch])
        count += len(batch)
        if touched is not None:
            for evidence in batch:
                touched.setdefault(evidence.person_id, set()).add(evidence.topic_id)
        if progress:
            progress(path, count, max(estimate, count), False)
    if progress:
        progress(path, count, count, True)
    return count


def refresh(now: datetime.datetime | None = None) -> LedgerReport:
    """Read what every source recorded since the last refresh; refold what changed."""
    now = now or timezone.now()
    report = LedgerReport()
    touched: dict[int, set[int]] = {}
    cursors = {cursor.source: cursor.read_until for cursor in LedgerCursor.objects.all()}
    for path, source in load_sources():
        since = cursors.get(path)
        report.rows += _read(
            path, source, since - OVERLAP if since else None, now, touched, progress=None
        )
        LedgerCursor.objects.update_or_create(source=path, defaults={"read_until": now})
    topic_ids = {topic for topics in touched.values() for topic in topics}
    people = sorted(touched)
    for start in range(0, len(people), FOLD_CHUNK):
        report.summaries += refold(people[start : start + FOLD_CHUNK], sorted(topic_ids))
    return report


def rebuild(progress: Progress | None = None) -> LedgerReport:
    """Read every source in full, drop what they no longer yield, refold everything."""
    started = timezone.now()
    report = LedgerReport()
    for path, source in load_sources():
        report.rows += _read(path, source, None, started, None, progress)
        LedgerCursor.objects.update_or_create(source=path, defaults={"read_until": started})
    report.removed, _by_model = ExpertiseEvidence.objects.filter(seen_at__lt=started).delete()
    report.summaries = refold_all()
    return report


def _folded(rows: Iterable[dict[str, Any]]) -> Iterator[ExpertiseSummary]:
    for row in rows:
        yield ExpertiseSummary(
            person_id=row["person_id"],
            topic_id=row["topic_id"],
            kind=row["kind"],
            count=row["count"],
            subjects=row["subjects"],
            lasting=row["lasting"] or 0.0,
            growth=row["growth"] or 0.0,
            last_at=row["last_at"],
        )


def _aggregate(queryset: QuerySet[ExpertiseEvidence]) -> Iterator[dict[str, Any]]:
    rows: Iterator[Any] = (
        queryset.values("person_id", "topic_id", "kind")
        .annotate(
            count=Count("id"),
            subjects=Count("subject", distinct=True),
            lasting=Sum("lasting"),
            growth=Sum("growth"),
            last_at=Max("occurred_at"),
        )
        .order_by()
        .iterator(chunk_size=BATCH_SIZE)
    )
    return rows


def refold(person_ids: list[int], topic_ids: list[int]) -> int:
    """Recompute the summaries of these people on these topics from the ledger."""
    if not person_ids or not topic_ids:
        return 0
    with transaction.atomic():
        ExpertiseSummary.objects.filter(person_id__in=person_ids, topic_id__in=topic_ids).delete()
        evidence = ExpertiseEvidence.objects.filter(
            person_id__in=person_ids, topic_id__in=topic_ids
        )
        created = 0
        for batch in _batches(_folded(_aggregate(evidence)), BATCH_SIZE):
            ExpertiseSummary.objects.bulk_create(batch)
            created += len(batch)
    return created


def refold_all() -> int:
    with transaction.atomic():
        ExpertiseSummary.objects.all().delete()
        created = 0
        for batch in _batches(_folded(_aggregate(ExpertiseEvidence.objects.all())), BATCH_SIZE):
            ExpertiseSummary.objects.bulk_create(batch)
            created += len(batch)
    return created
