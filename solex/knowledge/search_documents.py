"""Knowledge items as search documents (see solex.search.sources).

Who may see them is ``KnowledgeItem.objects.visible_to``. A consolidated reply is
found by what it says **and** by what its query's visible replies and their
attachments say (the page shows those replies in full), so a word that appears only
in one reply's attached report still finds the answer.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from solex.exchanges.models import Exchange, Reply
from solex.knowledge.models import KnowledgeItem
from solex.search.sources import DocumentData
from solex.search.text import guess_language

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_stubs_ext import StrOrPromise

    from solex.accounts.models import User

CHUNK = 500
#: Attachment text kept per file, so one huge report does not drown the rest.
ATTACHMENT_CHARS = 50_000
FILE_TEXT_WINDOW = timedelta(hours=1)


def _has_field(name: str) -> bool:
    return any(f.name == name for f in KnowledgeItem._meta.get_fields())


def _exchange_attachment_texts(exchange_ids: Iterable[int]) -> dict[int, list[str]]:
    """Extracted text of the files attached to these queries and their shown replies."""
    try:
        attachment = apps.get_model("exchanges", "Attachment")
    except LookupError:
        return {}
    found: dict[int, list[str]] = {}
    rows = (
        attachment.objects.filter(exchange_id__in=exchange_ids)
        .filter(Q(reply__isnull=True) | Q(reply__is_hidden=False))
        .values_list("exchange_id", "file__original_name", "file__extracted_text")
    )
    for exchange_id, name, text in rows:
        found.setdefault(exchange_id, []).append(f"{name}\n{(text or '')[:ATTACHMENT_CHARS]}")
    return found


def _item_attachment_texts(item: KnowledgeItem) -> list[str]:
    manager: Any = getattr(item, "attachments", None)
    if manager is None or not hasattr(manager, "all"):
        return []
    texts = []
    for attached in manager.all():
        stored = getattr(attached, "file", None)
        if stored is not None:
            texts.append(f"{stored.original_name}\n{stored.extracted_text[:ATTACHMENT_CHARS]}")
    return texts


def _structured_text(item: KnowledgeItem) -> str:
    parts: list[str] = []
    lesson = getattr(item, "lesson", None) if hasattr(item, "lesson") else None
    if lesson is not None:
        parts += [
            lesson.context,
            lesson.what_worked,
            lesson.what_did_not_work,
            lesson.why,
            lesson.recommendation,
            lesson.evidence,
        ]
    details = getattr(item, "details", None)
    if isinstance(details, dict):
        parts += [str(value) for value in details.values() if isinstance(value, str | int)]
    return "\n".join(p for p in parts if p)


class KnowledgeSource:
    kind = "knowledge"
    group = "knowledge"

    @property
    def label(self) -> StrOrPromise:
        return _("Knowledge item")

    def visible(self, user: User | AnonymousUser) -> Q:
        return Q(Exists(KnowledgeItem.objects.visible_to(user).filter(pk=OuterRef("object_id"))))

    def documents(self, ids: Iterable[int] | None = None) -> Iterator[DocumentData]:
        base = (
            KnowledgeItem.objects.all() if ids is None else KnowledgeItem.objects.filter(pk__in=ids)
        )
        all_ids = list(base.order_by("pk").values_list("pk", flat=True))
        with_topics = _has_field("topics")
        for start in range(0, len(all_ids), CHUNK):
            chunk = all_ids[start : start + CHUNK]
            items = list(
                KnowledgeItem.objects.filter(pk__in=chunk)
                .select_related("community", "lesson", "consolidated")
                .prefetch_related(
                    *(["topics"] if with_topics else []),
                    *(["attachments__file"] if _has_field("attachments") else []),
                )
            )
            sources = {i.source_exchange_id for i in items if i.source_exchange_id}
            replies: dict[int, list[str]] = {}
            for exchange_id, body in (
                Reply.objects.filter(exchange_id__in=sources, is_hidden=False)
                .order_by("created_at", "pk")
                .values_list("exchange_id", "body")
            ):
                replies.setdefault(exchange_id, []).append(body)
            attached = _exchange_attachment_texts(sources)
            countries = dict(Exchange.objects.filter(pk__in=sources).values_list("pk", "country"))
            source_topics: dict[int, list[int]] = {}
            for exchange_id, topic_id in Exchange.topics.through.objects.filter(
                exchange_id__in=sources
            ).values_list("exchange_id", "topic_id"):
                source_topics.setdefault(exchange_id, []).append(topic_id)
            for item in items:
                yield self._document(item, replies, attached, countries, source_topics, with_topics)

    def _document(
        self,
        item: KnowledgeItem,
        replies: dict[int, list[str]],
        attached: dict[int, list[str]],
        exchange_countries: dict[int, str],
        source_topics: dict[int, list[int]],
        with_topics: bool,
    ) -> DocumentData:
        source = item.source_exchange_id
        parts = [item.summary, item.body, _structured_text(item)]
        if source is not None:
            parts += replies.get(source, []) + attached.get(source, [])
        parts += _item_attachment_texts(item)
        text = "\n\n".join(p for p in parts if p)
        consolidated = item.kind == KnowledgeItem.Kind.CONSOLIDATED_REPLY
        countries = list(getattr(item, "countries", None) or [])
        if source is not None and exchange_countries.get(source):
            countries.append(exchange_countries[source])
        used = int(getattr(item, "view_count", 0) or 0) + 5 * int(
            getattr(item, "useful_yes", 0) or 0
        )
        archived = getattr(item, "status", "published") == "archived"
        return DocumentData(
            kind=self.kind,
            object_id=item.pk,
            title=item.title,
            text=text,
            url=item.get_absolute_url(),
            date=getattr(item, "updated_at", None) or item.created_at,
            community_id=item.community_id,
            community_name=item.community.name,
            language=getattr(item, "language", "")
            or guess_language(f"{item.title} {item.summary}"),
            # A consolidated reply is also about what its query was about.
            topics=[
                *([t.pk for t in item.topics.all()] if with_topics else []),
                *source_topics.get(source or 0, []),
            ],
            countries=countries,
            state="archived" if archived else "",
            quality=(1.5 if consolidated else 1.3)
            + 0.05 * math.log1p(used)
            - (0.5 if archived else 0.0),
            is_consolidated=consolidated,
            subtitle=item.get_kind_display(),
        )

    def changed_since(self, since: datetime) -> Iterable[int]:
        changed = Q(created_at__gte=since) | Q(source_exchange__last_activity_at__gte=since)
        if _has_field("updated_at"):
            changed |= Q(updated_at__gte=since)
        if _has_field("last_reviewed_at"):
            changed |= Q(last_reviewed_at__gte=since)
        try:
            attachment = apps.get_model("exchanges", "Attachment")
        except LookupError:
            pass
        else:
            # A file's text is extracted in the background after upload, and leaves no
            # date: look at the consolidated replies whose query got a file in the last
            # hour, on every sweep, so a slow extraction is still picked up.
            recent = since - FILE_TEXT_WINDOW
            changed |= Q(
                Exists(
                    attachment.objects.filter(
                        exchange_id=OuterRef("source_exchange_id"), file__uploaded_at__gte=recent
                    )
                )
            )
        return KnowledgeItem.objects.filter(changed).values_list("pk", flat=True)

    def existing_ids(self) -> Iterable[int]:
        return KnowledgeItem.objects.values_list("pk", flat=True)

    def count(self) -> int:
        return KnowledgeItem.objects.count()


KNOWLEDGE = KnowledgeSource()
