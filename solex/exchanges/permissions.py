"""Who may read, ask, reply, triage, route, close and moderate exchanges.

Built on the communities' access policy: an exchange has its community's audience
(``can_view_in_community``), except a direct-connect request, which only its author,
the community's moderators and site admins see. Moderating is for the community's
facilitators, coordinators and knowledge managers (``can_moderate``).

``can_*`` answer yes or no; ``check_*`` raise ``Http404`` when the person may not know
the exchange exists, ``PermissionDenied`` when they may see it but not do this, and
``ValidationError`` when the exchange's state forbids it (closed, locked, in triage).
Keep ``can_view_exchange`` in step with ``ExchangeQuerySet.visible_to``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from solex.accounts.models import User
from solex.communities import permissions as community_policy
from solex.communities.models import Community
from solex.exchanges.models import CloseReason, Exchange, Kind, Reply, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser


def _is_author(user: AnyUser, exchange: Exchange) -> bool:
    return isinstance(user, User) and user.is_active and exchange.author_id == user.pk


# --- Seeing ---------------------------------------------------------------------------


def can_view_exchange(user: AnyUser, exchange: Exchange) -> bool:
    community = exchange.community
    if not community_policy.can_view_in_community(user, community):
        return False
    if not exchange.is_direct_connect:
        return True
    return _is_author(user, exchange) or community_policy.can_moderate(user, community)


def check_view_exchange(user: AnyUser, exchange: Exchange) -> None:
    if not can_view_exchange(user, exchange):
        raise Http404(_("No exchange found at this address."))


# --- Asking ---------------------------------------------------------------------------


def can_ask(user: AnyUser, community: Community) -> bool:
    return community_policy.can_post_in(user, community)


def check_ask(user: AnyUser, community: Community) -> None:
    community_policy.check_view_community(user, community)
    community_policy.check_not_archived(community)
    if not community_policy.is_member(user, community):
        raise PermissionDenied(_("Join this community to ask it a question."))


# --- Replying -------------------------------------------------------------------------


def can_moderate_exchange(user: AnyUser, exchange: Exchange) -> bool:
    return can_view_exchange(user, exchange) and community_policy.can_moderate(
        user, exchange.community
    )


def _reply_refusal(user: AnyUser, exchange: Exchange) -> ValidationError | None:
    """Why the exchange's state refuses a reply from this person, or None."""
    if exchange.community.is_archived:
        return ValidationError(
            _("This community is a read-only archive: nothing can be posted in it."),
            code="archived",
        )
    if not exchange.is_open:
        return ValidationError(
            _("This exchange is closed: it takes no more replies."), code="closed"
        )
    moderator = community_policy.can_moderate(user, exchange.community)
    if exchange.is_locked and not moderator:
        return ValidationError(
            _("A facilitator locked this exchange: %(reason)s")
            % {"reason": exchange.locked_reason},
            code="locked",
        )
    if exchange.status == Status.TRIAGE and not (moderator or _is_author(user, exchange)):
        return ValidationError(
            _("This query is waiting for a facilitator: replies open when it is released."),
            code="triage",
        )
    return None


def can_reply(user: AnyUser, exchange: Exchange) -> bool:
    return (
        can_view_exchange(user, exchange)
        and community_policy.is_member(user, exchange.community)
        and _reply_refusal(user, exchange) is None
    )


def check_reply(user: AnyUser, exchange: Exchange) -> None:
    check_view_exchange(user, exchange)
    if not community_policy.is_member(user, exchange.community):
        raise PermissionDenied(_("Join this community to reply."))
    refusal = _reply_refusal(user, exchange)
    if refusal is not None:
        raise refusal


def can_edit_reply(user: AnyUser, reply: Reply) -> bool:
    exchange = reply.exchange
    if not can_view_exchange(user, exchange) or exchange.community.is_archived:
        return False
    if community_policy.can_moderate(user, exchange.community):
        return True
    return (
        isinstance(user, User)
        and reply.author_id == user.pk
        and exchange.is_open
        and not reply.is_hidden
        and not exchange.is_locked
    )


