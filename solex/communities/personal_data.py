"""What communities hold about a person, for the personal-data export and erasure.

``solex.people.privacy`` calls these through ``SOLEX_PERSONAL_DATA_EXPORTERS`` and
``SOLEX_PERSONAL_DATA_ERASERS``; they live here so that the communities app alone
knows its tables.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q

from solex.accounts.models import User
from solex.communities.models import CommunityInvitation, CommunityRequest, JoinRequest, Membership


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_communities(user: User) -> dict[str, Any]:
    memberships = (
        Membership.objects.filter(user=user).select_related("community").prefetch_related("roles")
    )
    join_requests = JoinRequest.objects.filter(user=user).select_related("community")
    invitations = CommunityInvitation.objects.filter(accepted_by=user).select_related("community")
    requests = CommunityRequest.objects.filter(requested_by=user)
    return {
        "memberships": [
            {
                "community": membership.community.name,
                "community_slug": membership.community.slug,
                "joined_at": _when(membership.joined_at),
                "delivery": membership.delivery,
                "roles": [role.role for role in membership.roles.all()],
            }
            for membership in memberships
        ],
        "join_requests": [
            {
                "community_slug": request.community.slug,
                "note": request.note,
                "status": request.status,
                "created_at": _when(request.created_at),
                "decided_at": _when(request.decided_at),
                "reason": request.reason,
            }
            for request in join_requests
        ],
        "community_invitations_accepted": [
            {
                "community_slug": invitation.community.slug,
                "role": invitation.role,
                "created_at": _when(invitation.created_at),
                "accepted_at": _when(invitation.accepted_at),
            }
            for invitation in invitations
        ],
        "community_requests": [
            {
                "name": request.name,
                "slug": request.slug,
                "purpose": request.purpose,
                "reason": request.reason,
                "status": request.status,
                "created_at": _when(request.created_at),
                "decided_at": _when(request.decided_at),
                "decision_reason": request.decision_reason,
            }
            for request in requests
        ],
    }


def erase_communities(user: User) -> None:
    """Leave every community. Runs before the account's eraser, which changes the email.

    The communities' audit entries keep pointing at the (now anonymous) account, so
    the record of who did what stays whole; requests for new communities stay too,
    attributed to "Former member".
    """
    Membership.objects.filter(user=user).delete()
    JoinRequest.objects.filter(user=user).delete()
    CommunityInvitation.objects.filter(accepted_at__isnull=True, email__iexact=user.email).delete()
    CommunityInvitation.objects.filter(Q(accepted_by=user) | Q(email__iexact=user.email)).update(
        email=user.erased_email
    )
