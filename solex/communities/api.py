"""The API for communities, memberships, roles, requests to join and invitations.

Every operation fetches its community through ``queries.community_for`` (404 for a
community the caller may not see) and changes things only through ``actions``; the
errors those raise become JSON by the handlers in ``solex.core.api.errors``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from solex.accounts.api_auth import auth_optional, auth_required, caller, signed_in_caller
from solex.accounts.api_refs import person_ref as _person
from solex.accounts.models import User
from solex.communities import actions, queries
from solex.communities import permissions as policy
from solex.communities.actions import CommunityFields
from solex.communities.models import (
    AuditEntry,
    Community,
    CommunityInvitation,
    CommunityRequest,
    JoinRequest,
    Membership,
    Role,
)
from solex.communities.schemas import (
    AuditEntryOut,
    BulkInvitationIn,
    BulkInvitationOut,
    CharterIn,
    CommunityDetailOut,
    CommunityIn,
    CommunityOut,
    CommunityQuery,
    CommunityRequestOut,
    DecisionIn,
    DeliveryIn,
    InvitationIn,
    InvitationOut,
    JoinRequestIn,
    JoinRequestOut,
    MemberOut,
    MyMembershipOut,
    RemoveIn,
    RoleIn,
    SettingsIn,
)
from solex.core.api.errors import Error, error_response
from solex.core.api.pagination import Page, PageParams, paginate
from solex.core.api.params import ObjectId
from solex.taxonomy.models import Topic

router = Router(tags=["communities"])

REFUSED = "The community's rules refuse this request; detail says why (409)."


def refusals[**P](view: Callable[P, Any]) -> Callable[P, Any]:
    """Answer an action's ``ValidationError`` with 409 and the standard error body.

    The request was well formed (the schema accepted it) but conflicts with the state
    of things: a taken slug, an existing membership, the last coordinator, an
    archived community, an address that cannot be invited.
    """

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
        try:
            return view(*args, **kwargs)
        except ValidationError as error:
            errors: list[dict[str, Any]]
            if hasattr(error, "error_dict"):
                errors = [
                    {"loc": ["body", name], "msg": str(message), "type": "conflict"}
                    for name, messages in error.message_dict.items()
                    for message in messages
                ]
            else:
                errors = [
                    {"loc": ["body"], "msg": str(message), "type": "conflict"}
                    for message in error.messages
                ]
            detail = " ".join(str(item["msg"]) for item in errors)
            return error_response(409, detail, errors)

    return wrapper


requests_router = Router(tags=["community requests"])


def _community(community: Community) -> dict[str, Any]:
    return {
        "slug": community.slug,
        "name": community.name,
        "purpose": community.purpose,
        "visibility": community.visibility,
        "membership_type": community.membership_type,
        "join_policy": community.join_policy,
        "scope": community.scope,
        "kind": community.kind,
        "stage": community.stage,
        "structure": community.structure,
        "parent": community.parent.slug if community.parent_id and community.parent else None,
        "member_count": community.member_count,
        "is_archived": community.is_archived,
        "ends_on": community.ends_on,
    }


def _detail(request: HttpRequest, community: Community) -> dict[str, Any]:
    user = caller(request)
    policy.forget_membership(community)
    parent = (
        Community.objects.visible_to(user).filter(pk=community.parent_id).first()
        if community.parent_id
        else None
    )
    community.parent = parent
    return {
        **_community(community),
        "mission": community.mission,
        "vision": community.vision,
        "goals": community.goals,
        "member_rules": community.member_rules,
        "topics": [topic.slug for topic in community.topics.all()[:50]],
        "regions": community.regions,
        "countries": community.countries,
        "languages": community.languages,
        "is_crisis": community.is_crisis,
        "created_at": community.created_at,
        "team": [
            {"role": group.role.value, "people": [_person(person) for person in group.people]}
            for group in queries.team(community)
        ],
        "your_roles": sorted(policy.roles_of(user, community)),
        "can_join": policy.can_join(user, community),
        "can_request_to_join": policy.can_request_to_join(user, community),
    }


def _member(membership: Membership) -> dict[str, Any]:
    user = membership.user
    return {
        "username": user.username,
        "name": user.name,
        "organization": str(user.organization) if user.organization_id else None,
        "roles": [Role.MEMBER.value, *(assignment.role for assignment in membership.roles.all())],
        "joined_at": membership.joined_at,
        "delivery": membership.delivery,
    }


def _join_request(join_request: JoinRequest) -> dict[str, Any]:
    return {
        "id": join_request.pk,
        "person": _person(join_request.user),
        "note": join_request.note,
        "status": join_request.status,
        "reason": join_request.reason,
        "created_at": join_request.created_at,
    }


def _invitation(invitation: CommunityInvitation) -> dict[str, Any]:
    return {
        "id": invitation.pk,
        "email": invitation.email,
        "role": invitation.role,
        "created_at": invitation.created_at,
        "accepted": invitation.accepted_at is not None,
        "withdrawn": invitation.withdrawn_at is not None,
    }


def _community_request(item: CommunityRequest) -> dict[str, Any]:
    return {
        "id": item.pk,
        "name": item.name,
        "slug": item.slug,
        "purpose": item.purpose,
        "reason": item.reason,
        "status": item.status,
        "requested_by": _person(item.requested_by),
        "community": item.community.slug if item.community else None,
        "decision_reason": item.decision_reason,
        "created_at": item.created_at,
    }


def _page_of(items: Any, params: PageParams, render: Any) -> dict[str, Any]:
    page = paginate(items, params)
    page["items"] = [render(item) for item in page["items"]]
    return page


def _member_of(community: Community, username: str) -> User:
    membership = get_object_or_404(
        Membership.objects.select_related("user"), community=community, user__username=username
    )
    return membership.user


# --- Communities ------------------------------------------------------------------------------


@router.get("/", response=Page[CommunityOut], auth=auth_optional, summary="List communities")
def list_communities(
    request: HttpRequest, filters: Query[CommunityQuery], page: Query[PageParams]
) -> dict[str, Any]:
    """The communities the caller may see (safe spaces only to their members), filtered."""
    matches = queries.matching(
        caller(request),
        queries.DirectoryFilters(
            text=filters.q.strip(),
            topic=filters.topic,
            scope=filters.scope,
            region=filters.region,
            kind=filters.kind,
        ),
    )
    return _page_of(matches, page, _community)


@router.post(
    "/",
    response={201: CommunityRequestOut, 409: Error},
    auth=auth_required,
    summary="Request a new community",
)
@refusals
def create_community(request: HttpRequest, payload: CommunityIn) -> Status[dict[str, Any]]:
    """Ask for a new community. Where no approval is needed it is created at once, with you as coordinator."""
    user = signed_in_caller(request)
    parent = None
    if payload.parent:
        parent = Community.objects.visible_to(user).filter(slug=payload.parent).first()
        if parent is None:
            raise ValidationError({"parent": f"No community has the slug {payload.parent!r}."})
    topics = list(Topic.objects.filter(slug__in=payload.topics))
    if len(topics) != len(set(payload.topics)):
        raise ValidationError({"topics": "One of the topics does not exist."})
    fields = CommunityFields(
        name=payload.name,
        slug=payload.slug,
        purpose=payload.purpose,
        visibility=payload.visibility,
        membership_type=payload.membership_type,
        join_policy=payload.join_policy,
        kind=payload.kind,
        scope=payload.scope,
        parent=parent,
    )
    item = actions.request_community(
        actor=user, fields=fields, reason=payload.reason, topics=topics
    )
    return Status(201, _community_request(item))


@router.get("/{slug}", response=CommunityDetailOut, auth=auth_optional, summary="Read a community")
def get_community(request: HttpRequest, slug: str) -> dict[str, Any]:
    """A community's charter, team and what the caller may do there."""
    return _detail(request, queries.community_for(caller(request), slug))