def check_edit_reply(user: AnyUser, reply: Reply) -> None:
    check_view_exchange(user, reply.exchange)
    community_policy.check_not_archived(reply.exchange.community)
    if not can_edit_reply(user, reply):
        raise PermissionDenied(
            _("Only its author (while the exchange is open) and facilitators may edit a reply.")
        )


def can_mark_helpful(user: AnyUser, reply: Reply) -> bool:
    """The asker and the community's facilitators, never on their own reply."""
    exchange = reply.exchange
    if not can_view_exchange(user, exchange) or not isinstance(user, User):
        return False
    if reply.author_id == user.pk or reply.is_hidden:
        return False
    return _is_author(user, exchange) or community_policy.can_moderate(user, exchange.community)


def check_mark_helpful(user: AnyUser, reply: Reply) -> None:
    check_view_exchange(user, reply.exchange)
    if not can_mark_helpful(user, reply):
        raise PermissionDenied(
            _("Only the asker and the facilitators mark replies helpful, and not their own.")
        )


# --- Facilitating ---------------------------------------------------------------------


def can_triage(user: AnyUser, exchange: Exchange) -> bool:
    """Sharpen, release, merge, lock, hide, hand off: the community's moderators."""
    return can_moderate_exchange(user, exchange) and not exchange.community.is_archived


def check_triage(user: AnyUser, exchange: Exchange) -> None:
    check_view_exchange(user, exchange)
    community_policy.check_not_archived(exchange.community)
    if not can_triage(user, exchange):
        raise PermissionDenied(_("Only the community's facilitators and coordinators may do this."))


def can_route(user: AnyUser, exchange: Exchange) -> bool:
    return can_triage(user, exchange) and exchange.kind == Kind.QUERY and exchange.is_open


def check_route(user: AnyUser, exchange: Exchange) -> None:
    check_triage(user, exchange)
    if exchange.kind != Kind.QUERY:
        raise ValidationError(_("Only queries are routed to experts."), code="not_query")
    if not exchange.is_open:
        raise ValidationError(_("This exchange is closed."), code="closed")


def can_close(user: AnyUser, exchange: Exchange) -> bool:
    """Moderators close with any reason; the asker may withdraw their own question."""
    if not exchange.is_open or exchange.community.is_archived:
        return False
    return can_triage(user, exchange) or (
        can_view_exchange(user, exchange) and _is_author(user, exchange)
    )


def check_close(user: AnyUser, exchange: Exchange, *, reason: str) -> None:
    check_view_exchange(user, exchange)
    community_policy.check_not_archived(exchange.community)
    if can_triage(user, exchange):
        return
    if _is_author(user, exchange):
        if reason == CloseReason.WITHDRAWN:
            return
        raise PermissionDenied(
            _("You can withdraw your question; facilitators close it otherwise.")
        )
    raise PermissionDenied(_("Only the community's facilitators and coordinators may do this."))


def can_change_settings(user: AnyUser, community: Community) -> bool:
    return community_policy.can_moderate(user, community) and not community.is_archived


def check_change_settings(user: AnyUser, community: Community) -> None:
    community_policy.check_moderate(user, community)
    community_policy.check_not_archived(community)


# --- Attachments --------------------------------------------------------------------------


def can_attach(user: AnyUser, exchange: Exchange) -> bool:
    """Add files to the query itself: its asker while it is open, or a facilitator."""
    if not can_view_exchange(user, exchange) or exchange.community.is_archived:
        return False
    return (_is_author(user, exchange) and exchange.is_open) or can_triage(user, exchange)


def check_attach(user: AnyUser, exchange: Exchange) -> None:
    check_view_exchange(user, exchange)
    community_policy.check_not_archived(exchange.community)
    if not can_attach(user, exchange):
        raise PermissionDenied(
            _("Only the asker (while it is open) and facilitators may attach files to it.")
        )


def can_download(user: AnyUser, exchange: Exchange, reply: Reply | None) -> bool:
    """A file has its exchange's audience; a hidden reply's files only its moderators'."""
    if not can_view_exchange(user, exchange):
        return False
    return reply is None or not reply.is_hidden or can_moderate_exchange(user, exchange)
