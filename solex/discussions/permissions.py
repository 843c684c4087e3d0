"""Who may open, join, summarise, close and synthesise a discussion.

A discussion has its community's audience (``exchanges.permissions``). Its community's
facilitators and coordinators open discussions; the discussion's facilitator and the
community's moderators run it (summaries, closing, the synthesis); any member of the
community may post while it is open, invited or not.

``check_*`` raise ``Http404`` when the person may not know the discussion exists,
``PermissionDenied`` when they may see it but not do this, and ``ValidationError``
when its state forbids it (not open yet, closed, already published).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from solex.accounts.models import User
from solex.communities import permissions as community_policy
from solex.communities.models import Community
from solex.discussions.models import Discussion
from solex.exchanges import permissions as exchange_policy

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser


def can_open(user: AnyUser, community: Community) -> bool:
    return community_policy.can_moderate(user, community) and not community.is_archived


def check_open(user: AnyUser, community: Community) -> None:
    community_policy.check_moderate(user, community)
    community_policy.check_not_archived(community)


def check_view(user: AnyUser, discussion: Discussion) -> None:
    exchange_policy.check_view_exchange(user, discussion.exchange)


def can_facilitate(user: AnyUser, discussion: Discussion) -> bool:
    """The discussion's facilitator (while a community member) and the community's moderators."""
    exchange = discussion.exchange
    if not exchange_policy.can_view_exchange(user, exchange) or exchange.community.is_archived:
        return False
    if exchange_policy.can_moderate_exchange(user, exchange):
        return True
    return (
        isinstance(user, User)
        and discussion.facilitator_id == user.pk
        and community_policy.is_member(user, exchange.community)
    )


def check_facilitate(user: AnyUser, discussion: Discussion) -> None:
    check_view(user, discussion)
    community_policy.check_not_archived(discussion.exchange.community)
    if not can_facilitate(user, discussion):
        raise PermissionDenied(_("Only the discussion's facilitators may do this."))


def window_refusal(discussion: Discussion, now: datetime.datetime | None = None) -> str:
    """Why the discussion takes no posts at this moment, or ""."""
    exchange = discussion.exchange
    now = now or timezone.now()
    if not exchange.is_open or (exchange.closes_at is not None and exchange.closes_at <= now):
        return _("This discussion is closed: it takes no more posts.")
    if exchange.opens_at is not None and exchange.opens_at > now:
        return _("This discussion opens on %(date)s: posts are taken from then.") % {
            "date": timezone.localtime(exchange.opens_at).strftime("%Y-%m-%d %H:%M")
        }
    return ""


def can_post(user: AnyUser, discussion: Discussion) -> bool:
    return exchange_policy.can_reply(user, discussion.exchange) and not window_refusal(discussion)


def check_post(user: AnyUser, discussion: Discussion) -> None:
    exchange_policy.check_reply(user, discussion.exchange)
    refusal = window_refusal(discussion)
    if refusal:
        raise ValidationError(refusal, code="closed")


def check_close(user: AnyUser, discussion: Discussion) -> None:
    check_facilitate(user, discussion)
    if not discussion.exchange.is_open:
        raise ValidationError(_("This discussion is already closed."), code="closed")


def check_synthesise(user: AnyUser, discussion: Discussion) -> None:
    """The synthesis is written once the discussion has closed, until it is published."""
    check_facilitate(user, discussion)
    if discussion.exchange.is_open:
        raise ValidationError(
            _("The synthesis is written once the discussion closes: close it first."),
            code="open",
        )