@router.patch(
    "/{slug}/charter",
    response={200: CommunityDetailOut, 409: Error},
    auth=auth_required,
    summary="Update the charter",
)
@refusals
def update_charter(request: HttpRequest, slug: str, payload: CharterIn) -> dict[str, Any]:
    """Coordinators change the purpose, charter, lifecycle stage or languages."""
    user = signed_in_caller(request)
    community = queries.community_for(user, slug)
    actions.update_charter(community, actor=user, changes=payload.model_dump(exclude_none=True))
    return _detail(request, community)


@router.patch(
    "/{slug}/settings",
    response={200: CommunityDetailOut, 409: Error},
    auth=auth_required,
    summary="Change a community's settings",
)
@refusals
def update_settings(request: HttpRequest, slug: str, payload: SettingsIn) -> dict[str, Any]:
    """Send only what changes; ``ends_on`` and ``parent`` may be set to null to clear them."""
    user = signed_in_caller(request)
    community = queries.community_for(user, slug)
    changes = payload.model_dump(exclude_unset=True)
    topics = None
    if "topics" in changes:
        slugs = changes.pop("topics") or []
        topics = list(Topic.objects.filter(slug__in=slugs))
        if len(topics) != len(set(slugs)):
            raise ValidationError({"topics": "One of the topics does not exist."})
    if changes.get("parent") is not None:
        parent = Community.objects.visible_to(user).filter(slug=changes["parent"]).first()
        if parent is None:
            raise ValidationError({"parent": "No network you can see has this address."})
        changes["parent"] = parent
    for name in ("regions", "countries", "languages"):
        if name in changes and changes[name] is None:
            changes[name] = []
    for name in ("kind", "stage", "scope", "visibility", "membership_type", "join_policy"):
        if name in changes and changes[name] is None:
            raise ValidationError({name: "This setting cannot be empty."})
    actions.update_community(community, actor=user, changes=changes, topics=topics)
    community.refresh_from_db()
    return _detail(request, community)


