"""Every change to communities, memberships and roles.

Each action checks permission, writes, records an ``AuditEntry`` and schedules its
emails on commit. Views, the API, tasks and the demo data call these and nothing
else, so a rule holds whichever way a change comes in. Bad input raises
``ValidationError`` and changes nothing (each action runs in one transaction).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from solex.accounts.models import Region, User
from solex.accounts.queries import organization_for_email, user_with_email
from solex.communities import permissions as policy
from solex.communities.models import (
    AuditEntry,
    Community,
    CommunityInvitation,
    CommunityRequest,
    DeliveryPreference,
    JoinPolicy,
    JoinRequest,
    Kind,
    Membership,
    MembershipType,
    Role,
    RoleAssignment,
    Scope,
    Stage,
    Structure,
    Visibility,
)
from solex.communities.tasks import send_community_email
from solex.core.tasks import enqueue_on_commit
from solex.taxonomy.models import Topic

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser

INVITATION_SALT = "solex.communities.invitation"
INVITATION_LIFETIME = datetime.timedelta(days=30)
MAX_CSV_ROWS = 2000


# --- Helpers ----------------------------------------------------------------------------


def _audit(
    community: Community,
    *,
    actor: AnyUser | None,
    action: AuditEntry.Action,
    target: User | None = None,
    detail: str = "",
    reason: str = "",
) -> AuditEntry:
    return AuditEntry.objects.create(
        community=community,
        actor=actor if isinstance(actor, User) else None,
        action=action,
        target_user=target,
        detail=detail[:300],
        reason=reason,
    )


def absolute_url(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


def _email(kind: str, to: Iterable[str], context: dict[str, str], language: str = "") -> None:
    """Render ``communities/email/<kind>`` now and send it once the change is committed."""
    recipients = [address for address in to if address]
    if not recipients:
        return
    codes = {code for code, _name in settings.LANGUAGES}
    context = {"site_name": "Solex", **context}
    with translation.override(language if language in codes else settings.LANGUAGE_CODE):
        subject = " ".join(
            render_to_string(f"communities/email/{kind}.subject.txt", context).split()
        )
        text = render_to_string(f"communities/email/{kind}.txt", context)
        html = render_to_string(f"communities/email/{kind}.html", context)
    for address in recipients:
        enqueue_on_commit(send_community_email, subject, text, html, address)


def _signed_in(actor: AnyUser) -> User:
    if not isinstance(actor, User) or not actor.is_active:
        raise PermissionDenied(_("Log in first."))
    return actor


def _lock(community: Community) -> Community:
    """Serialise changes to one community's team (the last-coordinator rule needs it)."""
    return Community.objects.select_for_update().get(pk=community.pk)


def _add_member(
    community: Community,
    user: User,
    *,
    roles: Iterable[str] = (),
    delivery: str = DeliveryPreference.WEEKLY,
) -> Membership:
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user, community=community, delivery=delivery
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("%(name)s is already a member of this community.") % {"name": user},
            code="already_member",
        ) from exc
    Community.objects.filter(pk=community.pk).update(member_count=F("member_count") + 1)
    RoleAssignment.objects.bulk_create(
        RoleAssignment(membership=membership, community=community, role=role)
        for role in sorted(set(roles) - {Role.MEMBER})
    )
    policy.forget_membership(community)
    return membership


def _remove_member(community: Community, membership: Membership) -> None:
    membership.delete()
    Community.objects.filter(pk=community.pk).update(member_count=F("member_count") - 1)
    policy.forget_membership(community)


def _coordinator_count(community: Community) -> int:
    return RoleAssignment.objects.filter(community=community, role=Role.COORDINATOR).count()


def _ensure_not_last_coordinator(
    community: Community, membership: Membership, message: str
) -> None:
    is_coordinator = RoleAssignment.objects.filter(
        membership=membership, role=Role.COORDINATOR
    ).exists()
    if is_coordinator and _coordinator_count(community) <= 1:
        raise ValidationError(message, code="last_coordinator")


def moderator_emails(community: Community) -> list[str]:
    return list(
        User.objects.filter(
            memberships__community=community,
            memberships__roles__role__in=[Role.COORDINATOR, Role.FACILITATOR],
            is_active=True,
        )
        .distinct()
        .values_list("email", flat=True)[:20]
    )


# --- Creating communities -------------------------------------------------------------


