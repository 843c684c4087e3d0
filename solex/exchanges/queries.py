"""Reads of exchanges used by the pages and the API, with visibility applied in SQL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from solex.accounts.models import User
from solex.communities import permissions as community_policy
from solex.communities.models import Community
from solex.exchanges import permissions
from solex.exchanges.models import (
    Attachment,
    Draft,
    Exchange,
    ExchangeEvent,
    ExchangeRevision,
    Reply,
    ReplyRevision,
)
from solex.search import queries as search_queries
from solex.taxonomy.models import Topic

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser

# Words that say nothing about what a question is about (English, French, Spanish).
STOP_WORDS = frozenset(
    [
        "about",
        "after",
        "again",
        "also",
        "any",
        "are",
        "been",
        "before",
        "being",
        "between",
        "both",
        "but",
        "can",
        "could",
        "does",
        "doing",
        "during",
        "each",
        "from",
        "further",
        "have",
        "having",
        "here",
        "how",
        "into",
        "just",
        "more",
        "most",
        "other",
        "our",
        "out",
        "over",
        "own",
        "same",
        "should",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "under",
        "until",
        "very",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "your",
        "you",
        "need",
        "needs",
        "know",
        "anyone",
        "someone",
        "something",
        "experience",
        "experiences",
        "please",
        "thanks",
        "thank",
        "help",
        "question",
        "questions",
        "share",
        "examples",
        "example",
        "looking",
        "work",
        "working",
        "dans",
        "pour",
        "avec",
        "sont",
        "nous",
        "vous",
        "leur",
        "elle",
        "être",
        "avoir",
        "faire",
        "comme",
        "plus",
        "quel",
        "quelle",
        "quels",
        "quelles",
        "mais",
        "sans",
        "sous",
        "chez",
        "entre",
        "cette",
        "ceci",
        "cela",
        "para",
        "como",
        "esta",
        "este",
        "estos",
        "estas",
        "pero",
        "sobre",
        "tiene",
        "tienen",
        "hacer",
        "entre",
        "desde",
        "cuando",
        "donde",
        "porque",
    ]
)
MIN_WORD = 4
MAX_WORDS = 8
CANDIDATES = 200
_WORD = re.compile(r"\w+", re.UNICODE)


def exchange_for(user: AnyUser, pk: int) -> Exchange:
    """The exchange if this person may see it; 404 otherwise, whether it exists or not."""
    return get_object_or_404(
        Exchange.objects.visible_to(user).select_related("community", "author", "moved_to"),
        pk=pk,
    )


@dataclass(frozen=True)
class ExchangeFilters:
    kind: str = ""
    status: str = ""
    topic: str = ""


def community_exchanges(
    user: AnyUser, community: Community, filters: ExchangeFilters = ExchangeFilters()
) -> QuerySet[Exchange]:
    """A community's exchanges this person may see, most recently active first.

    The caller has already checked that this person may see the community
    (``community_for``), so only the direct-connect rule of ``visible_to`` remains, and
    it is decided once here rather than per row: the page's count stays an index scan.
    """
    exchanges = Exchange.objects.filter(community=community)
    if not community_policy.can_moderate(user, community):
        private = Q(is_direct_connect=False)
        if isinstance(user, User) and user.is_active:
            private |= Q(author_id=user.pk)
        exchanges = exchanges.filter(private)
    return _filtered(exchanges, filters)


def visible_exchanges(
    user: AnyUser, filters: ExchangeFilters = ExchangeFilters()
) -> QuerySet[Exchange]:
    """Every exchange this person may see, across communities (the API list)."""
    return _filtered(Exchange.objects.visible_to(user), filters)


def _filtered(exchanges: QuerySet[Exchange], filters: ExchangeFilters) -> QuerySet[Exchange]:
    exchanges = exchanges.select_related("community", "author").order_by("-last_activity_at", "-pk")
    if filters.kind:
        exchanges = exchanges.filter(kind=filters.kind)
    if filters.status:
        exchanges = exchanges.filter(status=filters.status)
    if filters.topic:
        exchanges = exchanges.filter(topics__slug=filters.topic)
    return exchanges


def replies_of(exchange: Exchange) -> QuerySet[Reply]:
    """Every reply in order with its author: one query however many there are."""
    return exchange.replies.select_related("author", "author__organization", "hidden_by")


def attachments_by_reply(exchange: Exchange) -> dict[int | None, list[Attachment]]:
    """The exchange's files grouped by reply (``None``: the query's own), in one query."""
    grouped: dict[int | None, list[Attachment]] = {}
    for attachment in exchange.attachments.select_related("file"):
        grouped.setdefault(attachment.reply_id, []).append(attachment)
    return grouped


def reply_revisions_of(exchange: Exchange) -> dict[int, list[ReplyRevision]]:
    """Earlier wordings of the exchange's edited replies, newest first, in one query."""
    grouped: dict[int, list[ReplyRevision]] = {}
    revisions = ReplyRevision.objects.filter(reply__exchange=exchange).select_related("edited_by")
    for revision in revisions:
        grouped.setdefault(revision.reply_id, []).append(revision)
    return grouped