# --- Memberships and roles ------------------------------------------------------------------------


@router.get("/{slug}/members", response=Page[MemberOut], auth=auth_optional, summary="List members")
def list_members(request: HttpRequest, slug: str, page: Query[PageParams]) -> dict[str, Any]:
    community = queries.community_for(caller(request), slug)
    return _page_of(queries.members(community), page, _member)


@router.post(
    "/{slug}/members",
    response={201: MyMembershipOut, 409: Error},
    auth=auth_required,
    summary="Join a community",
)
@refusals
def join_community(request: HttpRequest, slug: str) -> Status[dict[str, Any]]:
    """Join an open community as the caller."""
    user = signed_in_caller(request)
    membership = actions.join(queries.community_for(user, slug), actor=user)
    return Status(201, _member(membership))


@router.put(
    "/{slug}/members/me/delivery",
    response={200: MyMembershipOut, 409: Error},
    auth=auth_required,
    summary="Choose email delivery",
)
@refusals
def set_delivery(request: HttpRequest, slug: str, payload: DeliveryIn) -> dict[str, Any]:
    user = signed_in_caller(request)
    community = queries.community_for(user, slug)
    membership = actions.set_delivery_preference(community, actor=user, delivery=payload.delivery)
    return _member(membership)


@router.delete(
    "/{slug}/members/me",
    response={204: None, 409: Error},
    auth=auth_required,
    summary="Leave a community",
)
@refusals
def leave_community(request: HttpRequest, slug: str) -> Status[None]:
    user = signed_in_caller(request)
    actions.leave(queries.community_for(user, slug), actor=user)
    return Status(204, None)


@router.post(
    "/{slug}/members/{username}/remove",
    response={204: None, 409: Error},
    auth=auth_required,
    summary="Remove a member",
)
@refusals
def remove_member(
    request: HttpRequest, slug: str, username: str, payload: RemoveIn
) -> Status[None]:
    user = signed_in_caller(request)
    community = queries.community_for(user, slug)
    policy.check_manage(user, community)
    actions.remove_member(
        community, actor=user, user=_member_of(community, username), reason=payload.reason
    )
    return Status(204, None)


