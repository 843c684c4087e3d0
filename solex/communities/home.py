"""The communities section of the home page (see solex.core.home)."""

from __future__ import annotations

from django.db.models import Count, Prefetch
from django.http import HttpRequest

from solex.communities.models import (
    MODERATOR_ROLES,
    Community,
    CommunityRequest,
    JoinRequest,
    Membership,
    RoleAssignment,
    Visibility,
)
from solex.communities.permissions import can_review_community_requests
from solex.core.home import HomeSection

SHOWN = 10


def communities_section(request: HttpRequest) -> HomeSection:
    """Your communities and what waits for you in them; open communities for everyone else."""
    user = request.user
    if not user.is_authenticated:
        return HomeSection("communities/home_section.html", {"open": _open_communities()})
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("community")
        .prefetch_related(
            Prefetch("roles", queryset=RoleAssignment.objects.only("membership", "role"))
        )
        .order_by("community__name")[:SHOWN]
    )
    moderated = RoleAssignment.objects.filter(
        membership__user=user, role__in=MODERATOR_ROLES
    ).values("community")
    waiting = list(
        Community.objects.filter(pk__in=moderated, join_requests__status=JoinRequest.Status.PENDING)
        .annotate(pending=Count("join_requests"))
        .order_by("name")[:SHOWN]
    )
    pending_requests = (
        CommunityRequest.objects.filter(status=CommunityRequest.Status.PENDING).count()
        if can_review_community_requests(user)
        else 0
    )
    return HomeSection(
        "communities/home_section.html",
        {
            "memberships": memberships,
            "waiting": waiting,
            "pending_community_requests": pending_requests,
            "open": [] if memberships else _open_communities(),
        },
    )


def _open_communities() -> list[Community]:
    """The liveliest public communities: what a visitor or a newcomer can look in on."""
    return list(
        Community.objects.filter(visibility=Visibility.PUBLIC)
        .active()
        .order_by("-member_count", "name")[:6]
    )
