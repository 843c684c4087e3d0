"""Who knows about X: people ranked by the evidence in the ledger, each with reasons.

The score of a person for a set of topics adds, kind by kind, the decayed weight of
their evidence on those topics (sub-topics count at ``SUB_TOPIC_FACTOR``), each kind
capped so that a hundred replies do not drown out three helpful ones. Declared and
endorsed expertise is a modest prior that never fades completely; everything else
halves every ``SOLEX_EXPERTISE_HALF_LIFE_DAYS``.

Two bounded queries do the work whatever the number of members or posts: one sums the
summaries (``ExpertiseSummary``) per person in SQL and keeps the best ``pool`` people,
the next reads those people's summaries to apply the caps and write the reasons.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf.locale import LANG_INFO
from django.db.models import Case, F, FloatField, Q, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from solex.accounts.models import Region, User
from solex.expertise.evidence import decay_factor
from solex.expertise.models import EvidenceKind, ExpertiseSummary
from solex.taxonomy.models import Topic

SUB_TOPIC_FACTOR = 0.8
# The most one kind of evidence can add, in points (see solex.expertise.evidence.WEIGHTS).
CAPS: dict[str, float] = {
    EvidenceKind.DECLARED: 4.5,
    EvidenceKind.ENDORSED: 5.0,
    EvidenceKind.REPLIED: 8.0,
    EvidenceKind.HELPFUL: 15.0,
    EvidenceKind.CONSOLIDATED: 8.0,
    EvidenceKind.AUTHORED: 8.0,
    EvidenceKind.ASKED: 1.0,
}
# A declaration whose lasting share reaches this was made at the expert level (people's
# source weighs a declared level at 1.5 points, half of it lasting).
EXPERT_DECLARATION = 2.0
RECENT = datetime.timedelta(days=90)
MAX_TEXT = 500  # characters of free text looked at
MAX_TERMS = 12
MAX_TOPICS = 6  # topics a free text may stand for
TOPIC_DEPTH = 4
MAX_LIMIT = 1000

# Words that say nothing about a topic ("who knows about cash transfers").
STOP_WORDS = frozenset(
    (
        "a",
        "about",
        "an",
        "and",
        "any",
        "anyone",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "could",
        "do",
        "does",
        "experience",
        "expert",
        "experts",
        "expertise",
        "for",
        "from",
        "has",
        "have",
        "help",
        "how",
        "i",
        "in",
        "is",
        "it",
        "knows",
        "know",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "someone",
        "that",
        "the",
        "their",
        "there",
        "this",
        "to",
        "us",
        "we",
        "what",
        "which",
        "who",
        "whom",
        "with",
        "you",
        "your",
    )
)


class LocatorError(ValueError):
    """A filter that names nothing known: the message says what to fix."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class LocatorQuery:
    text: str = ""
    topics: Sequence[Topic] = ()
    language: str = ""
    region: str = ""
    people: QuerySet[User] | None = None  # only these (a community's members, say)
    exclude: Sequence[int] = ()


@dataclass
class RankedPerson:
    person: User
    score: float
    reasons: list[str] = field(default_factory=list)
    # Distinct subjects per kind of evidence ("replied": 3 queries).
    evidence: dict[str, int] = field(default_factory=dict)

    @property
    def reason_text(self) -> str:
        return "; ".join(self.reasons)


@dataclass
class Ranking:
    topics: list[Topic]
    people: list[RankedPerson]


# --- Filters -------------------------------------------------------------------------


def check_language(code: str) -> str:
    code = code.strip().lower()
    if code and code not in LANG_INFO:
        raise LocatorError(
            "language", _("“%(code)s” is not a language code Solex knows.") % {"code": code[:20]}
        )
    return code


def check_region(region: str) -> str:
    region = region.strip()
    if region and region not in Region.values:
        raise LocatorError(
            "region",
            _("“%(region)s” is not a region. Choose one of: %(regions)s.")
            % {"region": region[:40], "regions": ", ".join(Region.values)},
        )
    return region


def topic_by_slug(slug: str) -> Topic:
    topic = Topic.objects.filter(slug=slug.strip()[:140]).first()
    if topic is None:
        raise LocatorError("topic", _("There is no topic “%(slug)s”.") % {"slug": slug[:60]})
    return topic


# --- Free text to topics -------------------------------------------------------------


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in text if not unicodedata.combining(char))


def _stem(word: str) -> str:
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("es", ""), ("s", ""), ("ed", "")):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)] + replacement
    return word


def _words(text: str) -> list[str]:
    return [_stem(word) for word in re.findall(r"\w+", _fold(text)) if word not in STOP_WORDS]


def terms(text: str) -> list[str]:
    """The meaningful words of a free-text question, folded and lightly stemmed."""
    return list(dict.fromkeys(_words(text[:MAX_TEXT])))[:MAX_TERMS]