def attachment_for(user: AnyUser, pk: int) -> Attachment:
    """The attachment if this person may download it; 404 otherwise."""
    attachment = get_object_or_404(
        Attachment.objects.select_related("file", "reply", "exchange__community"), pk=pk
    )
    if not permissions.can_download(user, attachment.exchange, attachment.reply):
        raise Http404
    return attachment


def draft_data(user: AnyUser, key: str) -> dict[str, str]:
    """What this person had typed in this form and not sent yet (empty when nothing)."""
    if not isinstance(user, User):
        return {}
    data = Draft.objects.filter(user=user, key=key).values_list("data", flat=True).first()
    return dict(data) if isinstance(data, dict) else {}


def revisions_of(exchange: Exchange) -> QuerySet[ExchangeRevision]:
    return exchange.revisions.select_related("edited_by")


def events_of(exchange: Exchange) -> QuerySet[ExchangeEvent]:
    return exchange.events.select_related("actor")


def helpful_reply_ids(user: AnyUser, exchange: Exchange) -> set[int]:
    """The replies here this person marked helpful."""
    if not isinstance(user, User):
        return set()
    return set(exchange.replies.filter(helpful_marks__user=user).values_list("pk", flat=True))


def with_topics(exchanges: QuerySet[Exchange]) -> QuerySet[Exchange]:
    return exchanges.prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))


# --- Similar past queries --------------------------------------------------------------------


def significant_words(text: str) -> list[str]:
    """The words that say what a text is about: lower-cased, no stop words, longest first."""
    words = {word.lower() for word in _WORD.findall(text or "")}
    kept = [w for w in words if len(w) >= MIN_WORD and not w.isdigit() and w not in STOP_WORDS]
    return sorted(kept, key=lambda word: (-len(word), word))


def _stem(word: str) -> str:
    """A crude stem so "tariffs" meets "tariff" and "pricing" meets "price"."""
    for suffix in ("ations", "ation", "ings", "ing", "ies", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_WORD - 1:
            return word[: -len(suffix)]
    return word


@dataclass(frozen=True)
class SimilarExchange:
    exchange: Exchange
    score: float


def similar_exchanges(
    text: str, *, user: AnyUser, limit: int = 5, exclude: int | None = None
) -> list[SimilarExchange]:
    """Past exchanges that look like ``text``, best first, among those this person may see.

    A real but simple method until search lands: a LIKE prefilter on the text's
    significant words (visibility applied in SQL) picks a bounded set of candidates,
    then ranks them by the share of the text's word stems they contain, counting
    title matches double and preferring closed (answered) exchanges.
    """
    words = significant_words(text)[:MAX_WORDS]
    if not words:
        return []
    # The search index first (any of the words, ranked, visibility in SQL: docs/search.md);
    # the word-overlap method below while the index has nothing (not built yet).
    indexed = search_queries.similar(user, " ".join(words), kinds=["exchange"], limit=limit + 1)
    ids = [r.document.object_id for r in indexed if r.document.object_id != exclude][:limit]
    if ids:
        found = Exchange.objects.visible_to(user).select_related("community").in_bulk(ids)
        scores = {r.document.object_id: round(r.score, 3) for r in indexed}
        return [SimilarExchange(found[pk], scores[pk]) for pk in ids if pk in found]
    stems = {_stem(word) for word in words}
    prefilter = Q()
    for stem in stems:
        prefilter |= Q(title__icontains=stem) | Q(body__icontains=stem)
    candidates = (
        Exchange.objects.visible_to(user)
        .filter(prefilter)
        .select_related("community")
        .order_by("-last_activity_at", "-pk")
    )
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude)
    ranked = []
    for exchange in candidates[:CANDIDATES]:
        title = {_stem(word) for word in significant_words(exchange.title)}
        body = {_stem(word) for word in significant_words(exchange.body)}
        in_title = len(stems & title)
        in_body = len(stems & (body - title))
        score = (2 * in_title + in_body) / (2 * len(stems))
        if exchange.status == "closed" and exchange.close_reason not in ("duplicate", "withdrawn"):
            score *= 1.2
        if score >= 0.25:
            ranked.append(SimilarExchange(exchange, round(score, 3)))
    ranked.sort(key=lambda item: (-item.score, -item.exchange.pk))
    return ranked[:limit]
