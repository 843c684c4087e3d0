"""The access policy for communities: who may see, join, post, moderate and manage.

Every view, API endpoint, feed, search result and email in Solex asks these
functions (or filters with ``Community.objects.visible_to``), so there is one place
to read and test the rules:

- anonymous visitors and external partners see public communities only (plus any
  community a partner belongs to);
- internal staff also see organisation-only communities;
- a members-only "safe space" is visible to its members and site admins only, and
  answers 404 to everyone else, so not even its existence leaks;
- partners can never join an internal-only community;
- an archived community (closed, or past its end date) is read-only.

``can_*`` answer yes or no; ``check_*`` raise ``Http404`` when the person may not
even know the community exists, ``PermissionDenied`` when they may see it but not do
this, and ``ValidationError`` when the request is understood but the community's
state forbids it (archived, invitation-only, already a member).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from solex.accounts.models import User
from solex.communities.models import (
    MODERATOR_ROLES,
    Community,
    JoinPolicy,
    Membership,
    Role,
    RoleAssignment,
    Visibility,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser


def is_site_admin(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def is_km_team(user: AnyUser) -> bool:
    """The knowledge management team: site admins and staff users."""
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.is_staff))


def _signed_in(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _is_internal(user: AnyUser) -> bool:
    return isinstance(user, User) and user.is_active and user.is_internal


def membership_of(user: AnyUser, community: Community) -> Membership | None:
    """This person's membership, cached on the community object for the request."""
    if not isinstance(user, User) or not user.is_active:
        return None
    cache: dict[int, Membership | None] = community.__dict__.setdefault("_membership_cache", {})
    if user.pk not in cache:
        cache[user.pk] = Membership.objects.filter(user=user, community=community).first()
    return cache[user.pk]


def roles_of(user: AnyUser, community: Community) -> frozenset[str]:
    """The roles this person holds here; every member holds "member"."""
    membership = membership_of(user, community)
    if membership is None:
        return frozenset()
    cache: dict[int, frozenset[str]] = community.__dict__.setdefault("_roles_cache", {})
    if membership.pk not in cache:
        roles = RoleAssignment.objects.filter(membership=membership).values_list("role", flat=True)
        cache[membership.pk] = frozenset({Role.MEMBER, *roles})
    return cache[membership.pk]


def forget_membership(community: Community) -> None:
    """Drop the cached answers after an action changed them."""
    community.__dict__.pop("_membership_cache", None)
    community.__dict__.pop("_roles_cache", None)


def is_member(user: AnyUser, community: Community) -> bool:
    return membership_of(user, community) is not None


# --- Seeing ----------------------------------------------------------------------


def can_view_community(user: AnyUser, community: Community) -> bool:
    """Keep in step with ``CommunityQuerySet.visible_to``."""
    if community.visibility == Visibility.PUBLIC:
        return True
    if not _signed_in(user):
        return False
    if is_site_admin(user) or is_member(user, community):
        return True
    return community.visibility == Visibility.ORGANISATION and _is_internal(user)


def can_list_community(user: AnyUser, community: Community) -> bool:
    """Whether the community appears in lists and search: the same rule as seeing it."""
    return can_view_community(user, community)


def can_view_in_community(user: AnyUser, community: Community) -> bool:
    """The audience rule for content that lives in a community (exchanges, library, events)."""
    return can_view_community(user, community)


def check_view_community(user: AnyUser, community: Community) -> None:
    if not can_view_community(user, community):
        raise Http404(_("No community found at this address."))


def can_view_members(user: AnyUser, community: Community) -> bool:
    return can_view_community(user, community)


# --- Joining ---------------------------------------------------------------------


def may_ever_belong(user: AnyUser, community: Community) -> bool:
    """Partners can never belong to an internal-only community."""
    return _signed_in(user) and (community.admits_partners or _is_internal(user))


def can_join(user: AnyUser, community: Community) -> bool:
    return (
        can_view_community(user, community)
        and may_ever_belong(user, community)
        and community.join_policy == JoinPolicy.OPEN
        and not community.is_archived
        and not is_member(user, community)
    )


def can_request_to_join(user: AnyUser, community: Community) -> bool:
    return (
        can_view_community(user, community)
        and may_ever_belong(user, community)
        and community.join_policy == JoinPolicy.APPROVAL
        and not community.is_archived
        and not is_member(user, community)
    )


def _check_joinable(user: AnyUser, community: Community, policy: JoinPolicy) -> None:
    check_view_community(user, community)
    if not _signed_in(user):
        raise PermissionDenied(_("Log in to join a community."))
    check_not_archived(community)
    if is_member(user, community):
        raise ValidationError(
            _("You are already a member of this community."), code="already_member"
        )
    if not may_ever_belong(user, community):
        raise PermissionDenied(_("This community is for internal staff only."))
    if community.join_policy == JoinPolicy.INVITATION:
        raise ValidationError(
            _("This community is by invitation only: ask a facilitator to invite you."),
            code="invitation_only",
        )
    if community.join_policy != policy:
        if policy == JoinPolicy.OPEN:
            raise ValidationError(
                _("This community approves new members: send a request to join instead."),
                code="approval_required",
            )
        raise ValidationError(_("This community is open: join it directly."), code="open")


