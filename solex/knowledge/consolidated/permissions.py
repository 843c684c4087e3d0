"""Who may write a query's consolidated reply: the facilitators of its community."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from solex.exchanges import permissions as exchange_policy
from solex.exchanges.models import Exchange, Kind

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from solex.accounts.models import User

    AnyUser = User | AnonymousUser


def can_consolidate(user: AnyUser, exchange: Exchange) -> bool:
    """An open, public query (not a private request), and a facilitator of its community."""
    return (
        exchange.kind == Kind.QUERY
        and exchange.is_open
        and not exchange.is_direct_connect
        and exchange_policy.can_triage(user, exchange)
    )


def check_consolidate(user: AnyUser, exchange: Exchange) -> None:
    """404 if the query is invisible, 403 for non-facilitators, a message if it cannot be."""
    exchange_policy.check_view_exchange(user, exchange)
    if not exchange_policy.can_triage(user, exchange):
        raise PermissionDenied(_("Only the community's facilitators write consolidated replies."))
    if exchange.kind != Kind.QUERY or exchange.is_direct_connect:
        raise ValidationError(_("Only queries get a consolidated reply."), code="not_query")
    if not exchange.is_open:
        raise ValidationError(_("This query is closed."), code="closed")
