"""Searching the index, with the permission filter inside the query.

``search(user, params)`` builds one ``Document`` filter, ``visible_q(user)`` (each
source's rule on the live rows) AND the chosen filters, compiles its WHERE clause and
hands it to the backend, which adds the full-text match: counting, ranking and
paging all happen in that one filtered statement, so a safe-space item is never
counted, ranked or cut into a snippet for someone who may not see it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString

from solex.search import backends
from solex.search.highlight import highlight
from solex.search.models import Document, DocumentTopic
from solex.search.query import ParsedQuery, any_of, parse
from solex.search.sources import groups, sources, visible_q
from solex.taxonomy.models import Topic

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from solex.accounts.models import User

    AnyUser = User | AnonymousUser

PER_PAGE = 20
COUNT_CAP = 1000


@dataclass
class SearchParams:
    q: str = ""
    types: list[str] = field(default_factory=list)  # filter values of sources.groups()
    community_id: int | None = None
    topic_ids: list[int] = field(default_factory=list)
    country: str = ""
    language: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @property
    def has_filters(self) -> bool:
        return bool(
            self.types
            or self.community_id
            or self.topic_ids
            or self.country
            or self.language
            or self.date_from
            or self.date_to
        )


@dataclass
class Result:
    document: Document
    score: float
    title: SafeString
    snippet: SafeString
    kind_label: str = ""
    topics: list[Topic] = field(default_factory=list)


@dataclass
class SearchResults:
    results: list[Result]
    count: int
    page: int
    per_page: int
    #: True when no document had every word and these match any of them instead.
    any_words: bool = False

    @property
    def count_is_capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def shown_count(self) -> int:
        return min(self.count, COUNT_CAP)

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.shown_count

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _kinds(types: list[str]) -> list[str] | None:
    if not types:
        return None
    by_group = groups()
    return [kind for value in types for kind in by_group.get(value, [])]


def filtered(user: AnyUser, params: SearchParams) -> QuerySet[Document]:
    """Documents ``user`` may see that pass the filters (no text match yet)."""
    kinds = _kinds(params.types)
    condition = visible_q(user, kinds)
    if kinds is not None:
        condition &= Q(kind__in=kinds)
    if params.community_id is not None:
        condition &= Q(community_id=params.community_id)
    if params.topic_ids:
        condition &= Q(
            Exists(
                DocumentTopic.objects.filter(document=OuterRef("pk"), topic_id__in=params.topic_ids)
            )
        )
    if params.country:
        condition &= Q(countries__contains=f" {params.country.upper()} ")
    if params.language:
        condition &= Q(language=params.language)
    zone = timezone.get_current_timezone()
    if params.date_from:
        condition &= Q(date__gte=datetime.combine(params.date_from, time.min, tzinfo=zone))
    if params.date_to:
        condition &= Q(date__lte=datetime.combine(params.date_to, time.max, tzinfo=zone))
    return Document.objects.filter(condition)


def _where(queryset: QuerySet[Document]) -> tuple[str, list[Any]]:
    query = queryset.query
    compiler = query.get_compiler(connection=connection)
    sql, params = compiler.compile(query.where)
    return sql or "1=1", list(params)


def _results(rows: list[tuple[int, float]], parsed: ParsedQuery | None) -> list[Result]:
    documents = Document.objects.in_bulk([pk for pk, _score in rows])
    tokens = parsed.highlight_tokens if parsed is not None else set()
    links = DocumentTopic.objects.filter(document_id__in=list(documents)).values_list(
        "document_id", "topic_id"
    )
    topic_ids: dict[int, list[int]] = {}
    for document_id, topic_id in links:
        topic_ids.setdefault(document_id, []).append(topic_id)
    topics = Topic.objects.in_bulk({t for ids in topic_ids.values() for t in ids})
    labels = {kind: str(src.label) for kind, src in sources().items()}
    results = []
    for pk, score in rows:
        document = documents.get(pk)
        if document is None:
            continue
        results.append(
            Result(
                document=document,
                score=score,
                title=highlight(document.title, tokens, whole=True),
                snippet=highlight(document.text[:20000], tokens),
                kind_label=labels.get(document.kind, document.kind),
                topics=sorted(
                    (topics[t] for t in topic_ids.get(pk, []) if t in topics),
                    key=lambda topic: topic.name,
                ),
            )
        )
    return results


def run(
    user: AnyUser,
    parsed: ParsedQuery,
    params: SearchParams,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
    with_count: bool = True,
) -> SearchResults:
    where, where_params = _where(filtered(user, params))
    offset = (page - 1) * per_page
    rows = backends.ranked_ids(parsed, where, where_params, limit=per_page, offset=offset)
    total = backends.count(parsed, where, where_params, cap=COUNT_CAP) if with_count else len(rows)
    return SearchResults(_results(rows, parsed), total, page, per_page)


def search(
    user: AnyUser, params: SearchParams, *, page: int = 1, per_page: int = PER_PAGE
) -> SearchResults:
    """Documents matching every word (or, when none does, any word), best first."""
    parsed = parse(params.q)
    if parsed.is_empty:
        return browse(user, params, page=page, per_page=per_page)
    found = run(user, parsed, params, page=page, per_page=per_page)
    if found.count == 0 and len(parsed.terms) > 1 and len(parsed.groups) == 1:
        found = run(user, any_of(parsed), params, page=page, per_page=per_page)
        found.any_words = True
    return found


def browse(
    user: AnyUser, params: SearchParams, *, page: int = 1, per_page: int = PER_PAGE
) -> SearchResults:
    """Filters without words: the visible documents that pass them, best and newest first."""
    if not params.has_filters:
        return SearchResults([], 0, page, per_page)
    queryset = filtered(user, params).order_by("-quality", "-date", "-pk")
    offset = (page - 1) * per_page
    rows = [(pk, 0.0) for pk in queryset.values_list("pk", flat=True)[offset : offset + per_page]]
    total = queryset[: COUNT_CAP + 1].count()
    return SearchResults(_results(rows, None), total, page, per_page)


def similar(user: AnyUser, text: str, *, kinds: list[str], limit: int = 5) -> list[Result]:
    """Documents like ``text`` (any of its words, best first), e.g. for similar questions."""
    parsed = parse(text)
    if parsed.is_empty:
        return []
    params = SearchParams()
    where, where_params = _where(filtered(user, params).filter(kind__in=kinds))
    rows = backends.ranked_ids(any_of(parsed), where, where_params, limit=limit, offset=0)
    return _results(rows, parsed)


@dataclass
class CommunityChoice:
    pk: int
    slug: str
    name: str


def visible_communities(user: AnyUser) -> list[CommunityChoice]:
    """Communities to filter by: the indexed ones this person may see, by name."""
    documents = filtered(user, SearchParams(types=["communities"])).order_by("title")
    return [
        CommunityChoice(pk, slug, name)
        for pk, slug, name in documents.values_list("object_id", "slug", "title")
    ]


def topic_ids_for(slug: str) -> list[int]:
    """The topic with this slug and every topic below it; empty when there is none."""
    topic = Topic.objects.filter(slug=slug).first()
    return topic_and_below(topic) if topic is not None else []


def topic_and_below(topic: Topic) -> list[int]:
    ids = [topic.pk]
    frontier = [topic.pk]
    for _depth in range(6):
        frontier = list(Topic.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        if not frontier:
            break
        ids += frontier
    return ids


# --- Topic pages ----------------------------------------------------------------------


@dataclass
class TopicSection:
    """A block of a topic page added by another app (``SOLEX_TOPIC_PAGE_SECTIONS``)."""

    title: str
    items: list[tuple[str, str, str]]  # (text, address, detail)


@dataclass
class TopicPage:
    topic: Topic
    topic_ids: list[int]
    knowledge: list[Document]
    open_exchanges: list[Document]
    answered_exchanges: list[Document]
    communities: list[Document]
    experts: list[Any]
    sections: list[TopicSection]
    children: list[Topic]


def _by_topic(
    user: AnyUser, topic_ids: list[int], types: list[str], limit: int, **extra: Any
) -> list[Document]:
    queryset = filtered(user, SearchParams(types=types, topic_ids=topic_ids)).filter(**extra)
    return list(queryset.order_by("-quality", "-date", "-pk")[:limit])


def topic_page(user: AnyUser, topic: Topic, *, limit: int = 8) -> TopicPage:
    """Everything this person may see about a topic (and the topics below it)."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    ids = topic_and_below(topic)
    experts_path = getattr(settings, "SOLEX_TOPIC_EXPERTS", "")
    experts = import_string(experts_path)(ids, user, limit) if experts_path else []
    sections = [
        import_string(path)(topic, ids, user)
        for path in getattr(settings, "SOLEX_TOPIC_PAGE_SECTIONS", [])
    ]
    return TopicPage(
        topic=topic,
        topic_ids=ids,
        knowledge=_by_topic(user, ids, ["knowledge"], limit),
        open_exchanges=_by_topic(user, ids, ["exchanges"], limit, kind="exchange", state="open"),
        answered_exchanges=_by_topic(
            user, ids, ["exchanges"], limit, kind="exchange", state="answered"
        ),
        communities=_by_topic(user, ids, ["communities"], limit),
        experts=experts,
        sections=[section for section in sections if section is not None],
        children=list(topic.children.order_by("name")),
    )
