"""The exchanges section of the home page (see solex.core.home)."""

from __future__ import annotations

from django.http import HttpRequest

from solex.communities.models import MODERATOR_ROLES, RoleAssignment
from solex.core.home import HomeSection
from solex.exchanges.models import Exchange, Status


def facilitation_section(request: HttpRequest) -> HomeSection | None:
    """For facilitators: the way into their workspace, with the queries waiting for triage."""
    user = request.user
    if not user.is_authenticated:
        return None
    moderated = RoleAssignment.objects.filter(
        membership__user=user, role__in=MODERATOR_ROLES
    ).values("community")
    if not moderated.exists():
        return None
    waiting = Exchange.objects.filter(community__in=moderated, status=Status.TRIAGE).count()
    return HomeSection("exchanges/home_section.html", {"triage": waiting})
