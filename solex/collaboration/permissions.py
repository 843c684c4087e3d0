"""Who may start, join, work in and close an action group.

A group has its community's audience, like every exchange. Any member of the
community who can see an exchange may spawn a group from it (a private
direct-connect request excepted). The group's lead (who started it) and the
community's moderators manage it: members, closing. The group's members (and its
managers) add and update tasks and deliverables while it is open.

``check_*`` raise ``Http404`` when the person may not know the group exists,
``PermissionDenied`` when they may see it but not do this, and ``ValidationError``
when its state forbids it (closed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from solex.accounts.models import User
from solex.collaboration.models import ActionGroup, GroupMember
from solex.communities import permissions as community_policy
from solex.exchanges import permissions as exchange_policy
from solex.exchanges.models import Exchange

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser


def can_spawn(user: AnyUser, source: Exchange) -> bool:
    return (
        exchange_policy.can_view_exchange(user, source)
        and not source.is_direct_connect
        and community_policy.can_post_in(user, source.community)
    )


def check_spawn(user: AnyUser, source: Exchange) -> None:
    exchange_policy.check_view_exchange(user, source)
    community_policy.check_not_archived(source.community)
    if not community_policy.is_member(user, source.community):
        raise PermissionDenied(_("Join this community to start an action group in it."))
    if source.is_direct_connect:
        raise ValidationError(
            _("A private request to the facilitators cannot start a group."), code="private"
        )


def check_view(user: AnyUser, group: ActionGroup) -> None:
    exchange_policy.check_view_exchange(user, group.exchange)


def is_group_member(user: AnyUser, group: ActionGroup) -> bool:
    if not isinstance(user, User) or not user.is_active:
        return False
    cache: dict[int, bool] = group.__dict__.setdefault("_member_cache", {})
    if user.pk not in cache:
        cache[user.pk] = GroupMember.objects.filter(group=group, user=user).exists()
    return cache[user.pk]


def can_manage(user: AnyUser, group: ActionGroup) -> bool:
    """The lead (while a community member) and the community's moderators."""
    exchange = group.exchange
    if not exchange_policy.can_view_exchange(user, exchange) or exchange.community.is_archived:
        return False
    if exchange_policy.can_moderate_exchange(user, exchange):
        return True
    return (
        isinstance(user, User)
        and exchange.author_id == user.pk
        and community_policy.is_member(user, exchange.community)
    )


def check_manage(user: AnyUser, group: ActionGroup) -> None:
    check_view(user, group)
    community_policy.check_not_archived(group.exchange.community)
    if not can_manage(user, group):
        raise PermissionDenied(_("Only the group's lead and the facilitators may do this."))
    _check_open(group)


def can_work(user: AnyUser, group: ActionGroup) -> bool:
    """Add and update tasks and deliverables: the group's members and its managers."""
    if not group.exchange.is_open:
        return False
    return can_manage(user, group) or (
        exchange_policy.can_view_exchange(user, group.exchange)
        and not group.exchange.community.is_archived
        and is_group_member(user, group)
    )


def check_work(user: AnyUser, group: ActionGroup) -> None:
    check_view(user, group)
    community_policy.check_not_archived(group.exchange.community)
    if not (can_manage(user, group) or is_group_member(user, group)):
        raise PermissionDenied(_("Only the group's members may change its tasks."))
    _check_open(group)


def _check_open(group: ActionGroup) -> None:
    if not group.exchange.is_open:
        raise ValidationError(_("This group is closed: its work is done."), code="closed")
