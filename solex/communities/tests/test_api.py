"""The communities API: visibility applied, actions reached, JSON errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from solex.accounts.models import User
from solex.accounts.testing import TEST_PASSWORD, make_staff
from solex.communities.models import (
    CommunityInvitation,
    JoinPolicy,
    JoinRequest,
    Membership,
    Role,
    RoleAssignment,
    Visibility,
)
from solex.communities.testing import add_member, make_community

pytestmark = pytest.mark.django_db
BASE = "/api/v1/communities"


def client_for(user: User | None) -> Client:
    client = Client(enforce_csrf_checks=False)
    if user is not None:
        assert client.login(username=user.username, password=TEST_PASSWORD)
    return client


def post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_the_list_applies_visibility(partner: User, staff: User) -> None:
    for visibility in Visibility.values:
        make_community(f"{visibility} one", slug=visibility, visibility=visibility)

    def slugs(user: User | None) -> list[str]:
        return [item["slug"] for item in client_for(user).get(BASE + "/").json()["items"]]

    assert slugs(None) == ["public"]
    assert slugs(partner) == ["public"]
    assert slugs(staff) == ["organisation", "public"]
    assert client_for(staff).get(BASE + "/members").status_code == 404


def test_detail_tells_the_caller_what_they_may_do(staff: User) -> None:
    community = make_community(visibility=Visibility.PUBLIC, mission="Serve")
    add_member(community, make_staff(name="Awa"), Role.FACILITATOR)
    body = client_for(staff).get(f"{BASE}/{community.slug}").json()
    assert body["mission"] == "Serve" and body["can_join"] is True and body["your_roles"] == []
    assert body["team"] == [
        {
            "role": "facilitator",
            "people": [{"username": body["team"][0]["people"][0]["username"], "name": "Awa"}],
        }
    ]


def test_join_leave_and_delivery(staff: User) -> None:
    community = make_community(visibility=Visibility.PUBLIC, coordinator=make_staff())
    client = client_for(staff)
    response = post(client, f"{BASE}/{community.slug}/members")
    assert response.status_code == 201 and response.json()["roles"] == ["member"]
    again = post(client, f"{BASE}/{community.slug}/members")
    assert again.status_code == 409 and "already a member" in again.json()["detail"]
    delivery = client.put(
        f"{BASE}/{community.slug}/members/me/delivery",
        json.dumps({"delivery": "daily"}),
        content_type="application/json",
    )
    assert delivery.json()["delivery"] == "daily"
    assert client.delete(f"{BASE}/{community.slug}/members/me").status_code == 204
    assert not Membership.objects.filter(user=staff, community=community).exists()


def test_anonymous_callers_must_sign_in_to_join() -> None:
    community = make_community(visibility=Visibility.PUBLIC)
    assert post(client_for(None), f"{BASE}/{community.slug}/members").status_code == 401


def test_roles_requests_invitations_and_audit_through_the_api(staff: User) -> None:
    coordinator = make_staff()
    community = make_community(join_policy=JoinPolicy.APPROVAL, coordinator=coordinator)
    asked = post(client_for(staff), f"{BASE}/{community.slug}/join-requests", {"note": "Hello"})
    assert asked.status_code == 201
    manager = client_for(coordinator)
    listing = manager.get(f"{BASE}/{community.slug}/join-requests").json()
    assert listing["count"] == 1 and listing["items"][0]["note"] == "Hello"
    no_reason = post(
        manager, f"{BASE}/{community.slug}/join-requests/{asked.json()['id']}/decline", {}
    )
    assert no_reason.status_code == 409
    approved = post(
        manager, f"{BASE}/{community.slug}/join-requests/{asked.json()['id']}/approve", {}
    )
    assert approved.json()["status"] == "approved"
    assert JoinRequest.objects.get().status == "approved"

    granted = post(
        manager, f"{BASE}/{community.slug}/members/{staff.username}/roles", {"role": "expert"}
    )
    assert granted.status_code == 201 and granted.json()["roles"] == ["member", "expert"]
    last = post(
        manager,
        f"{BASE}/{community.slug}/members/{coordinator.username}/roles/revoke",
        {"role": "coordinator"},
    )
    assert last.status_code == 409 and "coordinator" in last.json()["detail"]
    assert (
        post(
            client_for(staff),
            f"{BASE}/{community.slug}/members/{staff.username}/roles",
            {"role": "coordinator"},
        ).status_code
        == 403
    )
    assert RoleAssignment.objects.filter(membership__user=staff).count() == 1

    invited = post(manager, f"{BASE}/{community.slug}/invitations", {"email": "new@undp.org"})
    assert invited.status_code == 201
    bulk = post(manager, f"{BASE}/{community.slug}/invitations/bulk", {"csv": "a@undp.org\nbad\n"})
    assert [row["line"] for row in bulk.json()["errors"]] == [2]
    assert CommunityInvitation.objects.count() == 2
    actions = [
        entry["action"] for entry in manager.get(f"{BASE}/{community.slug}/audit").json()["items"]
    ]
    assert "role_granted" in actions and "approved" in actions
    assert client_for(staff).get(f"{BASE}/{community.slug}/audit").status_code == 403


def test_requesting_a_community_and_the_km_queue(staff: User, settings: Any) -> None:
    settings.SOLEX_COMMUNITY_APPROVAL_REQUIRED = True
    created = post(client_for(staff), BASE + "/", {"name": "Youth", "purpose": "Youth voices"})
    assert created.status_code == 201 and created.json()["status"] == "pending"
    km = client_for(make_staff(is_staff=True))
    queue = km.get("/api/v1/community-requests/").json()
    assert queue["count"] == 1
    approved = post(km, f"/api/v1/community-requests/{created.json()['id']}/approve")
    assert approved.json()["community"] == "youth"
    assert client_for(staff).get("/api/v1/community-requests/").status_code == 403
    duplicate = post(client_for(staff), BASE + "/", {"name": "Youth", "purpose": "Again"})
    assert duplicate.status_code == 409 and duplicate.json()["errors"][0]["loc"] == ["body", "slug"]


def test_a_facilitator_withdraws_an_invitation_through_the_api() -> None:
    facilitator = make_staff("withdrawing-facilitator")
    community = make_community("Water CoP", slug="water-cop")
    add_member(community, facilitator, Role.FACILITATOR)
    invitation = CommunityInvitation.objects.create(
        community=community, email="guest@undp.org", invited_by=facilitator
    )
    client = Client()
    client.force_login(facilitator)
    url = f"/api/v1/communities/water-cop/invitations/{invitation.pk}/withdraw"

    first = client.post(
        url, {"reason": "Sent to the wrong person"}, content_type="application/json"
    )
    again = client.post(url, {}, content_type="application/json")

    assert first.status_code == 200 and first.json()["withdrawn"] is True
    assert again.status_code == 409
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is not None


def test_a_facilitator_changes_settings_and_only_a_coordinator_changes_access() -> None:
    facilitator, coordinator = make_staff("settings-facil"), make_staff("settings-coord")
    community = make_community("Climate CoP", slug="climate-cop", visibility=Visibility.PUBLIC)
    add_member(community, facilitator, Role.FACILITATOR)
    add_member(community, coordinator, Role.COORDINATOR)
    url = "/api/v1/communities/climate-cop/settings"

    def patch(user: User, body: dict[str, Any]) -> Any:
        client = Client()
        client.force_login(user)
        return client.patch(url, json.dumps(body), content_type="application/json")

    described = patch(facilitator, {"kind": "delivery", "countries": ["KE", "UG"]})
    refused = patch(facilitator, {"visibility": "members"})
    access = patch(coordinator, {"visibility": "members"})
    unknown_parent = patch(coordinator, {"parent": "nowhere"})

    assert described.status_code == 200
    assert refused.status_code == 403
    assert access.status_code == 200
    assert unknown_parent.status_code == 409
    assert unknown_parent.json()["errors"][0]["loc"][-1] == "parent"
    community.refresh_from_db()
    assert (community.kind, community.countries, community.visibility) == (
        "delivery",
        ["KE", "UG"],
        Visibility.MEMBERS,
    )
