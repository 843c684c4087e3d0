"""Who should be asked: ranked expert suggestions for a query, each with its reasons.

"Right query, right people, right time" (seed 000). Candidates are the members of the
query's community and, where the query's audience allows it, of its neighbours in
the meta-network (parent, siblings, children). Each is scored on:

- declared and endorsed expertise on the query's topics, sub-topics included;
- helpful replies they gave on earlier exchanges with those topics;
- a language they share with the asker;
- the same country as the query (or the asker), or the same region;
- how often they were asked in the last 30 days, which lowers the score, so the load
  spreads instead of falling on the same three people.

Everything is read in a fixed number of queries, whatever the number of candidates.
Expertise and languages are read through the user's relations (``expertise_claims``,
``language_skills``), because the people app sits above this one.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext as _

from solex.accounts.countries import country_name
from solex.accounts.models import User
from solex.communities.models import Community, Membership, Role, RoleAssignment, Visibility
from solex.exchanges.actions import related_communities
from solex.exchanges.models import Exchange, ExpertRequest, Reply
from solex.taxonomy.models import Topic

LOAD_WINDOW = datetime.timedelta(days=30)
# Candidates scored at most: the ones with evidence on the topics come first anyway.
MAX_POOL = 300
TOPIC_DEPTH = 4

# Weights, in points. An expert-level declaration endorsed by three colleagues, with
# two helpful replies, scores around 15; each request in the last month costs 2.
LEVEL_POINTS = {1: 2.0, 2: 4.0, 3: 6.0}
SUB_TOPIC_FACTOR = 0.8
ENDORSEMENT_POINTS = 1.0
MAX_ENDORSEMENT_POINTS = 5.0
CONTRIBUTION_POINTS = 0.5
MAX_CONTRIBUTION_POINTS = 2.0
HELPFUL_POINTS = 2.0
MAX_HELPFUL_POINTS = 8.0
EXPERT_ROLE_POINTS = 1.0
LANGUAGE_POINTS = 1.0
COUNTRY_POINTS = 1.5
REGION_POINTS = 0.5
NEIGHBOUR_PENALTY = 0.5
LOAD_PENALTY = 2.0
# Languages almost everyone shares say nothing about fit.
COMMON_LANGUAGES = frozenset({"en"})


@dataclass
class Suggestion:
    person: User
    score: float
    reasons: list[str] = field(default_factory=list)

    @property
    def reason_text(self) -> str:
        return "; ".join(self.reasons)


def _language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def topic_scope(exchange: Exchange) -> tuple[dict[int, str], set[int]]:
    """The query's topics with their sub-topics (names by id), and which of them are direct.

    A query without topics borrows its community's.
    """
    direct = {topic.pk: topic.name for topic in exchange.topics.all()}
    if not direct:
        direct = {topic.pk: topic.name for topic in exchange.community.topics.all()}
    names = dict(direct)
    frontier = set(direct)
    for _level in range(TOPIC_DEPTH):
        if not frontier:
            break
        children = dict(
            Topic.objects.filter(parent_id__in=frontier)
            .exclude(pk__in=names)
            .values_list("pk", "name")
        )
        names.update(children)
        frontier = set(children)
    return names, set(direct)


def _communities(exchange: Exchange) -> tuple[list[int], Q]:
    """Ids of the communities whose members may be suggested, and who among neighbours may."""
    community = exchange.community
    own = [community.pk]
    if exchange.is_direct_connect or community.visibility == Visibility.MEMBERS:
        return own, Q(pk__in=[])
    neighbours = list(
        Community.objects.filter(related_communities(community)).values_list("pk", flat=True)
    )
    allowed = Q(memberships__community_id__in=neighbours)
    if community.visibility == Visibility.ORGANISATION:
        allowed &= Q(organization__is_internal=True)
    return own, allowed


def suggest_experts(exchange: Exchange, *, limit: int = 10) -> list[Suggestion]:
    """The members best placed to answer, best first, each with human reasons."""
    community = exchange.community
    topics, direct_topics = topic_scope(exchange)
    topic_ids = list(topics)
    own, neighbour_rule = _communities(exchange)
    asked = ExpertRequest.objects.filter(exchange=exchange).values("expert_id")

    member_here = Exists(Membership.objects.filter(user_id=OuterRef("pk"), community_id__in=own))
    has_claim = Exists(
        User.objects.filter(pk=OuterRef("pk"), expertise_claims__topic_id__in=topic_ids)
    )
    has_helpful = Exists(
        Reply.objects.filter(
            author_id=OuterRef("pk"),
            helpful_count__gt=0,
            is_hidden=False,
            exchange__topics__id__in=topic_ids,
        )
    )
    has_role = Exists(
        RoleAssignment.objects.filter(
            membership__user_id=OuterRef("pk"), community_id__in=own, role=Role.EXPERT
        )
    )
    in_scope = Q(member_here) | Q(pk__in=User.objects.filter(neighbour_rule).values("pk"))
    pool = list(
        User.objects.filter(in_scope, is_active=True)
        .filter(Q(has_claim) | Q(has_helpful) | Q(has_role))
        .exclude(pk=exchange.author_id or 0)
        .exclude(pk__in=asked)
        .annotate(is_here=member_here)
        .select_related("organization")
        .order_by("pk")[:MAX_POOL]
    )
    if not pool:
        return []
    pool_ids = [person.pk for person in pool]
    scores: dict[int, float] = defaultdict(float)
    reasons: dict[int, list[str]] = defaultdict(list)

    _score_expertise(pool_ids, topics, direct_topics, scores, reasons)
    _score_helpful(pool_ids, topic_ids, scores, reasons)
    _score_roles(pool_ids, own, scores, reasons)
    _score_place_and_language(exchange, pool, scores, reasons)
    _score_load(pool_ids, scores, reasons)

    neighbours = {
        membership["user_id"]: membership["community__name"]
        for membership in Membership.objects.filter(user_id__in=pool_ids)
        .filter(community__in=Community.objects.filter(related_communities(community)))
        .values("user_id", "community__name")
    }
    suggestions = []
    for person in pool:
        if not getattr(person, "is_here", True):
            scores[person.pk] -= NEIGHBOUR_PENALTY
            name = neighbours.get(person.pk, "")
            reasons[person.pk].append(_("member of %(community)s") % {"community": name})
        suggestions.append(Suggestion(person, round(scores[person.pk], 2), reasons[person.pk]))
    suggestions.sort(key=lambda s: (-s.score, s.person.name, s.person.pk))
    return suggestions[:limit]


def _score_expertise(
    pool_ids: list[int],
    topics: dict[int, str],
    direct_topics: set[int],
    scores: dict[int, float],
    reasons: dict[int, list[str]],
) -> None:
    claims = list(
        User.objects.filter(pk__in=pool_ids, expertise_claims__topic_id__in=list(topics)).values(
            "pk",
            claim_id=F("expertise_claims__id"),
            topic_id=F("expertise_claims__topic_id"),
            level=F("expertise_claims__level"),
            source=F("expertise_claims__source"),
            contributions=F("expertise_claims__contribution_count"),
        )
    )
    endorsements = dict(
        User.objects.filter(expertise_claims__id__in=[claim["claim_id"] for claim in claims])
        .values_list("expertise_claims__id")
        .annotate(count=Count("expertise_claims__endorsements"))
        .values_list("expertise_claims__id", "count")
    )
    best: dict[int, tuple[float, str]] = {}
    for claim in claims:
        factor = 1.0 if claim["topic_id"] in direct_topics else SUB_TOPIC_FACTOR
        topic = topics[claim["topic_id"]]
        endorsed = endorsements.get(claim["claim_id"], 0)
        points = LEVEL_POINTS.get(claim["level"], 2.0) * factor
        points += min(endorsed * ENDORSEMENT_POINTS, MAX_ENDORSEMENT_POINTS)
        points += min(claim["contributions"] * CONTRIBUTION_POINTS, MAX_CONTRIBUTION_POINTS)
        if endorsed:
            reason = ngettext(
                "endorsed by %(count)d colleague in %(topic)s",
                "endorsed by %(count)d in %(topic)s",
                endorsed,
            ) % {"count": endorsed, "topic": topic}
        elif claim["source"] == "contributions":
            reason = _("showed expertise in %(topic)s") % {"topic": topic}
        elif claim["level"] >= 3:
            reason = _("declares expert knowledge of %(topic)s") % {"topic": topic}
        else:
            reason = _("knows about %(topic)s") % {"topic": topic}
        # Several matching topics add up, but only the strongest is worth a reason.
        scores[claim["pk"]] += points
        if claim["pk"] not in best or points > best[claim["pk"]][0]:
            best[claim["pk"]] = (points, reason)
    for person_id, (_points, reason) in best.items():
        reasons[person_id].append(reason)


def _score_helpful(
    pool_ids: list[int],
    topic_ids: list[int],
    scores: dict[int, float],
    reasons: dict[int, list[str]],
) -> None:
    helpful = (
        Reply.objects.filter(
            author_id__in=pool_ids,
            helpful_count__gt=0,
            is_hidden=False,
            exchange__topics__id__in=topic_ids,
        )
        .values("author_id")
        .annotate(count=Count("id", distinct=True))
        .values_list("author_id", "count")
    )
    for person_id, count in helpful:
        assert person_id is not None
        scores[person_id] += min(count * HELPFUL_POINTS, MAX_HELPFUL_POINTS)
        reasons[person_id].append(
            ngettext(
                "%(count)d helpful reply on similar queries",
                "%(count)d helpful replies on similar queries",
                count,
            )
            % {"count": count}
        )


def _score_roles(
    pool_ids: list[int], own: list[int], scores: dict[int, float], reasons: dict[int, list[str]]
) -> None:
    experts = RoleAssignment.objects.filter(
        membership__user_id__in=pool_ids, community_id__in=own, role=Role.EXPERT
    ).values_list("membership__user_id", flat=True)
    for person_id in set(experts):
        scores[person_id] += EXPERT_ROLE_POINTS
        reasons[person_id].append(_("an expert of this community"))


def _languages(person_ids: list[int]) -> dict[int, set[str]]:
    spoken: dict[int, set[str]] = defaultdict(set)
    for person_id, code in User.objects.filter(
        pk__in=person_ids, language_skills__isnull=False
    ).values_list("pk", "language_skills__code"):
        spoken[person_id].add(code)
    return spoken


def _score_place_and_language(
    exchange: Exchange,
    pool: Sequence[User],
    scores: dict[int, float],
    reasons: dict[int, list[str]],
) -> None:
    asker = exchange.author
    asker_ids = [asker.pk] if asker is not None else []
    spoken = _languages([person.pk for person in pool] + asker_ids)
    asker_languages: set[str] = set()
    if asker is not None:
        asker_languages = set(asker.languages or []) | spoken.get(asker.pk, set())
    country = exchange.country or (asker.country if asker is not None else "")
    region = asker.region if asker is not None else ""
    for person in pool:
        languages = set(person.languages or []) | spoken.get(person.pk, set())
        shared = sorted(asker_languages & languages - COMMON_LANGUAGES)
        if shared:
            scores[person.pk] += LANGUAGE_POINTS
            reasons[person.pk].append(
                _("speaks %(language)s") % {"language": _language_name(shared[0])}
            )
        if country and person.country == country:
            scores[person.pk] += COUNTRY_POINTS
            reasons[person.pk].append(
                _("based in %(country)s") % {"country": country_name(country)}
            )
        elif region and person.region == region:
            scores[person.pk] += REGION_POINTS
            reasons[person.pk].append(
                _("works in %(region)s") % {"region": person.get_region_display()}
            )


def _score_load(
    pool_ids: list[int], scores: dict[int, float], reasons: dict[int, list[str]]
) -> None:
    since = timezone.now() - LOAD_WINDOW
    load = (
        ExpertRequest.objects.filter(expert_id__in=pool_ids, requested_at__gte=since)
        .values("expert_id")
        .annotate(count=Count("id"))
        .values_list("expert_id", "count")
    )
    for person_id, count in load:
        scores[person_id] -= count * LOAD_PENALTY
        if count == 1:
            reason = _("asked once this month")
        elif count == 2:
            reason = _("asked twice this month")
        else:
            reason = _("asked %(count)d times this month") % {"count": count}
        reasons[person_id].append(reason)