@router.post(
    "/{slug}/members/{username}/roles",
    response={201: MemberOut, 409: Error},
    auth=auth_required,
    summary="Grant a role",
)
@refusals
def grant_role(
    request: HttpRequest, slug: str, username: str, payload: RoleIn
) -> Status[dict[str, Any]]:
    user = signed_in_caller(request)
    community = queries.community_for(user, slug)
    policy.check_manage(user, community)
    person = _member_of(community, username)
    actions.grant_role(community, actor=user, user=person, role=payload.role, reason=payload.reason)
    return Status(201, _member(queries.members(community).get(user=person)))


@router.post(
    "/{slug}/members/{username}/roles/revoke",
    response={200: MemberOut, 409: Error},
    auth=auth_required,
    summary="Revoke a role",
)
@refusals
def revoke_role(request: HttpRequest, slug: str, username: str, payload: RoleIn) -> dict[str, Any]:
    user = signed_in_caller(request)
    community = queries.community_for(user, slug)
    policy.check_manage(user, community)
    person = _member_of(community, username)
    actions.revoke_role(
        community, actor=user, user=person, role=payload.role, reason=payload.reason
    )
    return _member(queries.members(community).get(user=person))


# --- Requests to join -------------------------------------------------------------------------------


@router.get(
    "/{slug}/join-requests",
    response=Page[JoinRequestOut],
    auth=auth_required,
    summary="List pending requests to join",
)
def list_join_requests(request: HttpRequest, slug: str, page: Query[PageParams]) -> dict[str, Any]:
    user = signed_in_caller(request)
    community = queries.community_for(user, slug)
    policy.check_moderate(user, community)
    return _page_of(queries.pending_join_requests(community), page, _join_request)


@router.post(
    "/{slug}/join-requests",
    response={201: JoinRequestOut, 409: Error},
    auth=auth_required,
    summary="Ask to join",
)
@refusals
def request_to_join(
    request: HttpRequest, slug: str, payload: JoinRequestIn
) -> Status[dict[str, Any]]:
    user = signed_in_caller(request)
    join_request = actions.request_to_join(
        queries.community_for(user, slug), actor=user, note=payload.note
    )
    return Status(201, _join_request(join_request))


def _pending_request(request: HttpRequest, slug: str, request_id: int) -> tuple[User, JoinRequest]:
    user = signed_in_caller(request)
    community = queries.community_for(user, slug)
    policy.check_moderate(user, community)
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("user"), pk=request_id, community=community
    )
    join_request.community = community
    return user, join_request


@router.post(
    "/{slug}/join-requests/{request_id}/approve",
    response={200: JoinRequestOut, 409: Error},
    auth=auth_required,
    summary="Approve a request to join",
)
@refusals
def approve_join_request(
    request: HttpRequest, slug: str, request_id: ObjectId, payload: DecisionIn
) -> dict[str, Any]:
    user, join_request = _pending_request(request, slug, request_id)
    actions.approve_join_request(join_request, actor=user, reason=payload.reason)
    join_request.refresh_from_db()
    return _join_request(join_request)


@router.post(
    "/{slug}/join-requests/{request_id}/decline",
    response={200: JoinRequestOut, 409: Error},
    auth=auth_required,
    summary="Decline a request to join",
)
@refusals
def decline_join_request(
    request: HttpRequest, slug: str, request_id: ObjectId, payload: DecisionIn
) -> dict[str, Any]:
    user, join_request = _pending_request(request, slug, request_id)
    return _join_request(
        actions.decline_join_request(join_request, actor=user, reason=payload.reason)
    )


# --- Invitations and audit ------------------------------------------------------------------------------


@router.get(
    "/{slug}/invitations",
    response=Page[InvitationOut],
    auth=auth_required,
    summary="List invitations",
)
def list_invitations(request: HttpRequest, slug: str, page: Query[PageParams]) -> dict[str, Any]:
    user = signed_in_caller(request)
    community = queries.community_for(user, slug)
    policy.check_moderate(user, community)
    return _page_of(community.invitations.order_by("-created_at", "-pk"), page, _invitation)


