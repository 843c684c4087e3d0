"""People as search documents (see solex.search.sources): who they are and what they know.

Who may find whom is ``people_visible_to`` (nobody for anonymous visitors; partners
see only the people the directory shows them). Deactivated and erased people are
never found.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solex.accounts.models import User
from solex.people.models import ExpertiseClaim, Profile
from solex.people.permissions import people_visible_to
from solex.search.sources import DocumentData
from solex.taxonomy.models import Topic

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CHUNK = 2000


class PersonSource:
    kind = "person"
    group = "people"

    @property
    def label(self) -> StrOrPromise:
        return _("Person")

    def visible(self, user: User | AnonymousUser) -> Q:
        return Q(Exists(people_visible_to(user).filter(pk=OuterRef("object_id"), is_active=True)))

    def documents(self, ids: Iterable[int] | None = None) -> Iterator[DocumentData]:
        base = User.objects.filter(is_active=True)
        if ids is not None:
            base = base.filter(pk__in=ids)
        all_ids = list(base.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(all_ids), CHUNK):
            chunk = all_ids[start : start + CHUNK]
            bios = dict(Profile.objects.filter(user_id__in=chunk).values_list("user_id", "bio"))
            claims: dict[int, list[tuple[int, str]]] = {}
            for user_id, topic_id, name in ExpertiseClaim.objects.filter(
                user_id__in=chunk
            ).values_list("user_id", "topic_id", "topic__name"):
                claims.setdefault(user_id, []).append((topic_id, name))
            for person in User.objects.filter(pk__in=chunk).select_related("organization"):
                expertise = claims.get(person.pk, [])
                organisation = person.organization
                text = "\n".join(
                    part
                    for part in [
                        person.title,
                        organisation.name if organisation else "",
                        organisation.acronym if organisation else "",
                        person.office,
                        ", ".join(name for _id, name in expertise),
                        bios.get(person.pk, ""),
                    ]
                    if part
                )
                yield DocumentData(
                    kind=self.kind,
                    object_id=person.pk,
                    title=person.name or person.username,
                    text=text,
                    url=reverse("people:profile", args=[person.username]),
                    date=person.date_joined or timezone.now(),
                    topics=[topic_id for topic_id, _name in expertise],
                    countries=[person.country] if person.country else [],
                    quality=1.0 + 0.05 * len(expertise),
                    slug=person.username,
                    subtitle=person.title,
                )

    def changed_since(self, since: datetime) -> Iterable[int]:
        profiles = Profile.objects.filter(updated_at__gte=since).values_list("user_id", flat=True)
        claims = ExpertiseClaim.objects.filter(updated_at__gte=since).values_list(
            "user_id", flat=True
        )
        joined = User.objects.filter(date_joined__gte=since).values_list("pk", flat=True)
        return set(profiles) | set(claims) | set(joined)

    def existing_ids(self) -> Iterable[int]:
        return User.objects.filter(is_active=True).values_list("pk", flat=True)

    def count(self) -> int:
        return User.objects.filter(is_active=True).count()


PEOPLE = PersonSource()


@dataclass
class TopicExpert:
    person: User
    reason: str


def topic_experts(
    topic_ids: Sequence[int], viewer: User | AnonymousUser, limit: int = 6
) -> list[TopicExpert]:
    """Who knows about these topics, among the people ``viewer`` may see, best first.

    The expertise locator's ranking (evidence from contributions, fading with time)
    when it is installed; otherwise declared expertise, by level.
    """
    visible = people_visible_to(viewer).filter(is_active=True)
    topics = list(Topic.objects.filter(pk__in=topic_ids))
    if not topics:
        return []
    try:
        from solex.expertise import ranking
    except ImportError:  # pragma: no cover - the locator is part of the default install
        ranking = None  # type: ignore[assignment]
    if ranking is not None:
        try:
            ranked = ranking.rank(ranking.LocatorQuery(topics=topics, people=visible), limit=limit)
        except Exception:  # noqa: BLE001 - a missing ledger must not break the topic page
            ranked = None
        if ranked is not None and ranked.people:
            return [TopicExpert(item.person, item.reason_text) for item in ranked.people]
    claims = (
        ExpertiseClaim.objects.filter(topic_id__in=topic_ids, user__in=visible)
        .select_related("user", "topic")
        .order_by("-level", "user__name", "user_id")
    )
    found: list[TopicExpert] = []
    seen: set[int] = set()
    for claim in claims[: limit * 4]:
        if claim.user_id in seen:
            continue
        seen.add(claim.user_id)
        found.append(TopicExpert(claim.user, f"{claim.get_level_display()}: {claim.topic.name}"))
        if len(found) == limit:
            break
    return found
