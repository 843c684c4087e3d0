"""Who should be asked: ranked expert suggestions for a query, each with its reasons.

"Right query, right people, right time" (seed 000). Candidates are the members of the
query's community and, where the query's audience allows it, of its neighbours in
the meta-network (parent, siblings, children). Each is scored on:

- the expertise ranking (``solex.expertise.ranking``) for the query's topics, sub-topics
  included: replies, helpful marks, consolidated replies and knowledge items on those
  topics, fading with time, and declared and endorsed expertise — the same ranking as
  the "who knows about…?" page;
- being one of the community's experts (a role);
- a language they share with the asker;
- the same country as the query (or the asker), or the same region;
- how often they were asked in the last 30 days, which lowers the score, so the load
  spreads instead of falling on the same three people.

Everything is read in a fixed number of queries, whatever the number of candidates.
The ranking reads the evidence ledger, which the worker refreshes every few minutes.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from solex.accounts.countries import country_name
from solex.accounts.models import User
from solex.communities.models import Community, Membership, Role, RoleAssignment, Visibility
from solex.exchanges.actions import related_communities
from solex.exchanges.models import Exchange, ExpertRequest
from solex.expertise.ranking import LocatorQuery, rank

LOAD_WINDOW = datetime.timedelta(days=30)
# Candidates scored at most: the ones with evidence on the topics come first anyway.
MAX_POOL = 300

# Points added to the expertise ranking's score (solex.expertise.ranking): a request
# in the last month costs 2, about a helpful reply's worth.
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
    topics = list(exchange.topics.all()) or list(community.topics.all())
    own, neighbour_rule = _communities(exchange)
    left_out = list(
        ExpertRequest.objects.filter(exchange=exchange).values_list("expert_id", flat=True)
    )
    if exchange.author_id is not None:
        left_out.append(exchange.author_id)

    member_here = Exists(Membership.objects.filter(user_id=OuterRef("pk"), community_id__in=own))
    in_scope = User.objects.filter(
        Q(member_here) | Q(pk__in=User.objects.filter(neighbour_rule).values("pk")),
        is_active=True,
    )
    ranked = {
        item.person.pk: item
        for item in rank(
            LocatorQuery(topics=topics, people=in_scope, exclude=left_out),
            # Enough candidates that the load and place adjustments can reorder them.
            limit=min(MAX_POOL, max(limit * 5, 50)),
        ).people
    }
    role_experts = set(
        RoleAssignment.objects.filter(
            community_id__in=own, role=Role.EXPERT, membership__user__is_active=True
        )
        .exclude(membership__user_id__in=left_out)
        .values_list("membership__user_id", flat=True)[:MAX_POOL]
    )
    pool_ids = sorted(set(ranked) | role_experts)
    if not pool_ids:
        return []
    pool = list(
        User.objects.filter(pk__in=pool_ids)
        .annotate(is_here=member_here)
        .select_related("organization")
        .order_by("pk")
    )
    scores: dict[int, float] = defaultdict(float)
    reasons: dict[int, list[str]] = defaultdict(list)
    for person_id, item in ranked.items():
        scores[person_id] += item.score
        reasons[person_id].extend(item.reasons)

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
