"""Exchanges and their replies as search documents (see solex.search.sources).

Who may see them is ``Exchange.objects.visible_to`` (community audience; a
direct-connect request only for its author and the community's moderators); a reply
also needs to be shown (hidden replies are never found).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from solex.exchanges.models import (
    Attachment,
    CloseReason,
    Exchange,
    ExchangeEvent,
    HelpfulMark,
    Reply,
    Status,
)
from solex.search.sources import DocumentData
from solex.search.text import guess_language

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_stubs_ext import StrOrPromise

    from solex.accounts.models import User

ANSWERED = (
    CloseReason.CONSOLIDATED,
    CloseReason.ANSWERED,
    CloseReason.COMPLETED,
    CloseReason.LIBRARY,
)
# Attached files' text is extracted in the background after the upload: exchanges with
# files this recent are indexed again, so the text is found once it is there.
EXTRACTION_GRACE = timedelta(minutes=10)
CHUNK = 2000


def _state(exchange: Exchange) -> str:
    if exchange.status != Status.CLOSED:
        return "open"
    return "answered" if exchange.close_reason in ANSWERED else "closed"


def _chunked(queryset: QuerySet[Exchange] | QuerySet[Reply]) -> Iterator[list[int]]:
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _topics(exchange_ids: Iterable[int]) -> dict[int, list[int]]:
    through = Exchange.topics.through
    found: dict[int, list[int]] = {}
    for exchange_id, topic_id in through.objects.filter(exchange_id__in=exchange_ids).values_list(
        "exchange_id", "topic_id"
    ):
        found.setdefault(exchange_id, []).append(topic_id)
    return found


def _changed_exchanges(since: datetime) -> set[int]:
    """Exchanges with new activity or a new event (sharpened, closed, moderated...)."""
    active = Exchange.objects.filter(last_activity_at__gte=since).values_list("pk", flat=True)
    events = ExchangeEvent.objects.filter(at__gte=since).values_list("exchange_id", flat=True)
    attached = Attachment.objects.filter(created_at__gte=since - EXTRACTION_GRACE).values_list(
        "exchange_id", flat=True
    )
    return set(active) | set(events) | set(attached)


def _attached_texts(exchange_ids: Iterable[int], *, replies: bool) -> dict[int, list[str]]:
    """The extracted text of the files on these exchanges (or on their replies), by owner."""
    rows = Attachment.objects.filter(
        exchange_id__in=exchange_ids, reply__isnull=not replies
    ).values_list("reply_id" if replies else "exchange_id", "file__extracted_text")
    found: dict[int, list[str]] = {}
    for owner, text in rows:
        if text:
            found.setdefault(owner, []).append(text)
    return found


def _visible_exchanges(user: User | AnonymousUser) -> QuerySet[Exchange]:
    return Exchange.objects.visible_to(user)


class ExchangeSource:
    kind = "exchange"
    group = "exchanges"

    @property
    def label(self) -> StrOrPromise:
        return _("Exchange")

    def visible(self, user: User | AnonymousUser) -> Q:
        return Q(Exists(_visible_exchanges(user).filter(pk=OuterRef("object_id"))))

    def documents(self, ids: Iterable[int] | None = None) -> Iterator[DocumentData]:
        base = Exchange.objects.all() if ids is None else Exchange.objects.filter(pk__in=ids)
        base = base.exclude(close_reason=CloseReason.DUPLICATE)
        for chunk in _chunked(base):
            topics = _topics(chunk)
            files = _attached_texts(chunk, replies=False)
            rows = (
                Exchange.objects.filter(pk__in=chunk)
                .select_related("community")
                .only(
                    "pk",
                    "kind",
                    "title",
                    "body",
                    "context",
                    "country",
                    "status",
                    "close_reason",
                    "created_at",
                    "reply_count",
                    "is_direct_connect",
                    "community__name",
                )
            )
            for exchange in rows:
                text = "\n".join([exchange.body, exchange.context, *files.get(exchange.pk, [])])
                state = _state(exchange)
                consolidated = exchange.close_reason == CloseReason.CONSOLIDATED
                yield DocumentData(
                    kind=self.kind,
                    object_id=exchange.pk,
                    title=exchange.title,
                    text=text,
                    url=exchange.get_absolute_url(),
                    date=exchange.created_at,
                    community_id=exchange.community_id,
                    community_name=exchange.community.name,
                    language=guess_language(f"{exchange.title} {text}"),
                    topics=topics.get(exchange.pk, []),
                    countries=[exchange.country] if exchange.country else [],
                    state=state,
                    quality=1.0
                    + (0.3 if state == "answered" else 0.0)
                    + (0.2 if consolidated else 0.0)
                    + 0.05 * math.log1p(exchange.reply_count),
                    is_consolidated=consolidated,
                    subtitle=exchange.get_kind_display(),
                )

    def changed_since(self, since: datetime) -> Iterable[int]:
        return _changed_exchanges(since)

    def existing_ids(self) -> Iterable[int]:
        return Exchange.objects.values_list("pk", flat=True)

    def count(self) -> int:
        return Exchange.objects.count()


class ReplySource:
    kind = "reply"
    group = "exchanges"

    @property
    def label(self) -> StrOrPromise:
        return _("Reply")

    def visible(self, user: User | AnonymousUser) -> Q:
        shown = Reply.objects.filter(pk=OuterRef("object_id"), is_hidden=False).filter(
            Exists(_visible_exchanges(user).filter(pk=OuterRef("exchange_id")))
        )
        return Q(Exists(shown))

    def documents(self, ids: Iterable[int] | None = None) -> Iterator[DocumentData]:
        base = Reply.objects.all() if ids is None else Reply.objects.filter(pk__in=ids)
        base = base.filter(is_hidden=False)
        for chunk in _chunked(base):
            rows = list(
                Reply.objects.filter(pk__in=chunk)
                .select_related("exchange", "exchange__community")
                .only(
                    "pk",
                    "body",
                    "created_at",
                    "helpful_count",
                    "exchange__title",
                    "exchange__kind",
                    "exchange__country",
                    "exchange__community__name",
                    "exchange__community_id",
                )
            )
            topics = _topics({reply.exchange_id for reply in rows})
            files = _attached_texts({reply.exchange_id for reply in rows}, replies=True)
            for reply in rows:
                exchange = reply.exchange
                yield DocumentData(
                    kind=self.kind,
                    object_id=reply.pk,
                    title=exchange.title,
                    text="\n".join([reply.body, *files.get(reply.pk, [])]),
                    url=f"{exchange.get_absolute_url()}#reply-{reply.pk}",
                    date=reply.created_at,
                    community_id=exchange.community_id,
                    community_name=exchange.community.name,
                    language=guess_language(reply.body),
                    topics=topics.get(exchange.pk, []),
                    countries=[exchange.country] if exchange.country else [],
                    quality=0.9 + 0.15 * math.log1p(reply.helpful_count),
                    helpful_count=reply.helpful_count,
                )

    def changed_since(self, since: datetime) -> Iterable[int]:
        # New, edited, hidden or shown replies all leave a trace on their exchange
        # (last activity or an event); helpful marks have their own date.
        marked = HelpfulMark.objects.filter(created_at__gte=since).values_list(
            "reply_id", flat=True
        )
        return set(
            Reply.objects.filter(exchange_id__in=_changed_exchanges(since)).values_list(
                "pk", flat=True
            )
        ) | set(marked)

    def existing_ids(self) -> Iterable[int]:
        return Reply.objects.values_list("pk", flat=True)

    def count(self) -> int:
        return Reply.objects.count()


EXCHANGES = ExchangeSource()
REPLIES = ReplySource()