def check_join(user: AnyUser, community: Community) -> None:
    _check_joinable(user, community, JoinPolicy.OPEN)


def check_request_to_join(user: AnyUser, community: Community) -> None:
    _check_joinable(user, community, JoinPolicy.APPROVAL)


def can_leave(user: AnyUser, community: Community) -> bool:
    return is_member(user, community)


def check_leave(user: AnyUser, community: Community) -> None:
    check_view_community(user, community)
    if not is_member(user, community):
        raise ValidationError(_("You are not a member of this community."), code="not_member")


# --- Contributing ------------------------------------------------------------------


def check_not_archived(community: Community) -> None:
    if community.is_archived:
        raise ValidationError(
            _("This community is a read-only archive: nothing can be changed or posted in it."),
            code="archived",
        )


def can_post_in(user: AnyUser, community: Community) -> bool:
    return not community.is_archived and is_member(user, community)


def check_post_in(user: AnyUser, community: Community) -> None:
    check_view_community(user, community)
    check_not_archived(community)
    if not is_member(user, community):
        raise PermissionDenied(_("Join this community to post in it."))


# --- Moderating and managing ---------------------------------------------------------


def can_moderate(user: AnyUser, community: Community) -> bool:
    """Coordinators, facilitators and knowledge managers: triage, approve, invite."""
    if not can_view_community(user, community):
        return False
    return is_site_admin(user) or bool(roles_of(user, community) & MODERATOR_ROLES)


def check_moderate(user: AnyUser, community: Community) -> None:
    check_view_community(user, community)
    if not can_moderate(user, community):
        raise PermissionDenied(_("Only the community's facilitators and coordinators may do this."))


def can_manage(user: AnyUser, community: Community) -> bool:
    """Coordinators and site admins: charter, roles, members, audit log."""
    if not can_view_community(user, community):
        return False
    return is_site_admin(user) or Role.COORDINATOR in roles_of(user, community)


def check_manage(user: AnyUser, community: Community) -> None:
    check_view_community(user, community)
    if not can_manage(user, community):
        raise PermissionDenied(_("Only the community's coordinators may do this."))


def can_invite(user: AnyUser, community: Community) -> bool:
    return can_moderate(user, community) and not community.is_archived


def check_invite(user: AnyUser, community: Community) -> None:
    check_moderate(user, community)
    check_not_archived(community)


# --- Creating communities -------------------------------------------------------------


def can_request_community(user: AnyUser) -> bool:
    """Any internal member may ask for a new community."""
    return _is_internal(user) or is_km_team(user)


def check_request_community(user: AnyUser) -> None:
    if not can_request_community(user):
        raise PermissionDenied(_("Only internal staff may request a new community."))


def can_create_community(user: AnyUser) -> bool:
    """Create without waiting: the KM team always, everyone internal when no approval is needed."""
    if is_km_team(user):
        return True
    return can_request_community(user) and not settings.SOLEX_COMMUNITY_APPROVAL_REQUIRED


def check_create_community(user: AnyUser) -> None:
    if not can_create_community(user):
        raise PermissionDenied(
            _("New communities need the approval of the knowledge management team.")
        )


def can_review_community_requests(user: AnyUser) -> bool:
    return is_km_team(user)


def check_review_community_requests(user: AnyUser) -> None:
    if not can_review_community_requests(user):
        raise PermissionDenied(_("Only the knowledge management team reviews community requests."))


def can_launch_crisis_community(user: AnyUser) -> bool:
    return is_km_team(user)


def check_launch_crisis_community(user: AnyUser) -> None:
    if not can_launch_crisis_community(user):
        raise PermissionDenied(_("Only the knowledge management team launches crisis communities."))


# --- Editing and after-action reviews ----------------------------------------------------------


def can_edit_community(user: AnyUser, community: Community) -> bool:
    """Topics, scope, kind, stage, languages, end date and parent: the facilitation team.

    Who may see and join (visibility, membership type, join policy) is for managers
    only: see ``can_manage``.
    """
    return can_moderate(user, community) and not community.is_archived


def check_edit_community(user: AnyUser, community: Community) -> None:
    check_moderate(user, community)
    check_not_archived(community)


REVIEW_ROLES = frozenset({Role.COORDINATOR, Role.FACILITATOR})


def can_lead_after_action_review(user: AnyUser, community: Community) -> bool:
    """Coordinators and facilitators (and site admins) record what an ended community learned."""
    if not can_view_community(user, community):
        return False
    return is_site_admin(user) or bool(roles_of(user, community) & REVIEW_ROLES)


def check_lead_after_action_review(user: AnyUser, community: Community) -> None:
    check_view_community(user, community)
    if not can_lead_after_action_review(user, community):
        raise PermissionDenied(
            _("Only the community's coordinators and facilitators record its after-action review.")
        )
    if not community.is_archived:
        raise ValidationError(
            _("The after-action review comes when the community has ended."), code="not_ended"
        )
