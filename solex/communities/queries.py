"""Reads about communities that pages, the API and other apps share; visibility always applied."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from solex.communities.models import (
    AuditEntry,
    Community,
    CommunityInvitation,
    CommunityQuerySet,
    JoinRequest,
    Membership,
    Role,
    RoleAssignment,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from solex.accounts.models import User

    AnyUser = User | AnonymousUser

TEAM_ROLES = [role for role in Role if role != Role.MEMBER]
TEAM_LIMIT = 60


def community_for(user: AnyUser, slug: str) -> Community:
    """The community at ``slug`` if this person may see it; 404 otherwise, whether it exists or not."""
    return get_object_or_404(Community.objects.visible_to(user), slug=slug)


@dataclass(frozen=True)
class DirectoryFilters:
    text: str = ""
    topic: str = ""
    scope: str = ""
    region: str = ""
    kind: str = ""

    @property
    def active(self) -> bool:
        return any((self.text, self.topic, self.scope, self.region, self.kind))


def directory(user: AnyUser, filters: DirectoryFilters) -> CommunityQuerySet:
    """Communities for the directory: the roots of the network tree, or every match when filtering.

    A community whose parent this person cannot see is shown as a root, so a public
    sub-network of a safe space is still reachable and the safe space stays hidden.
    """
    if filters.active:
        return matching(user, filters)
    visible = Community.objects.visible_to(user)
    children = Community.objects.visible_to(user).order_by("name").prefetch_related("topics")
    return (
        visible.filter(Q(parent__isnull=True) | ~Q(parent__in=Community.objects.visible_to(user)))
        .prefetch_related(
            "topics",
            Prefetch(
                "children",
                queryset=children.prefetch_related(Prefetch("children", queryset=children)),
            ),
        )
        .order_by("name")
    )


def matching(user: AnyUser, filters: DirectoryFilters) -> CommunityQuerySet:
    """Every community this person may see that matches the filters, as a flat list."""
    matches = Community.objects.visible_to(user)
    if filters.text:
        matches = matches.filter(
            Q(name__icontains=filters.text) | Q(purpose__icontains=filters.text)
        )
    if filters.topic:
        matches = matches.filter(topics__slug=filters.topic)
    if filters.scope:
        matches = matches.filter(scope=filters.scope)
    if filters.region:
        # Regions are a closed list of slugs, so a quoted match in the JSON text is exact.
        matches = matches.filter(regions__icontains=f'"{filters.region}"')
    if filters.kind:
        matches = matches.filter(kind=filters.kind)
    return (
        matches.select_related("parent")
        .prefetch_related("topics")
        .distinct()
        .order_by("name", "pk")
    )


@dataclass
class TeamGroup:
    role: Role
    people: list[User]


def team(community: Community) -> list[TeamGroup]:
    """The community's team, grouped by role in the order of ``Role``."""
    assignments = (
        RoleAssignment.objects.filter(community=community, role__in=TEAM_ROLES)
        .select_related("membership__user")
        .order_by("role", "membership__user__name")[:TEAM_LIMIT]
    )
    grouped: dict[str, list[User]] = {}
    for assignment in assignments:
        grouped.setdefault(assignment.role, []).append(assignment.membership.user)
    return [TeamGroup(role, grouped[role]) for role in TEAM_ROLES if role in grouped]


def members(community: Community, *, text: str = "") -> QuerySet[Membership]:
    """Memberships with their people and roles, for the member list (paginate it)."""
    queryset = (
        Membership.objects.filter(community=community)
        .select_related("user__organization")
        .prefetch_related(Prefetch("roles", queryset=RoleAssignment.objects.order_by("role")))
        .order_by("user__name", "pk")
    )
    if text:
        queryset = queryset.filter(Q(user__name__icontains=text) | Q(user__email__icontains=text))
    return queryset


def pending_join_requests(community: Community) -> QuerySet[JoinRequest]:
    return (
        JoinRequest.objects.filter(community=community, status=JoinRequest.Status.PENDING)
        .select_related("user__organization")
        .order_by("created_at")
    )


def open_invitations(community: Community) -> QuerySet[CommunityInvitation]:
    """Invitations nobody has accepted or withdrawn yet, newest first."""
    return (
        CommunityInvitation.objects.filter(
            community=community, accepted_at__isnull=True, withdrawn_at__isnull=True
        )
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )


def audit_log(community: Community) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(community=community).select_related("actor", "target_user")


def communities_of(person: User, *, viewer: AnyUser) -> QuerySet[Community]:
    """The communities ``person`` belongs to that ``viewer`` may see (for profile pages)."""
    return Community.objects.visible_to(viewer).filter(memberships__user=person).order_by("name")


def member_ids(community: Community, *, roles: Sequence[str] = ()) -> QuerySet[Membership]:
    """Memberships of a community, optionally holding one of ``roles`` (for routing and digests)."""
    queryset = Membership.objects.filter(community=community)
    if roles:
        queryset = queryset.filter(roles__role__in=roles).distinct()
    return queryset
