"""The workspace's own write: a facilitator welcomes a newcomer.

The welcome is a notification to the member (with the facilitator's message), keyed
``welcome:<community>:<member>``; the queue leaves out members who have one, so no
table of its own is needed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from solex.accounts.models import User
from solex.communities import permissions as community_policy
from solex.communities.models import Membership
from solex.exchanges.workspace.queries import WELCOMED_KIND, welcome_key
from solex.notifications.actions import notify, translated

MESSAGE_MAX = 400


def welcome_member(membership: Membership, *, actor: User, message: str = "") -> int:
    """Greet a member on behalf of the community; returns 1 if they were told."""
    community = membership.community
    community_policy.check_moderate(actor, community)
    community_policy.check_not_archived(community)
    message = " ".join(message.split())
    if len(message) > MESSAGE_MAX:
        raise ValidationError(
            _("Keep the welcome under %(limit)d characters.") % {"limit": MESSAGE_MAX},
            code="too_long",
        )
    if message:
        text = translated(
            gettext_noop("%(facilitator)s welcomes you to %(community)s: %(message)s"),
            facilitator=actor.name or actor.username,
            community=community.name,
            message=message,
        )
    else:
        text = translated(
            gettext_noop("%(facilitator)s welcomes you to %(community)s"),
            facilitator=actor.name or actor.username,
            community=community.name,
        )
    return notify(
        [membership.user],
        kind=WELCOMED_KIND,
        text=text,
        target_url=community.get_absolute_url(),
        target_label=community.name,
        group_key=welcome_key(community.pk, membership.user_id),
        actor=actor,
    )