def topics_for_text(text: str) -> list[Topic]:
    """The topics a question is about, best first: by their names, then descriptions.

    A topic whose whole name appears in the question wins; otherwise topics score by
    the share of their name's words the question uses, and description words count
    for a little. The taxonomy is small (hundreds of topics), so it is read whole.
    """
    wanted = set(terms(text))
    if not wanted:
        return []
    phrase = " ".join(_words(text[:MAX_TEXT]))
    scored: list[tuple[float, str, Topic]] = []
    for topic in Topic.objects.only("pk", "name", "slug", "description", "parent_id")[:5000]:
        name_words = _words(topic.name)
        if not name_words:
            continue
        shared = wanted & set(name_words)
        score = len(shared) / len(name_words)
        if " ".join(name_words) in phrase:
            score += 1.0
        if not shared:
            described = wanted & set(_words(topic.description[:1000]))
            score = 0.2 * min(len(described), 2) / 2 if len(described) >= 2 else 0.0
        if score > 0:
            scored.append((score, topic.name, topic))
    if not scored:
        return []
    scored.sort(key=lambda item: (-item[0], item[1]))
    best = scored[0][0]
    return [topic for score, _name, topic in scored if score >= best / 2][:MAX_TOPICS]


def topic_scope(topics: Iterable[Topic]) -> tuple[set[int], set[int]]:
    """(direct topic ids, their sub-topics' ids), a query per level."""
    direct = {topic.pk for topic in topics}
    below: set[int] = set()
    frontier = set(direct)
    for _level in range(TOPIC_DEPTH):
        if not frontier:
            break
        frontier = set(
            Topic.objects.filter(parent_id__in=frontier)
            .exclude(pk__in=direct | below)
            .values_list("pk", flat=True)
        )
        below |= frontier
    return direct, below


# --- Ranking -------------------------------------------------------------------------


def _candidates(query: LocatorQuery, topic_ids: set[int]) -> QuerySet[ExpertiseSummary]:
    rows = ExpertiseSummary.objects.filter(topic_id__in=topic_ids, person__is_active=True)
    if query.people is not None:
        rows = rows.filter(person_id__in=query.people.values("pk"))
    if query.language:
        speaks = User.objects.filter(
            Q(language_skills__code=query.language) | Q(languages__icontains=f'"{query.language}"')
        ).values("pk")
        rows = rows.filter(person_id__in=speaks)
    if query.region:
        rows = rows.filter(person__region=query.region)
    if query.exclude:
        rows = rows.exclude(person_id__in=list(query.exclude))
    return rows


def rank(query: LocatorQuery, *, limit: int = 10, now: datetime.datetime | None = None) -> Ranking:
    """The people best placed to know, best first, with reasons in the active language."""
    limit = max(1, min(limit, MAX_LIMIT))
    topics = list(query.topics) or topics_for_text(query.text)
    if not topics:
        return Ranking([], [])
    direct, below = topic_scope(topics)
    scope = direct | below
    now = now or timezone.now()
    factor = decay_factor(now)
    weight = F("lasting") + F("growth") * Value(factor)
    rough = Case(
        When(topic_id__in=list(direct), then=weight),
        default=weight * Value(SUB_TOPIC_FACTOR),
        output_field=FloatField(),
    )
    pool_size = min(max(limit * 3, 60), MAX_LIMIT)
    pool = list(
        _candidates(query, scope)
        .values("person_id")
        .annotate(total=Sum(rough))
        .order_by("-total", "person_id")
        .values_list("person_id", flat=True)[:pool_size]
    )
    if not pool:
        return Ranking(topics, [])
    rows = ExpertiseSummary.objects.filter(person_id__in=pool, topic_id__in=scope).values(
        "person_id", "topic_id", "kind", "subjects", "lasting", "growth", "last_at"
    )
    names = dict(Topic.objects.filter(pk__in=scope).values_list("pk", "name"))
    raw: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    subjects: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    declared: dict[int, tuple[float, str]] = {}
    last_active: dict[int, datetime.datetime] = {}
    for row in rows:
        person_id, kind = row["person_id"], row["kind"]
        points = row["lasting"] + row["growth"] * factor
        if row["topic_id"] not in direct:
            points *= SUB_TOPIC_FACTOR
        raw[person_id][kind] += points
        subjects[person_id][kind] += row["subjects"]
        if kind == EvidenceKind.DECLARED:
            # The lasting half of a declaration says how strongly it was declared.
            if person_id not in declared or row["lasting"] > declared[person_id][0]:
                declared[person_id] = (row["lasting"], names.get(row["topic_id"], ""))
        elif kind not in (EvidenceKind.ENDORSED, EvidenceKind.ASKED) and (
            person_id not in last_active or row["last_at"] > last_active[person_id]
        ):
            last_active[person_id] = row["last_at"]
    people = User.objects.select_related("organization").in_bulk(pool)
    ranked = []
    for person_id in pool:
        person = people.get(person_id)
        if person is None:
            continue
        score = sum(min(points, CAPS.get(kind, 5.0)) for kind, points in raw[person_id].items())
        strength, declared_topic = declared.get(person_id, (0.0, ""))
        reasons = describe(
            subjects[person_id],
            declared_topic=declared_topic,
            declared_as_expert=strength >= EXPERT_DECLARATION,
            last_active=last_active.get(person_id),
            now=now,
        )
        ranked.append(RankedPerson(person, round(score, 2), reasons, dict(subjects[person_id])))
    ranked.sort(key=lambda item: (-item.score, item.person.name, item.person.pk))
    return Ranking(topics, ranked[:limit])


