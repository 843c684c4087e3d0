"""Who may read, write, review and hand over knowledge.

Reading: an item has its community's audience, narrowed by its own (see
``solex.knowledge.models``): an organisation-wide item reaches internal staff and
site admins only. Keep ``can_view_item`` in step with ``KnowledgeItem.objects.visible_to``.

Writing: members contribute to a community that is not archived; an item's owner,
its author and the community's moderators edit it. Reviewing (confirm, archive, the
freshness queue): the community's knowledge managers and coordinators, and the site's
knowledge management team (``is_km_team``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from solex.accounts.models import User
from solex.communities import permissions as community_policy
from solex.communities.models import Community, Role, RoleAssignment
from solex.knowledge.models import Audience, Handover, KnowledgeItem

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser

#: Community roles that keep the library fresh (besides the site's KM team).
REVIEWER_ROLES = frozenset({Role.KNOWLEDGE_MANAGER, Role.COORDINATOR})


def _internal_or_admin(user: AnyUser) -> bool:
    if not isinstance(user, User) or not user.is_active:
        return False
    return bool(user.is_superuser or user.is_internal)


def can_view_item(user: AnyUser, item: KnowledgeItem) -> bool:
    """Keep in step with ``KnowledgeItem.objects.visible_to``."""
    if not community_policy.can_view_in_community(user, item.community):
        return False
    return item.audience != Audience.ORGANISATION or _internal_or_admin(user)


def check_view_item(user: AnyUser, item: KnowledgeItem) -> None:
    if not can_view_item(user, item):
        raise Http404(_("Nothing found at this address."))


def check_audience_allowed(community: Community, audience: str) -> None:
    """Only an item of a public community may be public: an audience only narrows."""
    if audience not in Audience.values:
        raise ValidationError({"audience": _("Choose one of the audiences offered.")})
    if audience == Audience.PUBLIC and community.visibility != "public":
        raise ValidationError(
            {
                "audience": _(
                    "Only items of a public community can be public: choose the community "
                    "or organisation-wide audience."
                )
            }
        )


# --- Contributing and editing ----------------------------------------------------------


def can_contribute(user: AnyUser, community: Community) -> bool:
    return community_policy.can_post_in(user, community)


def check_contribute(user: AnyUser, community: Community) -> None:
    community_policy.check_view_community(user, community)
    if not isinstance(user, User):
        raise PermissionDenied(_("Log in first."))
    community_policy.check_not_archived(community)
    if not community_policy.is_member(user, community):
        raise PermissionDenied(_("Join this community to add to its library."))


def can_review_in(user: AnyUser, community: Community) -> bool:
    if not community_policy.can_view_community(user, community):
        return False
    if community_policy.is_km_team(user):
        return True
    return bool(community_policy.roles_of(user, community) & REVIEWER_ROLES)


def can_review_item(user: AnyUser, item: KnowledgeItem) -> bool:
    return can_view_item(user, item) and can_review_in(user, item.community)


def check_review_item(user: AnyUser, item: KnowledgeItem) -> None:
    check_view_item(user, item)
    if not can_review_item(user, item):
        raise PermissionDenied(
            _("Only the community's knowledge managers and coordinators review its library.")
        )


def _is_author(user: AnyUser, item: KnowledgeItem) -> bool:
    return isinstance(user, User) and user.pk in (item.owner_id, item.created_by_id)


def can_edit_item(user: AnyUser, item: KnowledgeItem) -> bool:
    if not can_view_item(user, item) or item.community.is_archived:
        return False
    if item.kind == KnowledgeItem.Kind.CONSOLIDATED_REPLY:
        return False  # its facilitators' editor writes it
    return (
        _is_author(user, item)
        or community_policy.can_moderate(user, item.community)
        or can_review_in(user, item.community)
    )


def check_edit_item(user: AnyUser, item: KnowledgeItem) -> None:
    check_view_item(user, item)
    if not isinstance(user, User):
        raise PermissionDenied(_("Log in first."))
    community_policy.check_not_archived(item.community)
    if item.kind == KnowledgeItem.Kind.CONSOLIDATED_REPLY:
        raise ValidationError(
            _("A consolidated reply is written in its query's consolidated-reply editor.")
        )
    if not can_edit_item(user, item):
        raise PermissionDenied(
            _("Only the item's owner, its author and the community's facilitators edit it.")
        )


def can_vote_useful(user: AnyUser, item: KnowledgeItem) -> bool:
    return isinstance(user, User) and user.is_active and can_view_item(user, item)


def check_vote_useful(user: AnyUser, item: KnowledgeItem) -> None:
    check_view_item(user, item)
    if not can_vote_useful(user, item):
        raise PermissionDenied(_("Log in to say whether this was useful."))


def can_see_review_queue(user: AnyUser) -> bool:
    """The KM team, and anyone who is a knowledge manager or coordinator somewhere."""
    if community_policy.is_km_team(user):
        return True
    if not isinstance(user, User) or not user.is_active:
        return False
    return RoleAssignment.objects.filter(membership__user=user, role__in=REVIEWER_ROLES).exists()


def check_see_review_queue(user: AnyUser) -> None:
    if not can_see_review_queue(user):
        raise PermissionDenied(
            _("The review queue is for knowledge managers, coordinators and the KM team.")
        )


# --- Handovers --------------------------------------------------------------------------------


def can_start_handover(user: AnyUser, community: Community) -> bool:
    return can_contribute(user, community)


def check_start_handover(user: AnyUser, community: Community) -> None:
    check_contribute(user, community)


def can_view_handover(user: AnyUser, handover: Handover) -> bool:
    """The leaver, the successor and site admins, while the community is visible to them."""
    if not community_policy.can_view_community(user, handover.community):
        return False
    if community_policy.is_site_admin(user):
        return True
    return isinstance(user, User) and user.pk in (handover.leaver_id, handover.successor_id)


def check_view_handover(user: AnyUser, handover: Handover) -> None:
    if not can_view_handover(user, handover):
        raise Http404(_("Nothing found at this address."))


def check_edit_handover(user: AnyUser, handover: Handover) -> None:
    check_view_handover(user, handover)
    if not isinstance(user, User) or user.pk not in (handover.leaver_id, handover.successor_id):
        raise PermissionDenied(_("Only the leaver and the successor work on a handover."))
    if handover.status != Handover.Status.DRAFT:
        raise ValidationError(_("This handover is published: it can no longer change."))
    community_policy.check_not_archived(handover.community)