class CommunityFields(TypedDict, total=False):
    """What a community is made of, for ``create_community`` and requests."""

    name: str
    slug: str
    purpose: str
    mission: str
    vision: str
    goals: str
    member_rules: str
    visibility: str
    membership_type: str
    join_policy: str
    kind: str
    scope: str
    stage: str
    structure: str
    regions: list[str]
    countries: list[str]
    languages: list[str]
    ends_on: datetime.date | None
    is_crisis: bool
    parent: Community | None


def _check_parent(actor: AnyUser, parent: Community | None) -> None:
    if parent is None:
        return
    if not policy.can_view_community(actor, parent):
        raise ValidationError({"parent": _("Choose a network you can see.")})
    if parent.is_archived:
        raise ValidationError({"parent": _("This network is a read-only archive.")})


@transaction.atomic
def create_community(
    *,
    actor: AnyUser,
    fields: CommunityFields,
    topics: Iterable[Topic] = (),
    coordinator: User | None = None,
) -> Community:
    """Create a community now; ``coordinator`` (default: the actor) becomes its first coordinator."""
    policy.check_create_community(actor)
    creator = _signed_in(actor)
    coordinator = coordinator or creator
    _check_parent(actor, fields.get("parent"))
    community = Community(**fields, created_by=creator)
    if not community.slug:
        community.slug = slugify(community.name)[:80]
    community.full_clean(exclude=["topics"])
    try:
        with transaction.atomic():
            community.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"slug": _("This web address is already taken: choose another.")}
        ) from exc
    community.topics.set(list(topics))
    _add_member(community, coordinator, roles=[Role.COORDINATOR])
    community.member_count = 1
    _audit(community, actor=actor, action=AuditEntry.Action.CREATED, target=coordinator)
    return community


