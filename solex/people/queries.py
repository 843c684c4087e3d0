"""The who's-who directory: find people, and say why each one matches.

One search serves the web directory and the API. Queries per page do not grow with
the page size: one count, one page of people (with organisation and profile joined),
and one prefetch each for expertise (with endorsement counts) and languages.

A page is picked by id first (``PeoplePages``): the database sorts narrow rows of the
matching people and joins organisation and profile for the page's rows only, so a
page costs the same whether ten or two hundred thousand people match.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, overload

from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from solex.accounts.models import Organization, User
from solex.communities.models import Community
from solex.people.models import (
    ExpertiseClaim,
    ExpertiseSource,
    LanguageSkill,
    Profile,
    language_name,
)
from solex.people.permissions import Viewer, people_visible_to
from solex.taxonomy.models import Topic

Affiliation = Literal["", "internal", "external"]
MAX_TERMS = 8
MAX_TERM_LENGTH = 100
RANK_BASE = 1_000_000_000  # best-claim rank: level * RANK_BASE + endorsements


@dataclass(frozen=True)
class DirectoryFilters:
    """What the searcher asked for; empty fields do not filter."""

    text: str = ""
    topic: Topic | None = None
    language: str = ""
    country: str = ""
    region: str = ""
    organization: Organization | None = None
    affiliation: Affiliation = ""

    @property
    def terms(self) -> list[str]:
        words = [word[:MAX_TERM_LENGTH] for word in self.text.split()]
        return words[:MAX_TERMS]

    @cached_property
    def topic_ids(self) -> list[int]:
        """The chosen topic and every topic under it (computed once per search)."""
        return topic_and_descendants(self.topic) if self.topic is not None else []


@dataclass
class DirectoryEntry:
    person: User
    reasons: list[str] = field(default_factory=list)


def topic_and_descendants(topic: Topic) -> list[int]:
    """``topic`` and every topic under it, however deep (one query per level)."""
    found = [topic.pk]
    frontier = [topic.pk]
    while frontier:
        frontier = list(Topic.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier = [pk for pk in frontier if pk not in found]
        found.extend(frontier)
    return found


def _text_condition(term: str) -> Q:
    # The few people with a matching topic are found once, not per row: a set of ids
    # from the (topic, user) index rather than a subquery for every person scanned.
    expertise = ExpertiseClaim.objects.filter(
        topic_id__in=Topic.objects.filter(name__icontains=term).values("pk")
    ).values("user_id")
    return (
        Q(name__icontains=term)
        | Q(title__icontains=term)
        | Q(office__icontains=term)
        | Q(profile__bio__icontains=term)
        | Q(pk__in=expertise)
    )


def search_people(viewer: Viewer, filters: DirectoryFilters) -> QuerySet[User]:
    """People ``viewer`` may see who match ``filters``, best matches first."""
    people = people_visible_to(viewer).filter(is_active=True)
    for term in filters.terms:
        people = people.filter(_text_condition(term))
    if filters.topic is not None:
        matching = ExpertiseClaim.objects.filter(
            user_id=OuterRef("pk"), topic_id__in=filters.topic_ids
        )
        people = people.filter(Exists(matching))
        # The best claim's level, then its endorsements, as one number: one subquery per
        # person rather than two (no claim gets anywhere near RANK_BASE endorsements).
        best = (
            matching.annotate(endorsement_total=Count("endorsements"))
            .order_by("-level", "-endorsement_total")
            .values(rank=Cast("level", BigIntegerField()) * RANK_BASE + F("endorsement_total"))
        )
        people = people.annotate(best_rank=Subquery(best[:1], output_field=BigIntegerField()))
    if filters.language:
        speaks = LanguageSkill.objects.filter(user_id=OuterRef("pk"), code=filters.language)
        # The account's plain language list counts too (codes stored as JSON strings).
        people = people.filter(Q(Exists(speaks)) | Q(languages__icontains=f'"{filters.language}"'))
    if filters.country:
        people = people.filter(country=filters.country.upper())
    if filters.region:
        people = people.filter(region=filters.region)
    if filters.organization is not None:
        people = people.filter(organization=filters.organization)
    if filters.affiliation == "internal":
        people = people.filter(organization__is_internal=True)
    elif filters.affiliation == "external":
        people = people.exclude(organization__is_internal=True)
    if filters.topic is not None:
        return people.order_by(F("best_rank").desc(), "name", "pk")
    return people.order_by("name", "pk")


def with_profile_details(people: QuerySet[User]) -> QuerySet[User]:
    """Join and prefetch what a directory card or profile shows, in a fixed number of queries."""
    claims = (
        ExpertiseClaim.objects.select_related("topic")
        .annotate(endorsement_total=Count("endorsements"))
        .order_by("-level", "topic__name")
    )
    return people.select_related("organization", "profile").prefetch_related(
        Prefetch("expertise_claims", queryset=claims),
        Prefetch("language_skills", queryset=LanguageSkill.objects.order_by("code")),
    )


class PeoplePages:
    """A person search to hand to ``Paginator``: each page's people are picked by id first.

    ``people[a:b]`` loads the window's ids in a subquery sorted like the search, and
    only those rows with what a directory card shows (``with_profile_details``), in
    one query plus the prefetches. The rows come back in the search's order, since the
    outer query keeps the search's ordering and filters.
    """

    def __init__(self, people: QuerySet[User]) -> None:
        self.people = people

    def count(self) -> int:
        return self.people.count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[User]:
        return iter(with_profile_details(self.people))

    @overload
    def __getitem__(self, index: int) -> User: ...

    @overload
    def __getitem__(self, index: slice) -> list[User]: ...

    def __getitem__(self, index: int | slice) -> User | list[User]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        window = self.people.values("pk")[index]
        return list(with_profile_details(self.people.filter(pk__in=window)))


# --- Why each person matches ------------------------------------------------------------


def describe_claim(claim: ExpertiseClaim) -> str:
    """E.g. "Expert in Water (declared; endorsed by 4 colleagues)"."""
    parts: list[str] = []
    if claim.source == ExpertiseSource.CONTRIBUTIONS:
        parts.append(
            ngettext(
                "shown by %(count)d contribution",
                "shown by %(count)d contributions",
                claim.contribution_count,
            )
            % {"count": claim.contribution_count}
        )
    else:
        parts.append(str(claim.get_source_display()))
    endorsements: int = getattr(claim, "endorsement_total", 0)
    if endorsements:
        parts.append(
            ngettext(
                "endorsed by %(count)d colleague", "endorsed by %(count)d colleagues", endorsements
            )
            % {"count": endorsements}
        )
    return _("%(level)s in %(topic)s (%(details)s)") % {
        "level": claim.get_level_display(),
        "topic": claim.topic.name,
        "details": "; ".join(parts),
    }


def _profile(person: User) -> Profile | None:
    try:
        profile: Profile = person.profile
        return profile
    except Profile.DoesNotExist:
        return None


def match_reasons(person: User, filters: DirectoryFilters, topic_ids: set[int]) -> list[str]:
    """Plain sentences saying why ``person`` is in the results, from prefetched data."""
    reasons: list[str] = []
    claims: list[ExpertiseClaim] = list(person.expertise_claims.all())
    described: set[int] = set()

    def add_claim(claim: ExpertiseClaim) -> None:
        if claim.pk not in described:
            described.add(claim.pk)
            reasons.append(describe_claim(claim))

    if filters.topic is not None:
        for claim in claims:
            if claim.topic_id in topic_ids:
                add_claim(claim)
    profile = _profile(person)
    for term in filters.terms:
        needle = term.casefold()
        if needle in person.name.casefold():
            reasons.append(_("Name matches “%(term)s”") % {"term": term})
        elif needle in person.title.casefold():
            reasons.append(_("Works as %(title)s") % {"title": person.title})
        elif needle in person.office.casefold():
            reasons.append(_("Works at the %(office)s office") % {"office": person.office})
        elif any(needle in claim.topic.name.casefold() for claim in claims):
            for claim in claims:
                if needle in claim.topic.name.casefold():
                    add_claim(claim)
        elif profile is not None and needle in profile.bio.casefold():
            reasons.append(_("Bio mentions “%(term)s”") % {"term": term})
    if filters.language:
        skills = {skill.code: skill for skill in person.language_skills.all()}
        skill = skills.get(filters.language)
        if skill is not None:
            reasons.append(
                _("Speaks %(language)s (%(level)s)")
                % {"language": language_name(skill.code), "level": skill.get_level_display()}
            )
        else:
            reasons.append(_("Speaks %(language)s") % {"language": language_name(filters.language)})
    if filters.country:
        reasons.append(_("Based in %(country)s") % {"country": person.country_name})
    if filters.region:
        reasons.append(_("Works in %(region)s") % {"region": person.get_region_display()})
    if filters.organization is not None:
        reasons.append(
            _("Works for %(organization)s") % {"organization": filters.organization.name}
        )
    if filters.affiliation == "internal":
        reasons.append(_("Staff of a member organisation"))
    elif filters.affiliation == "external":
        reasons.append(_("External partner"))
    return list(dict.fromkeys(reasons))  # two words matching the same field: say it once


def directory_entries(people: list[User], filters: DirectoryFilters) -> list[DirectoryEntry]:
    topic_ids = set(filters.topic_ids)
    return [DirectoryEntry(person, match_reasons(person, filters, topic_ids)) for person in people]


# --- Profile page --------------------------------------------------------------------------


def profile_person(viewer: Viewer, username: str) -> User | None:
    """The person at ``/people/<username>/`` with what the page shows, if ``viewer`` may see them."""
    return with_profile_details(people_visible_to(viewer)).filter(username=username).first()


def communities_of(person: User, viewer: Viewer) -> QuerySet[Community]:
    """The person's communities that the viewer may see: a safe space stays invisible."""
    return (
        Community.objects.visible_to(viewer)
        .filter(memberships__user=person)
        .order_by("name")
        .distinct()
    )