@router.post(
    "/{slug}/invitations",
    response={201: InvitationOut, 409: Error},
    auth=auth_required,
    summary="Invite someone by email",
)
@refusals
def invite(request: HttpRequest, slug: str, payload: InvitationIn) -> Status[dict[str, Any]]:
    user = signed_in_caller(request)
    community = queries.community_for(user, slug)
    invitation = actions.invite_by_email(
        community, actor=user, email=payload.email, role=payload.role, message=payload.message
    )
    return Status(201, _invitation(invitation))


@router.post(
    "/{slug}/invitations/{invitation_id}/withdraw",
    response={200: InvitationOut, 404: Error, 409: Error},
    auth=auth_required,
    summary="Withdraw an invitation",
)
@refusals
def withdraw_invitation(
    request: HttpRequest, slug: str, invitation_id: ObjectId, payload: RemoveIn
) -> dict[str, Any]:
    """Its link then says it was withdrawn; accepted invitations cannot be withdrawn."""
    user = signed_in_caller(request)
    community = queries.community_for(user, slug)
    invitation = get_object_or_404(community.invitations, pk=invitation_id)
    return _invitation(actions.withdraw_invitation(invitation, actor=user, reason=payload.reason))


@router.post(
    "/{slug}/invitations/bulk",
    response={200: BulkInvitationOut, 409: Error},
    auth=auth_required,
    summary="Invite from a CSV of addresses",
)
@refusals
def bulk_invite(request: HttpRequest, slug: str, payload: BulkInvitationIn) -> dict[str, Any]:
    """Invites every good row; reports each bad one with its line and reason."""
    user = signed_in_caller(request)
    community = queries.community_for(user, slug)
    report = actions.bulk_invite_from_csv(
        community, actor=user, csv_text=payload.csv, role=payload.role, message=payload.message
    )
    return {
        "invited": [_invitation(invitation) for invitation in report.invited],
        "errors": [{"line": e.line, "value": e.value, "message": e.message} for e in report.errors],
    }


@router.get(
    "/{slug}/audit", response=Page[AuditEntryOut], auth=auth_required, summary="Read the audit log"
)
def audit_log(request: HttpRequest, slug: str, page: Query[PageParams]) -> dict[str, Any]:
    user = signed_in_caller(request)
    community = queries.community_for(user, slug)
    policy.check_manage(user, community)

    def render(entry: AuditEntry) -> dict[str, Any]:
        return {
            "at": entry.at,
            "actor": _person(entry.actor),
            "action": entry.action,
            "target": _person(entry.target_user),
            "detail": entry.detail,
            "reason": entry.reason,
        }

    return _page_of(queries.audit_log(community), page, render)


# --- The KM team's queue of requests for new communities ---------------------------------------------------


@requests_router.get(
    "/", response=Page[CommunityRequestOut], auth=auth_required, summary="List community requests"
)
def list_community_requests(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    """Every request for a new community, newest first (the KM team only)."""
    policy.check_review_community_requests(signed_in_caller(request))
    items = CommunityRequest.objects.select_related("requested_by", "community").order_by(
        "-created_at", "-pk"
    )
    return _page_of(items, page, _community_request)


@requests_router.post(
    "/{request_id}/approve",
    response={200: CommunityRequestOut, 409: Error},
    auth=auth_required,
    summary="Approve a community request",
)
@refusals
def approve_community_request(request: HttpRequest, request_id: ObjectId) -> dict[str, Any]:
    user = signed_in_caller(request)
    policy.check_review_community_requests(user)
    item = get_object_or_404(CommunityRequest, pk=request_id)
    actions.approve_community_request(item, actor=user)
    item.refresh_from_db()
    return _community_request(item)


@requests_router.post(
    "/{request_id}/decline",
    response={200: CommunityRequestOut, 409: Error},
    auth=auth_required,
    summary="Decline a community request",
)
@refusals
def decline_community_request(
    request: HttpRequest, request_id: ObjectId, payload: DecisionIn
) -> dict[str, Any]:
    user = signed_in_caller(request)
    policy.check_review_community_requests(user)
    item = get_object_or_404(CommunityRequest, pk=request_id)
    return _community_request(
        actions.decline_community_request(item, actor=user, reason=payload.reason)
    )
