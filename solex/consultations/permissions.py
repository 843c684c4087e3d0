"""Who may start, read, comment on, revise, close and summarise consultations.

Built on the exchanges' policy: a consultation has its community's audience
(``can_view_exchange``), members comment (``check_reply``), and the members who may
post start one (``check_ask``). The **owner** is the consultation's author; the
community's facilitators and coordinators (``can_triage``) may act for the owner, so
a consultation never stalls when its owner is away.

``check_*`` raise ``Http404`` when the person may not know the consultation exists,
``PermissionDenied`` when they may see it but not do this, and ``ValidationError``
when its state forbids it (closed, past its deadline, summary published).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from solex.accounts.models import User
from solex.communities import permissions as community_policy
from solex.communities.models import Community
from solex.exchanges import permissions as exchange_policy
from solex.exchanges.models import Exchange

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser


def can_view(user: AnyUser, exchange: Exchange) -> bool:
    return exchange_policy.can_view_exchange(user, exchange)


def can_start(user: AnyUser, community: Community) -> bool:
    return exchange_policy.can_ask(user, community)


def check_start(user: AnyUser, community: Community) -> None:
    community_policy.check_view_community(user, community)
    community_policy.check_not_archived(community)
    if not community_policy.is_member(user, community):
        raise PermissionDenied(_("Join this community to start a consultation in it."))


def is_past_deadline(exchange: Exchange) -> bool:
    return exchange.closes_at is not None and exchange.closes_at <= timezone.now()


def is_upcoming(exchange: Exchange) -> bool:
    return exchange.opens_at is not None and exchange.opens_at > timezone.now()


def _comment_refusal(exchange: Exchange) -> ValidationError | None:
    if exchange.is_open and is_upcoming(exchange):
        return ValidationError(
            _("Comments open on %(date)s.")
            % {"date": timezone.localtime(exchange.opens_at).strftime("%Y-%m-%d %H:%M")},
            code="upcoming",
        )
    if exchange.is_open and is_past_deadline(exchange):
        return ValidationError(
            _("The deadline for comments has passed: this consultation takes no more comments."),
            code="closed",
        )
    if not exchange.is_open:
        return ValidationError(
            _("This consultation is closed: it takes no more comments."), code="closed"
        )
    return None


def can_comment(user: AnyUser, exchange: Exchange) -> bool:
    return exchange_policy.can_reply(user, exchange) and _comment_refusal(exchange) is None


def check_comment(user: AnyUser, exchange: Exchange) -> None:
    exchange_policy.check_view_exchange(user, exchange)
    if not community_policy.is_member(user, exchange.community):
        raise PermissionDenied(_("Join this community to comment."))
    refusal = _comment_refusal(exchange)
    if refusal is not None:
        raise refusal
    exchange_policy.check_reply(user, exchange)


def is_owner(user: AnyUser, exchange: Exchange) -> bool:
    return isinstance(user, User) and user.is_active and exchange.author_id == user.pk


def can_manage(user: AnyUser, exchange: Exchange) -> bool:
    """The owner, or a facilitator of the community acting for them."""
    if not can_view(user, exchange) or exchange.community.is_archived:
        return False
    if is_owner(user, exchange):
        return community_policy.is_member(user, exchange.community)
    return exchange_policy.can_triage(user, exchange)


def check_manage(user: AnyUser, exchange: Exchange) -> None:
    exchange_policy.check_view_exchange(user, exchange)
    community_policy.check_not_archived(exchange.community)
    if not can_manage(user, exchange):
        raise PermissionDenied(
            _("Only the consultation's owner and the community's facilitators may do this.")
        )


def check_revise(user: AnyUser, exchange: Exchange) -> None:
    check_manage(user, exchange)
    if not exchange.is_open:
        raise ValidationError(
            _("This consultation is closed: its draft can no longer change."), code="closed"
        )


def check_close(user: AnyUser, exchange: Exchange) -> None:
    check_manage(user, exchange)
    if not exchange.is_open:
        raise ValidationError(_("This consultation is already closed."), code="closed")


def check_summarise(user: AnyUser, exchange: Exchange) -> None:
    check_manage(user, exchange)
    if exchange.is_open:
        raise ValidationError(
            _("Close the consultation first: the feedback summary is written once comments end."),
            code="open",
        )