def _times(count: int) -> str:
    if count == 1:
        return _("once")
    if count == 2:
        return _("twice")
    return _("%(count)d times") % {"count": count}


def describe(
    counts: dict[str, int],
    *,
    declared_topic: str = "",
    declared_as_expert: bool = False,
    last_active: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> list[str]:
    """Plain sentences for a person's evidence (distinct subjects per kind)."""
    reasons: list[str] = []
    replied = counts.get(EvidenceKind.REPLIED, 0)
    if replied:
        reasons.append(
            ngettext(
                "answered %(count)d similar query", "answered %(count)d similar queries", replied
            )
            % {"count": replied}
        )
    helpful = counts.get(EvidenceKind.HELPFUL, 0)
    if helpful:
        reasons.append(_("replies marked helpful %(times)s") % {"times": _times(helpful)})
    consolidated = counts.get(EvidenceKind.CONSOLIDATED, 0)
    if consolidated:
        reasons.append(
            ngettext(
                "contributed to %(count)d consolidated reply",
                "contributed to %(count)d consolidated replies",
                consolidated,
            )
            % {"count": consolidated}
        )
    authored = counts.get(EvidenceKind.AUTHORED, 0)
    if authored:
        reasons.append(
            ngettext("wrote %(count)d knowledge item", "wrote %(count)d knowledge items", authored)
            % {"count": authored}
        )
    endorsed = counts.get(EvidenceKind.ENDORSED, 0)
    if endorsed:
        reasons.append(
            ngettext(
                "endorsed by %(count)d colleague", "endorsed by %(count)d colleagues", endorsed
            )
            % {"count": endorsed}
        )
    if counts.get(EvidenceKind.DECLARED):
        if declared_as_expert:
            reasons.append(_("declares expert knowledge of %(topic)s") % {"topic": declared_topic})
        else:
            reasons.append(_("knows about %(topic)s") % {"topic": declared_topic})
    if not reasons and counts.get(EvidenceKind.ASKED):
        asked = counts[EvidenceKind.ASKED]
        reasons.append(
            ngettext(
                "asked %(count)d query on this that was answered",
                "asked %(count)d queries on this that were answered",
                asked,
            )
            % {"count": asked}
        )
    if last_active is not None:
        now = now or timezone.now()
        if now - last_active <= RECENT:
            reasons.append(_("active on this in the last three months"))
        elif now - last_active > datetime.timedelta(days=365):
            reasons.append(_("last active on this in %(year)d") % {"year": last_active.year})
    return reasons


# --- One person's record -----------------------------------------------------------------


@dataclass
class TopicRecord:
    topic: Topic
    score: float
    evidence: dict[str, int]

    @property
    def sentence(self) -> str:
        """E.g. "answered 12 queries, 5 marked helpful; contributed to 2 consolidated replies"."""
        parts: list[str] = []
        replied = self.evidence.get(EvidenceKind.REPLIED, 0)
        helpful = self.evidence.get(EvidenceKind.HELPFUL, 0)
        if replied:
            answered = ngettext(
                "answered %(count)d query", "answered %(count)d queries", replied
            ) % {"count": replied}
            if helpful:
                answered += ", " + (
                    ngettext("%(count)d marked helpful", "%(count)d marked helpful", helpful)
                    % {"count": helpful}
                )
            parts.append(answered)
        counts = {
            kind: count
            for kind, count in self.evidence.items()
            if kind not in (EvidenceKind.REPLIED, EvidenceKind.HELPFUL)
        }
        parts.extend(describe(counts, declared_topic=self.topic.name))
        return "; ".join(parts)


def person_record(
    person: User, *, limit: int = 8, now: datetime.datetime | None = None
) -> list[TopicRecord]:
    """The topics a person's evidence is strongest on, with counts per kind (one query)."""
    factor = decay_factor(now)
    totals: dict[int, float] = defaultdict(float)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in ExpertiseSummary.objects.filter(person_id=person.pk).values(
        "topic_id", "kind", "subjects", "lasting", "growth"
    )[:2000]:
        points = row["lasting"] + row["growth"] * factor
        totals[row["topic_id"]] += min(points, CAPS.get(row["kind"], 5.0))
        counts[row["topic_id"]][row["kind"]] = row["subjects"]
    best = sorted(totals, key=lambda topic_id: -totals[topic_id])[:limit]
    topics = Topic.objects.in_bulk(best)
    return [
        TopicRecord(topics[topic_id], round(totals[topic_id], 2), counts[topic_id])
        for topic_id in best
        if topic_id in topics
    ]
