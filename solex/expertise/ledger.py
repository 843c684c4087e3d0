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

from django.db import connection, transaction
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


_COLUMNS = (
    "person_id",
    "topic_id",
    "kind",
    "weight",
    "lasting",
    "growth",
    "occurred_at",
    "source",
    "subject",
    "seen_at",
)


def _row(evidence: Evidence, seen_at: Any) -> tuple[Any, ...]:
    """The row to upsert; ``seen_at`` already adapted for the database."""
    weight = evidence.weight if evidence.weight is not None else WEIGHTS.get(evidence.kind, 1.0)
    lasting, growth = split_weight(evidence.kind, weight, evidence.occurred_at)
    return (
        evidence.person_id,
        evidence.topic_id,
        evidence.kind,
        weight,
        lasting,
        growth,
        connection.ops.adapt_datetimefield_value(evidence.occurred_at),
        evidence.source[:80],
        evidence.subject[:80],
        seen_at,
    )


def _batches[T](items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _upsert_sql() -> str:
    quote = connection.ops.quote_name
    table = quote(ExpertiseEvidence._meta.db_table)
    columns = ", ".join(quote(column) for column in _COLUMNS)
    updates = ", ".join(
        f"{quote(column)} = excluded.{quote(column)}"
        for column in _COLUMNS
        if column not in ("source", "topic_id")
    )
    placeholders = ", ".join(["%s"] * len(_COLUMNS))
    # Only model names and fixed columns go into the text; values are parameters.
    return (
        f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) "  # noqa: S608
        f"ON CONFLICT ({quote('source')}, {quote('topic_id')}) DO UPDATE SET {updates}"
    )


def _upsert(rows: list[tuple[Any, ...]]) -> None:
    """Insert or replace rows by (source, topic): one statement, many rows, one transaction.

    Plain SQL rather than ``bulk_create(update_conflicts=True)``: building that statement
    cost ten times the database's own work (both SQLite and PostgreSQL take this form).
    """
    unique = list({(row[7], row[1]): row for row in rows}.values())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(_upsert_sql(), unique)


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
    seen = connection.ops.adapt_datetimefield_value(seen_at)
    for batch in _batches(source(since), BATCH_SIZE):
        _upsert([_row(evidence, seen) for evidence in batch])
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


def _fold_sql(where: str = "") -> str:
    quote = connection.ops.quote_name
    summary = quote(ExpertiseSummary._meta.db_table)
    evidence = quote(ExpertiseEvidence._meta.db_table)
    keys = ", ".join(quote(column) for column in ("person_id", "topic_id", "kind"))
    # Only model names, fixed columns and placeholders go into the text.
    return (
        f"INSERT INTO {summary} ({keys}, {quote('count')}, {quote('subjects')}, "  # noqa: S608
        f"{quote('lasting')}, {quote('growth')}, {quote('last_at')}) "
        f"SELECT {keys}, COUNT(*), COUNT(DISTINCT {quote('subject')}), "
        f"SUM({quote('lasting')}), SUM({quote('growth')}), MAX({quote('occurred_at')}) "
        f"FROM {evidence} {where} GROUP BY {keys}"
    )


def refold(person_ids: list[int], topic_ids: list[int]) -> int:
    """Recompute the summaries of these people on these topics from the ledger."""
    if not person_ids or not topic_ids:
        return 0
    quote = connection.ops.quote_name
    people = ", ".join(["%s"] * len(person_ids))
    topics = ", ".join(["%s"] * len(topic_ids))
    where = f"WHERE {quote('person_id')} IN ({people}) AND {quote('topic_id')} IN ({topics})"
    with transaction.atomic():
        ExpertiseSummary.objects.filter(person_id__in=person_ids, topic_id__in=topic_ids).delete()
        with connection.cursor() as cursor:
            cursor.execute(_fold_sql(where), [*person_ids, *topic_ids])
            return max(int(cursor.rowcount), 0)


def refold_all() -> int:
    """Every summary again, in one statement (readers see the old ones until it commits)."""
    with transaction.atomic():
        ExpertiseSummary.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(_fold_sql())
            return max(int(cursor.rowcount), 0)
