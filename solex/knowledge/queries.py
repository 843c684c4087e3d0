"""Reads of the library shared by pages, the API and the feed: always through ``visible_to``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.utils import timezone

from solex.communities import permissions as community_policy
from solex.communities.models import Community, RoleAssignment
from solex.exchanges.models import Reply
from solex.knowledge import permissions as policy
from solex.knowledge.actions import REVIEW_INTERVAL
from solex.knowledge.models import ItemLink, KnowledgeItem, KnowledgeItemQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from solex.accounts.models import User

    AnyUser = User | AnonymousUser

MAX_QUERY = 200


@dataclass(frozen=True)
class ItemFilters:
    """Filters of the library list; an unknown value simply matches nothing."""

    q: str = ""
    kind: str = ""
    community: str = ""
    topic: str = ""
    country: str = ""
    language: str = ""
    audience: str = ""
    archived: bool = False


def filter_items(items: KnowledgeItemQuerySet, filters: ItemFilters) -> KnowledgeItemQuerySet:
    if not filters.archived:
        items = items.published()
    q = " ".join(filters.q.split())[:MAX_QUERY]
    if q:
        items = items.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.community:
        items = items.filter(community__slug=filters.community)
    if filters.topic:
        items = items.filter(topics__slug=filters.topic)
    if filters.country:
        code = filters.country.strip().upper()[:2]
        items = items.filter(countries__icontains=f'"{code}"')
    if filters.language:
        items = items.filter(language=filters.language)
    if filters.audience:
        items = items.filter(audience=filters.audience)
    return items


def library(user: AnyUser, filters: ItemFilters) -> KnowledgeItemQuerySet:
    """The items this person may read, filtered, newest first, ready for a list."""
    items = filter_items(KnowledgeItem.objects.visible_to(user), filters)
    return items.select_related("community").order_by("-created_at", "-pk").distinct()


def portal(filters: ItemFilters) -> KnowledgeItemQuerySet:
    """The public portal: what anyone may read without logging in."""
    items = filter_items(KnowledgeItem.objects.public(), filters)
    return items.select_related("community").order_by("-created_at", "-pk").distinct()


def overdue_condition(today: datetime.date | None = None) -> Q:
    """Past the review date (or, without one, created more than a review interval ago)."""
    today = today or timezone.localdate()
    cutoff = timezone.now() - REVIEW_INTERVAL
    return Q(review_due__lte=today) | Q(review_due__isnull=True, created_at__lte=cutoff)


def review_queue(user: AnyUser) -> KnowledgeItemQuerySet:
    """Items past their review date that this person reviews, the longest overdue first.

    The KM team sees every overdue item it may read; a community's knowledge managers
    and coordinators see their communities' ones.
    """
    items = KnowledgeItem.objects.visible_to(user).published().filter(overdue_condition())
    if not community_policy.is_km_team(user):
        communities = RoleAssignment.objects.filter(
            membership__user_id=user.pk or 0, role__in=policy.REVIEWER_ROLES
        ).values("membership__community_id")
        items = items.filter(community_id__in=communities)
    return items.select_related("community", "owner", "last_reviewed_by").order_by(
        "review_due", "created_at", "pk"
    )


def is_overdue(item: KnowledgeItem, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    if item.review_due is not None:
        return item.review_due <= today
    return item.created_at <= timezone.now() - REVIEW_INTERVAL


@dataclass(frozen=True)
class Reuse:
    replies: int  # replies that link to the item
    items: int  # other items that link to it

    @property
    def total(self) -> int:
        return self.replies + self.items


def reuse_of(item: KnowledgeItem) -> Reuse:
    """How often the item was reused: links to it from replies and from other items.

    Counted over everything, visible or not (a count, never the linking text).
    """
    path = item.get_absolute_url()
    replies = Reply.objects.filter(body__contains=path).count()
    items = ItemLink.objects.filter(target=item).count()
    return Reuse(replies=replies, items=items)


def related_items(user: AnyUser, item: KnowledgeItem, limit: int = 5) -> list[KnowledgeItem]:
    """Items sharing topics or countries with this one, from the same exchange, or cited.

    Ranked by how much they share (a citation either way and the same source count
    most), then by recency; only items this person may read.
    """
    topic_ids = list(item.topics.values_list("pk", flat=True))
    cited = ItemLink.objects.filter(source=item).values("target_id")
    citing = ItemLink.objects.filter(target=item).values("source_id")
    condition = Q(pk__in=cited) | Q(pk__in=citing)
    if topic_ids:
        condition |= Q(topics__in=topic_ids)
    if item.source_exchange_id is not None:
        condition |= Q(source_exchange_id=item.source_exchange_id)
    for code in item.countries[:5]:
        condition |= Q(countries__icontains=f'"{code}"')
    candidates = (
        KnowledgeItem.objects.visible_to(user)
        .published()
        .exclude(pk=item.pk)
        .filter(condition)
        .annotate(shared_topics=Count("topics", filter=Q(topics__in=topic_ids), distinct=True))
        .select_related("community")
        .order_by("-shared_topics", "-created_at", "-pk")[: limit * 4]
    )
    cited_ids = set(ItemLink.objects.filter(source=item).values_list("target_id", flat=True))
    cited_ids |= set(ItemLink.objects.filter(target=item).values_list("source_id", flat=True))

    def score(other: KnowledgeItem) -> tuple[int, datetime.datetime]:
        points = 2 * getattr(other, "shared_topics", 0)
        points += sum(1 for code in other.countries if code in item.countries)
        if other.pk in cited_ids:
            points += 3
        if item.source_exchange_id and other.source_exchange_id == item.source_exchange_id:
            points += 3
        return points, other.created_at

    return sorted(candidates, key=score, reverse=True)[:limit]


def communities_to_contribute(user: AnyUser) -> list[Community]:
    """Communities where this person may add to the library (member, not archived)."""
    if not getattr(user, "is_authenticated", False):
        return []
    communities = (
        Community.objects.active().filter(memberships__user_id=user.pk or 0).order_by("name")
    )
    return list(communities)