@transaction.atomic
def request_community(
    *, actor: AnyUser, fields: CommunityFields, reason: str = "", topics: Iterable[Topic] = ()
) -> CommunityRequest:
    """Ask for a new community. Without the approval setting (or for the KM team) it is created at once.

    Every request is kept, approved or not: the queue is the record of demand.
    """
    policy.check_request_community(actor)
    requester = _signed_in(actor)
    allowed = {
        "name",
        "slug",
        "purpose",
        "visibility",
        "membership_type",
        "join_policy",
        "kind",
        "scope",
        "parent",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(
            _("These fields cannot be requested: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    _check_parent(actor, fields.get("parent"))
    request = CommunityRequest(**fields, reason=reason, requested_by=requester)
    if not request.slug:
        request.slug = slugify(request.name)[:80]
    request.full_clean()
    if Community.objects.filter(slug=request.slug).exists():
        raise ValidationError({"slug": _("This web address is already taken: choose another.")})
    request.save()
    topics = list(topics)
    request.topics.set(topics)
    if policy.can_create_community(actor):
        community = create_community(actor=actor, fields=_request_fields(request), topics=topics)
        request.status = CommunityRequest.Status.APPROVED
        request.community = community
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "community", "decided_at"])
    return request


def _request_fields(request: CommunityRequest) -> CommunityFields:
    return CommunityFields(
        name=request.name,
        slug=request.slug,
        purpose=request.purpose,
        visibility=request.visibility,
        membership_type=request.membership_type,
        join_policy=request.join_policy,
        kind=request.kind,
        scope=request.scope,
        parent=request.parent,
    )


def _pending(request: CommunityRequest) -> CommunityRequest:
    locked = CommunityRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != CommunityRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."), code="decided")
    return locked


@transaction.atomic
def approve_community_request(request: CommunityRequest, *, actor: AnyUser) -> Community:
    policy.check_review_community_requests(actor)
    request = _pending(request)
    requester = request.requested_by
    community = create_community(
        actor=actor,
        fields=_request_fields(request),
        topics=request.topics.all(),
        coordinator=requester,
    )
    request.status = CommunityRequest.Status.APPROVED
    request.decided_by = _signed_in(actor)
    request.decided_at = timezone.now()
    request.community = community
    request.save(update_fields=["status", "decided_by", "decided_at", "community"])
    if requester is not None:
        _email(
            "community_request_approved",
            [requester.email],
            {
                "name": requester.get_short_name(),
                "community": community.name,
                "url": absolute_url(community.get_absolute_url()),
            },
            requester.preferred_language,
        )
    return community


@transaction.atomic
def decline_community_request(
    request: CommunityRequest, *, actor: AnyUser, reason: str
) -> CommunityRequest:
    policy.check_review_community_requests(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why, so the person asking can act on it.")})
    request = _pending(request)
    request.status = CommunityRequest.Status.DECLINED
    request.decided_by = _signed_in(actor)
    request.decided_at = timezone.now()
    request.decision_reason = reason
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    requester = request.requested_by
    if requester is not None:
        _email(
            "community_request_declined",
            [requester.email],
            {"name": requester.get_short_name(), "community": request.name, "reason": reason},
            requester.preferred_language,
        )
    return request


CHARTER_FIELDS = ("purpose", "mission", "vision", "goals", "member_rules", "stage", "languages")


@transaction.atomic
def update_charter(community: Community, *, actor: AnyUser, changes: dict[str, Any]) -> Community:
    """Change the charter (purpose, mission, vision, goals, member rules) or the lifecycle stage."""
    policy.check_manage(actor, community)
    policy.check_not_archived(community)
    unknown = set(changes) - set(CHARTER_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields are not part of the charter: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    changed = [name for name, value in changes.items() if getattr(community, name) != value]
    if not changed:
        return community
    for name in changed:
        setattr(community, name, changes[name])
    community.full_clean(exclude=["topics", "slug"])
    if community.stage == Stage.CLOSED:
        community.closed_at = timezone.now()
        changed.append("closed_at")
    community.save(update_fields=changed)
    _audit(
        community, actor=actor, action=AuditEntry.Action.CHARTER_UPDATED, detail=", ".join(changed)
    )
    return community


#: What the facilitation team may change after creation (``update_community``).
DESCRIPTION_FIELDS = (
    "kind",
    "stage",
    "scope",
    "regions",
    "countries",
    "languages",
    "ends_on",
    "parent",
)
#: Who may see and join: coordinators only, each change audited on its own.
ACCESS_FIELDS = ("visibility", "membership_type", "join_policy")


def _check_no_cycle(community: Community, parent: Community | None) -> None:
    seen: set[int] = set()
    node = parent
    while node is not None and node.pk not in seen:
        if node.pk == community.pk:
            raise ValidationError(
                {"parent": _("A community cannot sit inside itself or one of its sub-networks.")}
            )
        seen.add(node.pk)
        node = node.parent


def _check_description(community: Community, changes: dict[str, Any]) -> None:
    """Validate the list fields the model cannot check itself (JSON lists)."""
    errors: dict[str, str] = {}
    if "regions" in changes and not set(changes["regions"]) <= set(Region.values):
        errors["regions"] = _("Choose regions from the list.")
    if "countries" in changes:
        bad = [c for c in changes["countries"] if len(c) != 2 or not c.isalpha() or not c.isupper()]
        if bad:
            errors["countries"] = _("Use two-letter country codes: %(codes)s") % {
                "codes": ", ".join(bad)
            }
    codes = {code for code, _name in settings.LANGUAGES}
    if "languages" in changes and not set(changes["languages"]) <= codes:
        errors["languages"] = _("Choose languages from the list.")
    ends_on = changes.get("ends_on")
    if ends_on is not None and ends_on != community.ends_on and ends_on < timezone.localdate():
        errors["ends_on"] = _(
            "Choose today or a later date; to close the community now, set its stage to closed."
        )
    if errors:
        raise ValidationError(errors)


def _describe(name: str, value: Any) -> str:
    if isinstance(value, Community):
        return value.slug
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return "" if value is None else str(value)


@transaction.atomic
def update_community(
    community: Community,
    *,
    actor: AnyUser,
    changes: dict[str, Any],
    topics: Iterable[Topic] | None = None,
) -> Community:
    """Change what a community is about and how it runs; coordinators also change who may see and join.

    ``changes`` holds fields of ``DESCRIPTION_FIELDS`` and ``ACCESS_FIELDS``;
    ``topics``, when given, replaces the topics. Unchanged values are ignored, so a
    facilitator may send the whole form back with the access fields as they were.
    """
    policy.check_edit_community(actor, community)
    unknown = set(changes) - set(DESCRIPTION_FIELDS) - set(ACCESS_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    community = _lock(community)
    changed = {
        name: value
        for name, value in changes.items()
        if (community.parent if name == "parent" else getattr(community, name)) != value
    }
    access = [name for name in changed if name in ACCESS_FIELDS]
    if access and not policy.can_manage(actor, community):
        raise PermissionDenied(
            _("Only the community's coordinators may change who can see and join it.")
        )
    _check_description(community, changed)
    if "parent" in changed:
        _check_parent(actor, changed["parent"])
        _check_no_cycle(community, changed["parent"])
    new_topics = None if topics is None else set(topics)
    old_topics = set(community.topics.all())
    topics_changed = new_topics is not None and new_topics != old_topics
    if not changed and not topics_changed:
        return community
    before = {name: getattr(community, name) for name in changed}
    for name, value in changed.items():
        setattr(community, name, value)
    community.full_clean(exclude=["topics", "slug"])
    fields = list(changed)
    if changed.get("stage") == Stage.CLOSED:
        community.closed_at = timezone.now()
        fields.append("closed_at")
    if fields:
        community.save(update_fields=fields)
    if new_topics is not None and topics_changed:
        community.topics.set(new_topics)
    description = [name for name in changed if name not in ACCESS_FIELDS]
    if topics_changed:
        description.append("topics")
    if description:
        _audit(
            community,
            actor=actor,
            action=AuditEntry.Action.SETTINGS_UPDATED,
            detail=", ".join(description),
        )
    for name in access:
        _audit(
            community,
            actor=actor,
            action=AuditEntry.Action.ACCESS_CHANGED,
            detail=f"{name}: {_describe(name, before[name])} → {_describe(name, changed[name])}",
        )
    policy.forget_membership(community)
    return community


# --- Joining and leaving ----------------------------------------------------------------


@transaction.atomic
def join(community: Community, *, actor: AnyUser) -> Membership:
    """Join an open community in one step."""
    policy.check_join(actor, community)
    user = _signed_in(actor)
    membership = _add_member(community, user)
    _audit(community, actor=user, action=AuditEntry.Action.JOINED, target=user)
    return membership


@transaction.atomic
def request_to_join(community: Community, *, actor: AnyUser, note: str = "") -> JoinRequest:
    policy.check_request_to_join(actor, community)
    user = _signed_in(actor)
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                community=community, user=user, note=note.strip()[:2000]
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("Your request to join is already waiting for a facilitator."), code="pending"
        ) from exc
    _audit(
        community,
        actor=user,
        action=AuditEntry.Action.REQUESTED,
        target=user,
        reason=join_request.note,
    )
    _email(
        "join_request_received",
        moderator_emails(community),
        {
            "community": community.name,
            "person": user.name or user.username,
            "note": join_request.note,
            "url": absolute_url(reverse("communities:join-request-list", args=[community.slug])),
        },
    )
    return join_request


def _pending_join_request(join_request: JoinRequest) -> JoinRequest:
    locked = (
        JoinRequest.objects.select_for_update()
        .select_related("user", "community")
        .get(pk=join_request.pk)
    )
    if locked.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."), code="decided")
    return locked


@transaction.atomic
def approve_join_request(
    join_request: JoinRequest, *, actor: AnyUser, reason: str = ""
) -> Membership:
    community = join_request.community
    policy.check_moderate(actor, community)
    policy.check_not_archived(community)
    join_request = _pending_join_request(join_request)
    person = join_request.user
    if not policy.may_ever_belong(person, community):
        raise ValidationError(_("This community is for internal staff only."), code="internal_only")
    membership = _add_member(community, person)
    join_request.status = JoinRequest.Status.APPROVED
    join_request.decided_by = _signed_in(actor)
    join_request.decided_at = timezone.now()
    join_request.reason = reason.strip()
    join_request.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    _audit(
        community,
        actor=actor,
        action=AuditEntry.Action.APPROVED,
        target=person,
        reason=join_request.reason,
    )
    _email(
        "join_request_approved",
        [person.email],
        {
            "name": person.get_short_name(),
            "community": community.name,
            "reason": join_request.reason,
            "url": absolute_url(community.get_absolute_url()),
        },
        person.preferred_language,
    )
    return membership


@transaction.atomic
def decline_join_request(join_request: JoinRequest, *, actor: AnyUser, reason: str) -> JoinRequest:
    community = join_request.community
    policy.check_moderate(actor, community)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason: it is sent to the person who asked.")})
    join_request = _pending_join_request(join_request)
    join_request.status = JoinRequest.Status.DECLINED
    join_request.decided_by = _signed_in(actor)
    join_request.decided_at = timezone.now()
    join_request.reason = reason
    join_request.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    person = join_request.user
    _audit(community, actor=actor, action=AuditEntry.Action.DECLINED, target=person, reason=reason)
    _email(
        "join_request_declined",
        [person.email],
        {"name": person.get_short_name(), "community": community.name, "reason": reason},
        person.preferred_language,
    )
    return join_request


@transaction.atomic
def leave(community: Community, *, actor: AnyUser) -> None:
    policy.check_leave(actor, community)
    user = _signed_in(actor)
    _lock(community)
    membership = Membership.objects.get(user=user, community=community)
    _ensure_not_last_coordinator(
        community,
        membership,
        _("You are the last coordinator: name another coordinator before you leave."),
    )
    _remove_member(community, membership)
    _audit(community, actor=user, action=AuditEntry.Action.LEFT, target=user)


@transaction.atomic
def remove_member(community: Community, *, actor: AnyUser, user: User, reason: str = "") -> None:
    policy.check_manage(actor, community)
    policy.check_not_archived(community)
    _lock(community)
    membership = Membership.objects.filter(user=user, community=community).first()
    if membership is None:
        raise ValidationError(
            _("%(name)s is not a member of this community.") % {"name": user}, code="not_member"
        )
    _ensure_not_last_coordinator(
        community, membership, _("This is the last coordinator: name another coordinator first.")
    )
    _remove_member(community, membership)
    _audit(
        community, actor=actor, action=AuditEntry.Action.REMOVED, target=user, reason=reason.strip()
    )


# --- Roles and preferences -----------------------------------------------------------------


def _membership_for_role_change(community: Community, user: User, role: str) -> Membership:
    if role not in Role.values or role == Role.MEMBER:
        raise ValidationError({"role": _("Choose one of the community roles.")})
    membership = Membership.objects.filter(user=user, community=community).first()
    if membership is None:
        raise ValidationError(
            _("%(name)s is not a member of this community.") % {"name": user}, code="not_member"
        )
    return membership


@transaction.atomic
def grant_role(
    community: Community, *, actor: AnyUser, user: User, role: str, reason: str = ""
) -> RoleAssignment:
    policy.check_manage(actor, community)
    policy.check_not_archived(community)
    membership = _membership_for_role_change(community, user, role)
    try:
        with transaction.atomic():
            assignment = RoleAssignment.objects.create(
                membership=membership, community=community, role=role
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("%(name)s is already %(role)s.") % {"name": user, "role": Role(role).label},
            code="has_role",
        ) from exc
    policy.forget_membership(community)
    _audit(
        community,
        actor=actor,
        action=AuditEntry.Action.ROLE_GRANTED,
        target=user,
        detail=role,
        reason=reason,
    )
    return assignment


@transaction.atomic
def revoke_role(
    community: Community, *, actor: AnyUser, user: User, role: str, reason: str = ""
) -> None:
    policy.check_manage(actor, community)
    policy.check_not_archived(community)
    _lock(community)
    membership = _membership_for_role_change(community, user, role)
    if role == Role.COORDINATOR:
        _ensure_not_last_coordinator(
            community,
            membership,
            _("A community needs at least one coordinator: name another one first."),
        )
    deleted, _counts = RoleAssignment.objects.filter(membership=membership, role=role).delete()
    if not deleted:
        raise ValidationError(
            _("%(name)s is not %(role)s.") % {"name": user, "role": Role(role).label},
            code="no_role",
        )
    policy.forget_membership(community)
    _audit(
        community,
        actor=actor,
        action=AuditEntry.Action.ROLE_REVOKED,
        target=user,
        detail=role,
        reason=reason,
    )


@transaction.atomic
def set_delivery_preference(community: Community, *, actor: AnyUser, delivery: str) -> Membership:
    """How this member gets the community's messages: each one, a digest, or none."""
    user = _signed_in(actor)
    policy.check_view_community(user, community)
    if delivery not in DeliveryPreference.values:
        raise ValidationError({"delivery": _("Choose how you want to receive messages.")})
    membership = Membership.objects.filter(user=user, community=community).first()
    if membership is None:
        raise ValidationError(_("You are not a member of this community."), code="not_member")
    if membership.delivery != delivery:
        membership.delivery = delivery
        membership.save(update_fields=["delivery"])
        _audit(
            community,
            actor=user,
            action=AuditEntry.Action.DELIVERY_CHANGED,
            target=user,
            detail=delivery,
        )
    return membership


# --- Invitations -----------------------------------------------------------------------------


def invitation_token(invitation: CommunityInvitation) -> str:
    return signing.TimestampSigner(salt=INVITATION_SALT).sign(str(invitation.pk))


def invitation_for_token(token: str) -> CommunityInvitation:
    """The invitation a link names; a clear error if the link is altered, expired or used."""
    signer = signing.TimestampSigner(salt=INVITATION_SALT)
    try:
        pk = int(signer.unsign(token, max_age=INVITATION_LIFETIME))
    except signing.SignatureExpired as exc:
        raise ValidationError(
            _("This invitation has expired: ask for a new one."), code="expired"
        ) from exc
    except (signing.BadSignature, ValueError) as exc:
        raise ValidationError(_("This invitation link is not valid."), code="invalid") from exc
    invitation = CommunityInvitation.objects.select_related("community").filter(pk=pk).first()
    if invitation is None or invitation.withdrawn_at is not None:
        raise ValidationError(
            _(
                "This invitation was withdrawn: ask the community's facilitators if you still want to join."
            ),
            code="withdrawn",
        )
    return invitation


@transaction.atomic
def withdraw_invitation(
    invitation: CommunityInvitation, *, actor: AnyUser, reason: str = ""
) -> CommunityInvitation:
    """Take back an invitation nobody has accepted yet: its link then says it was withdrawn."""
    community = invitation.community
    policy.check_moderate(actor, community)
    locked = CommunityInvitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise ValidationError(
            _("%(email)s has already accepted this invitation.") % {"email": locked.email},
            code="accepted",
        )
    if locked.withdrawn_at is not None:
        raise ValidationError(_("This invitation was already withdrawn."), code="withdrawn")
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_by = _signed_in(actor)
    locked.save(update_fields=["withdrawn_at", "withdrawn_by"])
    _audit(
        community,
        actor=actor,
        action=AuditEntry.Action.INVITATION_WITHDRAWN,
        detail=f"{locked.email} ({locked.role})",
        reason=reason.strip(),
    )
    return locked


def _normalize_email(email: str) -> str:
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(
            {
                "email": _("%(email)s is not a valid email address.")
                % {"email": email or _("(empty)")}
            }
        ) from exc
    mailbox, _at, domain = email.rpartition("@")
    return f"{mailbox}@{domain.lower()}"


def _is_internal_address(email: str) -> bool:
    existing = user_with_email(email)
    if existing is not None:
        return existing.is_internal
    organization = organization_for_email(email)
    return organization is not None and organization.is_internal


@transaction.atomic
def invite_by_email(
    community: Community, *, actor: AnyUser, email: str, role: str = Role.MEMBER, message: str = ""
) -> CommunityInvitation:
    """Invite a colleague or partner by email; people without an account get one by accepting."""
    policy.check_invite(actor, community)
    inviter = _signed_in(actor)
    email = _normalize_email(email)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the community roles.")})
    if role != Role.MEMBER and not policy.can_manage(actor, community):
        raise PermissionDenied(_("Only coordinators may invite people into a role."))
    if not community.admits_partners and not _is_internal_address(email):
        raise ValidationError(
            {
                "email": _(
                    "%(email)s is not an internal address, and this community is for internal staff only."
                )
                % {"email": email}
            }
        )
    existing = user_with_email(email)
    if (
        existing is not None
        and Membership.objects.filter(user=existing, community=community).exists()
    ):
        raise ValidationError({"email": _("%(email)s is already a member.") % {"email": email}})
    try:
        with transaction.atomic():
            invitation = CommunityInvitation.objects.create(
                community=community,
                email=email,
                role=role,
                invited_by=inviter,
                message=message.strip(),
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"email": _("%(email)s has already been invited.") % {"email": email}}
        ) from exc
    _audit(
        community,
        actor=inviter,
        action=AuditEntry.Action.INVITED,
        target=existing,
        detail=f"{email} ({role})",
    )
    _email(
        "invitation",
        [email],
        {
            "inviter": inviter.name or inviter.username,
            "community": community.name,
            "purpose": community.purpose,
            "message": invitation.message,
            "role": str(Role(role).label),
            "url": absolute_url(
                reverse("communities:invitation-accept", args=[invitation_token(invitation)])
            ),
            "lifetime_days": str(INVITATION_LIFETIME.days),
        },
        existing.preferred_language if existing else inviter.preferred_language,
    )
    return invitation


@dataclass
class RowError:
    line: int
    value: str
    message: str


@dataclass
class BulkInviteReport:
    invited: list[CommunityInvitation] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def bulk_invite_from_csv(
    community: Community,
    *,
    actor: AnyUser,
    csv_text: str,
    role: str = Role.MEMBER,
    message: str = "",
) -> BulkInviteReport:
    """Invite every address in a CSV (first column; a header row is skipped).

    Good rows are invited, each bad row is reported with its line and reason; one
    bad row never stops the others.
    """
    policy.check_invite(actor, community)
    rows = list(csv.reader(io.StringIO(csv_text)))
    if len(rows) > MAX_CSV_ROWS:
        raise ValidationError(
            _("The file has %(count)d rows; invite at most %(max)d at a time.")
            % {"count": len(rows), "max": MAX_CSV_ROWS}
        )
    report = BulkInviteReport()
    for line, row in enumerate(rows, start=1):
        value = row[0].strip() if row else ""
        if not value or (
            line == 1 and "@" not in value and value.lower() in {"email", "e-mail", "email address"}
        ):
            continue
        try:
            report.invited.append(
                invite_by_email(community, actor=actor, email=value, role=role, message=message)
            )
        except ValidationError as exc:
            report.errors.append(RowError(line=line, value=value, message=" ".join(exc.messages)))
    return report


@transaction.atomic
def accept_invitation(
    token: str, *, actor: AnyUser, name: str = "", password: str = "", language: str = ""
) -> Membership:
    """Accept an invitation. Someone without an account gets one here, from a name and a password."""
    invitation = invitation_for_token(token)
    locked = CommunityInvitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise ValidationError(_("This invitation has already been accepted."), code="accepted")
    if locked.withdrawn_at is not None:
        # Withdrawn between the page loading and the form being sent.
        raise ValidationError(_("This invitation was withdrawn."), code="withdrawn")
    community = invitation.community
    policy.check_not_archived(community)
    if isinstance(actor, User):
        if actor.email.lower() != invitation.email.lower():
            raise ValidationError(
                _("This invitation was sent to %(email)s: log in with that account to accept it.")
                % {"email": invitation.email},
                code="wrong_account",
            )
        user = actor
    else:
        user = _create_invited_user(
            invitation.email, name=name, password=password, language=language
        )
    if not policy.may_ever_belong(user, community):
        raise ValidationError(_("This community is for internal staff only."), code="internal_only")
    membership = Membership.objects.filter(user=user, community=community).first()
    if membership is None:
        membership = _add_member(community, user)
    if invitation.role != Role.MEMBER:
        RoleAssignment.objects.get_or_create(
            membership=membership, community=community, role=invitation.role
        )
        policy.forget_membership(community)
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    _audit(
        community,
        actor=user,
        action=AuditEntry.Action.INVITATION_ACCEPTED,
        target=user,
        detail=invitation.role,
    )
    return membership


def _create_invited_user(email: str, *, name: str, password: str, language: str) -> User:
    name = " ".join(name.split())
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Tell us your name.")]
    if user_with_email(email) is not None:
        raise ValidationError(
            _("You already have an account with %(email)s: log in to accept the invitation.")
            % {"email": email},
            code="has_account",
        )
    candidate = User(email=email, name=name, username=email.lower()[:150])
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    codes = {code for code, _name in settings.LANGUAGES}
    candidate.organization = organization_for_email(email)
    candidate.preferred_language = language if language in codes else settings.LANGUAGE_CODE
    # Following the emailed link proved the person reads mail at this address.
    candidate.email_confirmed_at = timezone.now()
    candidate.set_password(password)
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("An account for %(email)s was just created: log in to accept the invitation.")
            % {"email": email},
            code="has_account",
        ) from exc
    return candidate


# --- Crisis communities and archiving -----------------------------------------------------


@dataclass
class CrisisTemplate:
    """Everything a time-bound crisis community needs, so it can be launched in one step."""

    name: str
    purpose: str
    ends_on: datetime.date
    slug: str = ""
    facilitators: Sequence[User] = ()
    expert_emails: Sequence[str] = ()
    admits_partners: bool = True
    visibility: str = Visibility.PUBLIC
    languages: Sequence[str] = ("en",)
    regions: Sequence[str] = ()
    countries: Sequence[str] = ()
    topics: Sequence[Topic] = ()
    parent: Community | None = None
    mission: str = ""
    goals: str = ""
    member_rules: str = ""


def crisis_charter_defaults() -> dict[str, str]:
    return {
        "mission": _(
            "Connect the people responding to this crisis with colleagues and partners who have "
            "handled similar situations, so that questions get useful answers within hours."
        ),
        "goals": _(
            "Answer urgent queries fast; share what is working and what is not; keep a record "
            "of decisions and lessons for the after-action review."
        ),
        "member_rules": _(
            "Be brief and practical. Share only what you may share. Tag your posts with the "
            "place and sector. Facilitators route questions to the right experts."
        ),
    }


@transaction.atomic
def launch_crisis_community(template: CrisisTemplate, *, actor: AnyUser) -> Community:
    """Create a time-bound crisis community with its facilitators and invited experts, in one step."""
    policy.check_launch_crisis_community(actor)
    if template.ends_on <= timezone.localdate():
        raise ValidationError({"ends_on": _("A crisis community needs an end date in the future.")})
    defaults = crisis_charter_defaults()
    community = create_community(
        actor=actor,
        fields=CommunityFields(
            name=template.name,
            slug=template.slug,
            purpose=template.purpose,
            mission=template.mission or defaults["mission"],
            goals=template.goals or defaults["goals"],
            member_rules=template.member_rules or defaults["member_rules"],
            visibility=template.visibility,
            membership_type=MembershipType.PARTNERS
            if template.admits_partners
            else MembershipType.INTERNAL,
            join_policy=JoinPolicy.APPROVAL,
            kind=Kind.DELIVERY,
            scope=Scope.TRANS_BORDER
            if len(template.countries) > 1
            else Scope.NATIONAL
            if template.countries
            else Scope.REGIONAL,
            stage=Stage.LAUNCHING,
            structure=Structure.COMMUNITY,
            languages=list(template.languages),
            regions=list(template.regions),
            countries=list(template.countries),
            ends_on=template.ends_on,
            is_crisis=True,
            parent=template.parent,
        ),
        topics=template.topics,
    )
    creator = _signed_in(actor)
    for facilitator in template.facilitators:
        if not policy.may_ever_belong(facilitator, community):
            raise ValidationError(
                {
                    "facilitators": _("%(name)s is a partner and this community is internal.")
                    % {"name": facilitator}
                }
            )
        if facilitator.pk == creator.pk:
            RoleAssignment.objects.get_or_create(
                membership=Membership.objects.get(user=creator, community=community),
                community=community,
                role=Role.FACILITATOR,
            )
        else:
            _add_member(community, facilitator, roles=[Role.FACILITATOR])
        _audit(
            community,
            actor=actor,
            action=AuditEntry.Action.ROLE_GRANTED,
            target=facilitator,
            detail=Role.FACILITATOR,
        )
    bad: list[str] = []
    for email in template.expert_emails:
        try:
            invite_by_email(community, actor=actor, email=email, role=Role.EXPERT)
        except ValidationError as exc:
            bad.append(" ".join(exc.messages))
    if bad:
        raise ValidationError({"expert_emails": bad})
    policy.forget_membership(community)
    community.refresh_from_db(fields=["member_count"])
    return community


def close_expired_communities(*, today: datetime.date | None = None) -> list[Community]:
    """Archive the communities whose end date has passed and ask their coordinators for an after-action review.

    Idempotent: a community is closed (and its coordinators emailed) once.
    """
    today = today or timezone.localdate()
    closed: list[Community] = []
    candidates = (
        Community.objects.filter(ends_on__lt=today)
        .exclude(stage=Stage.CLOSED)
        .values_list("pk", flat=True)
    )
    for pk in list(candidates[:500]):
        with transaction.atomic():
            community = Community.objects.select_for_update().get(pk=pk)
            if community.stage == Stage.CLOSED:
                continue
            community.stage = Stage.CLOSED
            community.closed_at = community.review_requested_at = timezone.now()
            community.save(update_fields=["stage", "closed_at", "review_requested_at"])
            _audit(
                community,
                actor=None,
                action=AuditEntry.Action.ARCHIVED,
                detail=str(community.ends_on),
            )
            coordinators = User.objects.filter(
                memberships__community=community,
                memberships__roles__role=Role.COORDINATOR,
                is_active=True,
            )
            for coordinator in coordinators:
                _email(
                    "after_action_review",
                    [coordinator.email],
                    {
                        "name": coordinator.get_short_name(),
                        "community": community.name,
                        "ended": community.ends_on.isoformat() if community.ends_on else "",
                        "url": absolute_url(community.get_absolute_url()),
                    },
                    coordinator.preferred_language,
                )
            closed.append(community)
    return closed


@transaction.atomic
def mark_after_action_review_recorded(
    community: Community, *, actor: AnyUser, title: str
) -> Community:
    """Note in the community (and its audit log) that its after-action review is recorded.

    Called by the knowledge library's ``record_after_action_review``, in its
    transaction: the prompt to the community's leads goes away with it.
    """
    policy.check_lead_after_action_review(actor, community)
    community = _lock(community)
    if community.review_recorded_at is None:
        community.review_recorded_at = timezone.now()
        community.save(update_fields=["review_recorded_at"])
    _audit(community, actor=actor, action=AuditEntry.Action.REVIEW_RECORDED, detail=title)
    return community
