"""Who may read and record knowledge: the community's access policy, applied to its items."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404
from django.utils.translation import gettext as _

from solex.communities import permissions as community_policy
from solex.knowledge.models import KnowledgeItem

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from solex.accounts.models import User

    AnyUser = User | AnonymousUser


def can_view_item(user: AnyUser, item: KnowledgeItem) -> bool:
    """An item has its community's audience. Keep in step with ``KnowledgeItem.objects.visible_to``."""
    return community_policy.can_view_in_community(user, item.community)


def check_view_item(user: AnyUser, item: KnowledgeItem) -> None:
    if not can_view_item(user, item):
        raise Http404(_("Nothing found at this address."))
