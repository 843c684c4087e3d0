"""Writes to the index: (re)index objects, rebuild everything, sweep what changed.

All of them are idempotent, so a task that runs twice does no harm. Each batch is one
transaction: the documents, their full-text rows and topics change together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from itertools import islice

from django.db import transaction
from django.utils import timezone

from solex.search import backends
from solex.search.models import Document, DocumentTopic, IndexState
from solex.search.sources import DocumentData, source, sources
from solex.search.text import normalise

BATCH = 2000
# The sweep looks a little further back than its last run, so a change committed while
# the previous sweep ran is never missed (indexing twice is harmless).
SWEEP_OVERLAP = timedelta(minutes=2)

Progress = Callable[[str, int], None]


def _batches[T](items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _document(data: DocumentData) -> Document:
    return Document(
        kind=data.kind,
        object_id=data.object_id,
        community_id=data.community_id,
        community_name=data.community_name[:150],
        slug=data.slug[:150],
        subtitle=str(data.subtitle)[:200],
        title=data.title[:300],
        text=data.text,
        url=data.url[:300],
        language=data.language[:10],
        date=data.date,
        countries=(" " + " ".join(sorted(set(data.countries))) + " ") if data.countries else "",
        state=data.state,
        quality=data.quality,
        is_consolidated=data.is_consolidated,
        helpful_count=data.helpful_count,
    )


def _write(batch: Sequence[DocumentData], *, replace: bool) -> None:
    with transaction.atomic():
        if replace:
            _forget([(data.kind, data.object_id) for data in batch])
        documents = Document.objects.bulk_create([_document(data) for data in batch])
        backends.write(
            [
                (document.pk, normalise(data.title), normalise(data.text))
                for document, data in zip(documents, batch, strict=True)
            ]
        )
        DocumentTopic.objects.bulk_create(
            [
                DocumentTopic(document_id=document.pk, topic_id=topic)
                for document, data in zip(documents, batch, strict=True)
                for topic in set(data.topics)
            ]
        )


def _forget(keys: Sequence[tuple[str, int]]) -> None:
    by_kind: dict[str, list[int]] = {}
    for kind, object_id in keys:
        by_kind.setdefault(kind, []).append(object_id)
    for kind, object_ids in by_kind.items():
        for chunk in _batches(object_ids, 500):
            ids = list(
                Document.objects.filter(kind=kind, object_id__in=chunk).values_list("pk", flat=True)
            )
            backends.delete(ids)
            Document.objects.filter(pk__in=ids).delete()


def index_objects(kind: str, object_ids: Iterable[int]) -> int:
    """(Re)index these objects of one kind; objects gone or no longer findable are removed."""
    ids = sorted(set(object_ids))
    written = 0
    for chunk in _batches(ids, BATCH):
        batch = list(source(kind).documents(chunk))
        with transaction.atomic():
            _forget([(kind, object_id) for object_id in chunk])
            _write(batch, replace=False)
        written += len(batch)
    return written


def rebuild(progress: Progress | None = None, *, kinds: Iterable[str] | None = None) -> int:
    """Empty the index and index everything again, kind by kind."""
    chosen = list(kinds) if kinds is not None else list(sources())
    started = timezone.now()
    if kinds is None:
        with transaction.atomic():
            backends.clear()
            DocumentTopic.objects.all().delete()
            Document.objects.all().delete()
    total = 0
    for kind in chosen:
        if kinds is not None:
            _forget(
                [
                    (kind, pk)
                    for pk in Document.objects.filter(kind=kind).values_list("object_id", flat=True)
                ]
            )
        for batch in _batches(source(kind).documents(None)):
            _write(batch, replace=False)
            total += len(batch)
            if progress is not None:
                progress(kind, len(batch))
        IndexState.objects.update_or_create(kind=kind, defaults={"swept_until": started})
    backends.optimise()
    return total


def sweep(now: datetime | None = None) -> dict[str, int]:
    """Reindex what changed since each kind's last sweep; returns documents written per kind."""
    now = now or timezone.now()
    written = {}
    for kind, src in sources().items():
        state = IndexState.objects.filter(kind=kind).first()
        if state is None:
            # Never indexed: a full build of this kind (``solex search reindex`` does all).
            written[kind] = rebuild(kinds=[kind])
            continue
        since = state.swept_until - SWEEP_OVERLAP
        written[kind] = index_objects(kind, src.changed_since(since))
        IndexState.objects.filter(kind=kind).update(swept_until=now)
    return written


def prune() -> int:
    """Remove documents whose object no longer exists (deleted without a reindex)."""
    removed = 0
    for kind, src in sources().items():
        gone = list(
            Document.objects.filter(kind=kind)
            .exclude(object_id__in=src.existing_ids())
            .values_list("object_id", flat=True)
        )
        _forget([(kind, object_id) for object_id in gone])
        removed += len(gone)
    return removed
