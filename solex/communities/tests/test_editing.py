"""Editing a community after creation, withdrawing invitations, and the after-action prompt."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from solex.accounts.models import User
from solex.accounts.testing import TEST_PASSWORD, make_staff
from solex.communities import actions, tasks
from solex.communities.models import (
    AuditEntry,
    Community,
    JoinPolicy,
    Membership,
    Role,
    Stage,
    Visibility,
)
from solex.communities.testing import add_member, make_community
from solex.taxonomy.models import Topic

pytestmark = pytest.mark.django_db

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def logged_in(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=TEST_PASSWORD)
    return client


def snapshot(community: Community) -> dict[str, Any]:
    community.refresh_from_db()
    return {
        "row": {
            name: getattr(community, name)
            for name in (*actions.DESCRIPTION_FIELDS, *actions.ACCESS_FIELDS)
        },
        "topics": set(community.topics.all()),
        "audit": AuditEntry.objects.filter(community=community).count(),
    }


@pytest.fixture
def coordinator() -> User:
    return make_staff("coco", name="Coco Coordinator")


@pytest.fixture
def facilitator() -> User:
    return make_staff("fatou", name="Fatou Facilitator")


@pytest.fixture
def community(coordinator: User, facilitator: User) -> Community:
    community = make_community(
        "Local governance",
        slug="local-governance",
        coordinator=coordinator,
        visibility=Visibility.ORGANISATION,
    )
    add_member(community, facilitator, Role.FACILITATOR)
    return community


# --- Editing ------------------------------------------------------------------------------


def test_a_facilitator_edits_what_the_community_is_about(
    community: Community, facilitator: User
) -> None:
    health = Topic.objects.create(name="Health", slug="health")
    network = make_community("Governance network", structure="meta_network")
    ends = timezone.localdate() + datetime.timedelta(days=90)
    actions.update_community(
        community,
        actor=facilitator,
        changes={
            "scope": "regional",
            "regions": ["africa"],
            "countries": ["SN", "ML"],
            "kind": "delivery",
            "stage": Stage.ACTIVATING,
            "languages": ["fr", "en"],
            "ends_on": ends,
            "parent": network,
            "visibility": Visibility.ORGANISATION,  # unchanged: a facilitator may send it back
        },
        topics=[health],
    )
    community.refresh_from_db()
    assert (community.scope, community.regions, community.countries) == (
        "regional",
        ["africa"],
        ["SN", "ML"],
    )
    assert (community.kind, community.stage, community.ends_on) == ("delivery", "activating", ends)
    assert community.parent == network and list(community.topics.all()) == [health]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SETTINGS_UPDATED)
    assert entry.actor == facilitator
    assert "topics" in entry.detail and "parent" in entry.detail


def test_only_coordinators_change_who_can_see_and_join(
    community: Community, facilitator: User, coordinator: User
) -> None:
    before = snapshot(community)
    with pytest.raises(PermissionDenied, match="coordinators"):
        actions.update_community(
            community, actor=facilitator, changes={"visibility": Visibility.PUBLIC}
        )
    assert snapshot(community) == before
    actions.update_community(
        community,
        actor=coordinator,
        changes={"visibility": Visibility.PUBLIC, "join_policy": JoinPolicy.APPROVAL},
    )
    details = sorted(
        AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS_CHANGED).values_list(
            "detail", flat=True
        )
    )
    assert details == ["join_policy: open → approval", "visibility: organisation → public"]


def test_members_cannot_edit_a_community(community: Community, staff: User) -> None:
    add_member(community, staff)
    before = snapshot(community)
    with pytest.raises(PermissionDenied):
        actions.update_community(community, actor=staff, changes={"kind": "delivery"})
    assert snapshot(community) == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"regions": ["atlantis"]}, "regions"),
        ({"countries": ["SEN"]}, "countries"),
        ({"languages": ["xx"]}, "languages"),
        ({"ends_on": datetime.date(2001, 1, 1)}, "ends_on"),
        ({"kind": "sideways"}, "kind"),
    ],
)
def test_bad_values_are_refused_and_change_nothing(
    community: Community, coordinator: User, changes: dict[str, Any], field: str
) -> None:
    before = snapshot(community)
    with pytest.raises(ValidationError) as raised:
        actions.update_community(
            community, actor=coordinator, changes={"stage": Stage.SUSTAINING, **changes}
        )
    assert field in raised.value.message_dict
    assert snapshot(community) == before


def test_a_community_cannot_sit_inside_its_own_sub_network(
    community: Community, coordinator: User
) -> None:
    child = make_community("Sahel chapter", parent=community, coordinator=coordinator)
    grandchild = make_community("Dakar circle", parent=child)
    for parent in (community, grandchild):
        before = snapshot(community)
        with pytest.raises(ValidationError, match="inside itself"):
            actions.update_community(community, actor=coordinator, changes={"parent": parent})
        assert snapshot(community) == before


def test_the_parent_must_be_a_network_the_editor_can_see(
    community: Community, coordinator: User
) -> None:
    hidden = make_community("Hidden circle", visibility=Visibility.MEMBERS)
    before = snapshot(community)
    with pytest.raises(ValidationError, match="network you can see"):
        actions.update_community(community, actor=coordinator, changes={"parent": hidden})
    assert snapshot(community) == before


def test_the_edit_page_keeps_what_was_typed_when_it_refuses(
    community: Community, coordinator: User
) -> None:
    url = reverse("communities:community-edit", args=[community.slug])
    before = snapshot(community)
    response = logged_in(coordinator).post(
        url,
        {
            "scope": "national",
            "countries": "SN, Senegal",
            "kind": "delivery",
            "stage": "activating",
            "visibility": "public",
            "membership_type": "internal",
            "join_policy": "open",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Use two-letter country codes: SENEGAL" in html
    assert 'value="SN, Senegal"' in html
    assert snapshot(community) == before


def test_the_edit_page_saves_and_a_facilitator_sees_no_access_fields(
    community: Community, coordinator: User, facilitator: User
) -> None:
    url = reverse("communities:community-edit", args=[community.slug])
    page = logged_in(facilitator).get(url).content.decode()
    assert 'name="kind"' in page and 'name="visibility"' not in page
    response = logged_in(facilitator).post(
        url,
        {"scope": "national", "countries": "sn", "kind": "delivery", "stage": "activating"},
    )
    assert response.status_code == 302
    community.refresh_from_db()
    assert (community.scope, community.countries, community.visibility) == (
        "national",
        ["SN"],
        Visibility.ORGANISATION,
    )
    detail = logged_in(coordinator).get(community.get_absolute_url()).content.decode()
    assert "Edit topics, scope and settings" in detail


# --- Withdrawing invitations ---------------------------------------------------------------------


def test_a_withdrawn_invitation_link_says_so_and_cannot_be_accepted(
    community: Community, facilitator: User, client: Client
) -> None:
    invitation = actions.invite_by_email(community, actor=facilitator, email="ana@undp.org")
    token = actions.invitation_token(invitation)
    actions.withdraw_invitation(invitation, actor=facilitator, reason="Sent to the wrong Ana")
    page = client.get(reverse("communities:invitation-accept", args=[token]))
    assert page.status_code == 400
    assert "This invitation was withdrawn" in page.content.decode()
    members = Membership.objects.count()
    with pytest.raises(ValidationError, match="withdrawn"):
        actions.accept_invitation(
            token, actor=AnonymousUser(), name="Ana", password="a-long-enough-passphrase"
        )
    assert Membership.objects.count() == members
    entry = AuditEntry.objects.get(action=AuditEntry.Action.INVITATION_WITHDRAWN)
    assert (entry.actor, entry.reason) == (facilitator, "Sent to the wrong Ana")
    # The address can be invited again.
    again = actions.invite_by_email(community, actor=facilitator, email="ana@undp.org")
    assert again.is_open


def test_withdrawing_is_for_facilitators_and_only_for_open_invitations(
    community: Community, facilitator: User, staff: User
) -> None:
    add_member(community, staff, Role.EXPERT)
    invitation = actions.invite_by_email(community, actor=facilitator, email="ana@undp.org")
    with pytest.raises(PermissionDenied):
        actions.withdraw_invitation(invitation, actor=staff)
    invitation.refresh_from_db()
    assert invitation.is_open
    actions.withdraw_invitation(invitation, actor=facilitator)
    with pytest.raises(ValidationError, match="already withdrawn"):
        actions.withdraw_invitation(invitation, actor=facilitator)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.INVITATION_WITHDRAWN).count() == 1


def test_the_invite_page_lists_open_invitations_with_a_withdraw_button(
    community: Community, facilitator: User
) -> None:
    waiting = actions.invite_by_email(community, actor=facilitator, email="waiting@undp.org")
    gone = actions.invite_by_email(community, actor=facilitator, email="gone@undp.org")
    actions.withdraw_invitation(gone, actor=facilitator)
    client = logged_in(facilitator)
    page = client.get(reverse("communities:community-invite", args=[community.slug]))
    html = page.content.decode()
    assert "waiting@undp.org" in html and "gone@undp.org" not in html
    withdraw = reverse("communities:invitation-withdraw", args=[community.slug, waiting.pk])
    assert withdraw in html
    response = client.post(withdraw, follow=True)
    assert "The invitation to waiting@undp.org is withdrawn." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.withdrawn_by == facilitator


def test_an_invitation_of_another_community_cannot_be_withdrawn_from_this_one(
    community: Community, facilitator: User, coordinator: User
) -> None:
    other = make_community("Other", coordinator=coordinator)
    invitation = actions.invite_by_email(other, actor=coordinator, email="x@undp.org")
    url = reverse("communities:invitation-withdraw", args=[community.slug, invitation.pk])
    assert logged_in(facilitator).post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.is_open


# --- Ending a community: the after-action prompt -------------------------------------------------


def test_closing_an_ended_community_prompts_its_leads_once(
    community: Community,
    coordinator: User,
    facilitator: User,
    staff: User,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    add_member(community, staff)
    Community.objects.filter(pk=community.pk).update(
        ends_on=timezone.localdate() - datetime.timedelta(days=1), is_crisis=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.close_expired_communities.enqueue()
    assert result.return_value == 1
    assert tasks.close_expired_communities.enqueue().return_value == 0  # idempotent
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    prompt = "Record the after-action review"
    url = community.get_absolute_url()
    assert prompt in logged_in(coordinator).get(url).content.decode()
    assert prompt in logged_in(facilitator).get(url).content.decode()
    assert prompt not in logged_in(staff).get(url).content.decode()
    community.refresh_from_db()
    assert community.stage == Stage.CLOSED and community.is_review_due
