"""Who sees the quarantine: site admins everything; moderators their communities' mail."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from solex.communities import permissions as community_policy
from solex.communities.models import MODERATOR_ROLES, RoleAssignment

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from solex.accounts.models import User
    from solex.intake.models import InboundMessage

    AnyUser = User | AnonymousUser


def can_view_quarantine(user: AnyUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if community_policy.is_site_admin(user):
        return True
    return RoleAssignment.objects.filter(membership__user=user, role__in=MODERATOR_ROLES).exists()


def check_view_quarantine(user: AnyUser) -> None:
    if not can_view_quarantine(user):
        raise PermissionDenied(_("Only site admins and community moderators see held mail."))


def can_handle_message(user: AnyUser, message: InboundMessage) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if community_policy.is_site_admin(user):
        return True
    community = message.community
    return community is not None and community_policy.can_moderate(user, community)


def check_handle_message(user: AnyUser, message: InboundMessage) -> None:
    if not can_handle_message(user, message):
        raise Http404
