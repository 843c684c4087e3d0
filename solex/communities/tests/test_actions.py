"""Every community action: permission, write, audit entry, email; bad input changes nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model

from solex.accounts.models import User
from solex.accounts.testing import make_organization, make_partner, make_staff
from solex.communities import actions
from solex.communities.actions import CommunityFields, CrisisTemplate
from solex.communities.models import (
    AuditEntry,
    Community,
    CommunityInvitation,
    CommunityRequest,
    DeliveryPreference,
    JoinPolicy,
    JoinRequest,
    Membership,
    MembershipType,
    Role,
    RoleAssignment,
    Stage,
    Visibility,
)
from solex.communities.testing import add_member, make_community

pytestmark = pytest.mark.django_db

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
MODELS: list[type[Model]] = [
    Community,
    Membership,
    RoleAssignment,
    JoinRequest,
    CommunityInvitation,
    CommunityRequest,
    AuditEntry,
    User,
]


def counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in MODELS}


@contextmanager
def nothing_changes() -> Iterator[None]:
    """Asserts the block left every community table as it found it."""
    before = counts()
    yield
    assert counts() == before


@pytest.fixture
def coordinator() -> User:
    return make_staff("coco", name="Coco Coordinator")


@pytest.fixture
def community(coordinator: User) -> Community:
    return make_community("Local governance", slug="local-governance", coordinator=coordinator)


# --- Joining --------------------------------------------------------------------------


def test_joining_an_open_community_counts_the_member_and_records_it(
    community: Community, staff: User
) -> None:
    membership = actions.join(community, actor=staff)
    community.refresh_from_db()
    assert membership.delivery == DeliveryPreference.WEEKLY
    assert community.member_count == 2
    entry = AuditEntry.objects.get(action=AuditEntry.Action.JOINED)
    assert (entry.actor, entry.target_user, entry.community) == (staff, staff, community)


def test_joining_twice_is_refused_and_changes_nothing(community: Community, staff: User) -> None:
    actions.join(community, actor=staff)
    before = counts()
    with pytest.raises(ValidationError, match="already a member"):
        actions.join(community, actor=staff)
    assert counts() == before


def test_joining_by_invitation_only_is_refused(staff: User) -> None:
    community = make_community(join_policy=JoinPolicy.INVITATION)
    with nothing_changes(), pytest.raises(ValidationError, match="invitation only"):
        actions.join(community, actor=staff)


def test_joining_a_closed_community_is_refused(staff: User) -> None:
    community = make_community(stage=Stage.CLOSED)
    with nothing_changes(), pytest.raises(ValidationError, match="archive"):
        actions.join(community, actor=staff)


def test_partners_cannot_join_internal_only_communities(partner: User) -> None:
    community = make_community(
        visibility=Visibility.PUBLIC, membership_type=MembershipType.INTERNAL
    )
    with nothing_changes(), pytest.raises(PermissionDenied):
        actions.join(community, actor=partner)


def test_request_approve_and_decline_email_the_person_with_the_reason(
    coordinator: User, staff: User, django_capture_on_commit_callbacks: Capture
) -> None:
    community = make_community(join_policy=JoinPolicy.APPROVAL, coordinator=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        first = actions.request_to_join(community, actor=staff, note="I run the Dakar pilot.")
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert "I run the Dakar pilot." in mail.outbox[0].body
    with pytest.raises(ValidationError, match="already waiting"):
        actions.request_to_join(community, actor=staff)

    with django_capture_on_commit_callbacks(execute=True):
        actions.decline_join_request(
            first, actor=coordinator, reason="Staff of the Sahel offices only."
        )
    assert mail.outbox[-1].to == [staff.email]
    assert "Staff of the Sahel offices only." in mail.outbox[-1].body
    assert not Membership.objects.filter(user=staff, community=community).exists()

    second = actions.request_to_join(community, actor=staff, note="Now posted to Niamey.")
    with django_capture_on_commit_callbacks(execute=True):
        actions.approve_join_request(second, actor=coordinator, reason="Welcome!")
    assert Membership.objects.filter(user=staff, community=community).exists()
    assert "Welcome!" in mail.outbox[-1].body
    with pytest.raises(ValidationError, match="already been decided"):
        actions.decline_join_request(second, actor=coordinator, reason="Changed my mind")
    assert list(
        AuditEntry.objects.filter(community=community)
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["requested", "declined", "requested", "approved"]


def test_declining_needs_a_reason_and_only_moderators_decide(
    coordinator: User, staff: User
) -> None:
    community = make_community(join_policy=JoinPolicy.APPROVAL, coordinator=coordinator)
    join_request = actions.request_to_join(community, actor=staff)
    outsider = make_staff()
    before = counts()
    with pytest.raises(ValidationError, match="reason"):
        actions.decline_join_request(join_request, actor=coordinator, reason="  ")
    with pytest.raises(PermissionDenied):
        actions.approve_join_request(join_request, actor=outsider)
    assert counts() == before


def test_leaving_is_refused_to_the_last_coordinator(
    community: Community, coordinator: User, staff: User
) -> None:
    actions.join(community, actor=staff)
    with pytest.raises(ValidationError, match="last coordinator"):
        actions.leave(community, actor=coordinator)
    actions.leave(community, actor=staff)
    community.refresh_from_db()
    assert community.member_count == 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LEFT, target_user=staff).exists()


# --- Roles -------------------------------------------------------------------------------


def test_coordinators_grant_and_revoke_roles_with_an_audit_trail(
    community: Community, coordinator: User, staff: User
) -> None:
    actions.join(community, actor=staff)
    actions.grant_role(
        community,
        actor=coordinator,
        user=staff,
        role=Role.FACILITATOR,
        reason="Runs the Sahel clinic",
    )
    actions.grant_role(community, actor=coordinator, user=staff, role=Role.EXPERT)
    assert set(
        RoleAssignment.objects.filter(membership__user=staff).values_list("role", flat=True)
    ) == {
        "facilitator",
        "expert",
    }
    with pytest.raises(ValidationError, match="already"):
        actions.grant_role(community, actor=coordinator, user=staff, role=Role.EXPERT)
    actions.revoke_role(community, actor=coordinator, user=staff, role=Role.EXPERT)
    entries = AuditEntry.objects.filter(target_user=staff, action__startswith="role").order_by("pk")
    assert [(e.action, e.detail, e.reason) for e in entries] == [
        ("role_granted", "facilitator", "Runs the Sahel clinic"),
        ("role_granted", "expert", ""),
        ("role_revoked", "expert", ""),
    ]


def test_the_last_coordinator_cannot_be_demoted_or_removed(
    community: Community, coordinator: User
) -> None:
    before = counts()
    with pytest.raises(ValidationError, match="at least one coordinator"):
        actions.revoke_role(community, actor=coordinator, user=coordinator, role=Role.COORDINATOR)
    with pytest.raises(ValidationError, match="last coordinator"):
        actions.remove_member(community, actor=coordinator, user=coordinator)
    assert counts() == before
    second = make_staff()
    add_member(community, second, Role.COORDINATOR)
    actions.revoke_role(community, actor=coordinator, user=coordinator, role=Role.COORDINATOR)
    assert not RoleAssignment.objects.filter(membership__user=coordinator).exists()


def test_facilitators_cannot_manage_roles(community: Community, staff: User) -> None:
    facilitator = make_staff()
    add_member(community, facilitator, Role.FACILITATOR)
    add_member(community, staff)
    before = counts()
    with pytest.raises(PermissionDenied):
        actions.grant_role(community, actor=facilitator, user=staff, role=Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        actions.remove_member(community, actor=facilitator, user=staff)
    assert counts() == before


def test_removing_a_member_records_why(
    community: Community, coordinator: User, staff: User
) -> None:
    add_member(community, staff)
    actions.remove_member(community, actor=coordinator, user=staff, reason="Left the organisation")
    assert not Membership.objects.filter(user=staff, community=community).exists()
    assert AuditEntry.objects.get(action="removed").reason == "Left the organisation"


def test_delivery_preference(community: Community, staff: User) -> None:
    add_member(community, staff)
    actions.set_delivery_preference(community, actor=staff, delivery=DeliveryPreference.DAILY)
    assert Membership.objects.get(user=staff, community=community).delivery == "daily"
    with pytest.raises(ValidationError):
        actions.set_delivery_preference(community, actor=staff, delivery="hourly")


# --- Invitations ----------------------------------------------------------------------------


def test_an_invited_partner_without_an_account_gets_one_by_accepting(
    coordinator: User, django_capture_on_commit_callbacks: Capture
) -> None:
    community = make_community(membership_type=MembershipType.PARTNERS, coordinator=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = actions.invite_by_email(
            community,
            actor=coordinator,
            email="Ana@Gov.Example.ORG",
            role=Role.EXPERT,
            message="Join us",
        )
    assert invitation.email == "Ana@gov.example.org"
    assert mail.outbox[0].to == ["Ana@gov.example.org"]
    token = actions.invitation_token(invitation)
    assert token in mail.outbox[0].body

    with pytest.raises(ValidationError) as error:
        actions.accept_invitation(token, actor=make_staff(), name="x")
    assert error.value.code == "wrong_account"
    with pytest.raises(ValidationError, match="name"):
        actions.accept_invitation(
            token, actor=anonymous(), name="", password="a long passphrase 42"
        )

    membership = actions.accept_invitation(
        token, actor=anonymous(), name="Ana Lima", password="a long passphrase 42"
    )
    ana = membership.user
    assert (ana.name, ana.email, ana.organization, ana.is_internal) == (
        "Ana Lima",
        "Ana@gov.example.org",
        None,
        False,
    )
    assert ana.check_password("a long passphrase 42")
    assert set(membership.roles.values_list("role", flat=True)) == {"expert"}
    with pytest.raises(ValidationError, match="already been accepted"):
        actions.accept_invitation(token, actor=ana)


def anonymous() -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_invited_staff_get_their_organisation_from_their_address(coordinator: User) -> None:
    make_organization()
    community = make_community(coordinator=coordinator)
    invitation = actions.invite_by_email(community, actor=coordinator, email="new.person@undp.org")
    membership = actions.accept_invitation(
        actions.invitation_token(invitation),
        actor=anonymous(),
        name="New Person",
        password="a long passphrase 42",
    )
    assert membership.user.is_internal


def test_a_tampered_invitation_link_is_refused() -> None:
    with nothing_changes(), pytest.raises(ValidationError, match="not valid"):
        actions.accept_invitation(
            "12:forged", actor=anonymous(), name="X", password="a long passphrase 42"
        )


def test_bad_and_duplicate_addresses_are_refused(
    community: Community, coordinator: User, partner: User
) -> None:
    actions.invite_by_email(community, actor=coordinator, email="one@undp.org")
    before = counts()
    for email, message in [
        ("not-an-address", "not a valid email"),
        ("ONE@undp.org", "already been invited"),
        (coordinator.email, "already a member"),
        (partner.email, "internal staff only"),
    ]:
        with pytest.raises(ValidationError, match=message):
            actions.invite_by_email(community, actor=coordinator, email=email)
    assert counts() == before


def test_csv_import_invites_the_good_rows_and_reports_each_bad_one(
    community: Community, coordinator: User
) -> None:
    make_organization()
    csv_text = "email\nfatou@undp.org\nnot an address\nfatou@undp.org\n\nkwame@undp.org,Kwame\nout@ngo.example\n"
    report = actions.bulk_invite_from_csv(community, actor=coordinator, csv_text=csv_text)
    assert [i.email for i in report.invited] == ["fatou@undp.org", "kwame@undp.org"]
    assert [(e.line, e.value) for e in report.errors] == [
        (3, "not an address"),
        (4, "fatou@undp.org"),
        (7, "out@ngo.example"),
    ]
    assert "already been invited" in report.errors[1].message
    assert CommunityInvitation.objects.count() == 2


def test_members_who_are_not_moderators_cannot_invite(community: Community, staff: User) -> None:
    add_member(community, staff)
    with nothing_changes(), pytest.raises(PermissionDenied):
        actions.bulk_invite_from_csv(community, actor=staff, csv_text="a@undp.org\n")


# --- Creating communities ------------------------------------------------------------------


def test_a_request_waits_for_the_km_team_then_the_requester_coordinates(
    staff: User, settings: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    settings.SOLEX_COMMUNITY_APPROVAL_REQUIRED = True
    request = actions.request_community(
        actor=staff,
        fields=CommunityFields(name="Urban resilience", purpose="Cities that bounce back."),
        reason="Twelve offices asked for it",
    )
    assert request.status == CommunityRequest.Status.PENDING
    assert request.slug == "urban-resilience"
    assert not Community.objects.exists()
    km = make_staff("km", is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        community = actions.approve_community_request(request, actor=km)
    assert set(community.role_assignments.values_list("membership__user__username", "role")) == {
        ("amina", "coordinator")
    }
    assert mail.outbox[0].to == [staff.email]
    with pytest.raises(ValidationError, match="already been decided"):
        actions.decline_community_request(request, actor=km, reason="No")


def test_without_the_approval_setting_a_request_creates_the_community(
    staff: User, settings: Any
) -> None:
    settings.SOLEX_COMMUNITY_APPROVAL_REQUIRED = False
    request = actions.request_community(
        actor=staff, fields=CommunityFields(name="Youth", purpose="Youth.")
    )
    assert request.status == CommunityRequest.Status.APPROVED
    assert request.community is not None and request.community.member_count == 1


def test_partners_cannot_request_and_staff_cannot_review(partner: User, staff: User) -> None:
    before = counts()
    with pytest.raises(PermissionDenied):
        actions.request_community(actor=partner, fields=CommunityFields(name="X", purpose="Y"))
    request = CommunityRequest.objects.create(name="X", slug="x", purpose="Y", requested_by=staff)
    with pytest.raises(PermissionDenied):
        actions.approve_community_request(request, actor=staff)
    request.delete()
    assert counts() == before


def test_a_duplicate_slug_is_refused_and_changes_nothing(
    community: Community, settings: Any
) -> None:
    km = make_staff("km", is_staff=True)
    before = counts()
    with pytest.raises(ValidationError) as error:
        actions.create_community(
            actor=km, fields=CommunityFields(name="Again", slug=community.slug, purpose="p")
        )
    assert "slug" in error.value.message_dict
    with pytest.raises(ValidationError):
        actions.request_community(
            actor=km, fields=CommunityFields(name="Again", slug=community.slug, purpose="p")
        )
    assert counts() == before


def test_update_charter_records_what_changed(community: Community, coordinator: User) -> None:
    actions.update_charter(
        community, actor=coordinator, changes={"mission": "Better services", "stage": "activating"}
    )
    community.refresh_from_db()
    assert (community.mission, community.stage) == ("Better services", "activating")
    assert AuditEntry.objects.get(action="charter_updated").detail == "mission, stage"
    with pytest.raises(ValidationError):
        actions.update_charter(community, actor=coordinator, changes={"slug": "new"})


# --- Crisis and archive ------------------------------------------------------------------


def test_a_crisis_community_is_launched_in_one_step(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    km = make_staff("km", is_staff=True)
    facilitator = make_staff("fac")
    with django_capture_on_commit_callbacks(execute=True):
        community = actions.launch_crisis_community(
            CrisisTemplate(
                name="Cyclone Idai response",
                purpose="Coordinate the recovery.",
                ends_on=datetime.date.today() + datetime.timedelta(days=90),
                facilitators=[facilitator],
                expert_emails=["hydro@wmo.example", "shelter@ifrc.example"],
                languages=["en", "pt"],
                countries=["MZ", "MW", "ZW"],
            ),
            actor=km,
        )
    assert community.is_crisis and community.admits_partners and community.scope == "trans_border"
    assert community.mission and community.member_rules
    assert community.member_count == 2
    assert set(community.role_assignments.values_list("membership__user__username", "role")) == {
        ("km", "coordinator"),
        ("fac", "facilitator"),
    }
    assert sorted(community.invitations.values_list("email", "role")) == [
        ("hydro@wmo.example", "expert"),
        ("shelter@ifrc.example", "expert"),
    ]
    assert len(mail.outbox) == 2


def test_a_crisis_launch_with_a_bad_expert_address_changes_nothing() -> None:
    km = make_staff("km", is_staff=True)
    before = counts()
    with pytest.raises(ValidationError, match="not a valid email"):
        actions.launch_crisis_community(
            CrisisTemplate(
                name="Flood",
                purpose="p",
                ends_on=datetime.date.today() + datetime.timedelta(days=9),
                expert_emails=["ok@x.example", "broken"],
            ),
            actor=km,
        )
    assert counts() == before


def test_ended_communities_are_archived_once_and_coordinators_asked_for_a_review(
    coordinator: User, django_capture_on_commit_callbacks: Capture
) -> None:
    ended = make_community(
        ends_on=datetime.date.today() - datetime.timedelta(days=1), coordinator=coordinator
    )
    running = make_community(ends_on=datetime.date.today() + datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.close_expired_communities() == [ended]
    assert actions.close_expired_communities() == []
    ended.refresh_from_db()
    running.refresh_from_db()
    assert (ended.stage, running.stage) == (Stage.CLOSED, Stage.PLANNING)
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert "after-action review" in mail.outbox[0].subject
    with pytest.raises(ValidationError, match="archive"):
        actions.grant_role(ended, actor=coordinator, user=coordinator, role=Role.EXPERT)


def test_partner_fixture_is_external(partner: User) -> None:
    assert not make_partner("p2").is_internal and not partner.is_internal
