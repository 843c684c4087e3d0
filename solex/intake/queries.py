"""Reads of held and processed mail, filtered in SQL by who may see them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from solex.communities import permissions as community_policy
from solex.communities.models import MODERATOR_ROLES, RoleAssignment
from solex.intake.models import InboundMessage, State

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from solex.accounts.models import User


def messages_visible_to(user: User | AnonymousUser) -> QuerySet[InboundMessage]:
    """Site admins: every message; moderators: the mail of the communities they moderate.

    Keep in step with ``permissions.can_handle_message``.
    """
    messages = InboundMessage.objects.defer("raw")
    if not user.is_authenticated or not user.is_active:
        return messages.none()
    if community_policy.is_site_admin(user):
        return messages
    moderated = RoleAssignment.objects.filter(
        membership__user=user, role__in=MODERATOR_ROLES
    ).values("community_id")
    return messages.filter(community_id__in=moderated)


def held_messages(user: User | AnonymousUser, state: str = "") -> QuerySet[InboundMessage]:
    """The quarantine by default; one state when asked (``all`` for every state)."""
    messages = messages_visible_to(user).select_related("community", "sender")
    if state == "all":
        return messages
    if state in State.values:
        return messages.filter(state=state)
    return messages.filter(state=State.QUARANTINED)
