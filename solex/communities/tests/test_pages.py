"""The community pages, through the browser's eyes: forms, redirects, partials, query counts."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from solex.accounts.models import User
from solex.accounts.testing import TEST_PASSWORD, make_organization, make_partner, make_staff
from solex.communities import actions
from solex.communities.models import (
    AuditEntry,
    Community,
    CommunityInvitation,
    CommunityRequest,
    JoinPolicy,
    JoinRequest,
    Membership,
    MembershipType,
    Role,
    RoleAssignment,
    Visibility,
)
from solex.communities.testing import add_member, make_community
from solex.taxonomy.models import Topic

pytestmark = pytest.mark.django_db

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
MaxQueries = Callable[..., AbstractContextManager[Any]]


def logged_in(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=TEST_PASSWORD)
    return client


def test_the_directory_shows_the_tree_of_networks(client: Client) -> None:
    meta = make_community(
        "Governance network", structure="meta_network", visibility=Visibility.PUBLIC
    )
    cop = make_community("Local governance", parent=meta, visibility=Visibility.PUBLIC)
    make_community(
        "Decentralisation in the Sahel",
        parent=cop,
        visibility=Visibility.PUBLIC,
        structure="regional",
    )
    make_community("Staff safe space", parent=cop, visibility=Visibility.MEMBERS)
    html = client.get(reverse("communities:community-list")).content.decode()
    assert (
        html.index("Governance network")
        < html.index("Local governance")
        < html.index("Decentralisation in the Sahel")
    )
    assert "Staff safe space" not in html


def test_directory_filters_by_topic_scope_region_and_kind(client: Client) -> None:
    health = Topic.objects.create(name="Health", slug="health")
    sahel = make_community(
        "Sahel health",
        visibility=Visibility.PUBLIC,
        scope="regional",
        regions=["africa"],
        kind="delivery",
    )
    sahel.topics.add(health)
    make_community(
        "Global governance", visibility=Visibility.PUBLIC, scope="global", regions=["global"]
    )
    for query in ["topic=health", "scope=regional", "region=africa", "kind=delivery", "q=sahel"]:
        html = client.get(reverse("communities:community-list") + "?" + query).content.decode()
        assert "Sahel health" in html and "Global governance" not in html, query


def test_directory_answers_htmx_with_the_results_partial(client: Client) -> None:
    make_community("Open data", visibility=Visibility.PUBLIC)
    response = client.get(
        reverse("communities:community-list") + "?q=open", headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"') and "Open data" in html
    assert "<html" not in html


def test_directory_query_count_does_not_grow_with_communities(
    client: Client, django_assert_max_num_queries: MaxQueries
) -> None:
    topic = Topic.objects.create(name="Water", slug="water")
    staff = make_staff()
    client = logged_in(staff)

    def build(count: int) -> None:
        for _ in range(count):
            parent = make_community(visibility=Visibility.PUBLIC)
            parent.topics.add(topic)
            child = make_community(parent=parent, visibility=Visibility.ORGANISATION)
            make_community(parent=child, visibility=Visibility.PUBLIC).topics.add(topic)

    build(2)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("communities:community-list")).status_code == 200
    build(10)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("communities:community-list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("communities:community-list") + "?topic=water").status_code == 200


def test_member_list_query_count_does_not_grow_with_members(
    django_assert_max_num_queries: MaxQueries,
) -> None:
    coordinator = make_staff()
    community = make_community(coordinator=coordinator)
    client = logged_in(coordinator)
    for _ in range(3):
        add_member(community, make_staff(), Role.EXPERT)
    with django_assert_max_num_queries(14):
        client.get(reverse("communities:member-list", args=[community.slug]))
    for _ in range(20):
        add_member(community, make_staff(), Role.EXPERT, Role.CHAMPION)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("communities:member-list", args=[community.slug]))
    assert response.content.decode().count("Champion</span>") == 20


def test_look_in_then_join_in_one_click(staff: User) -> None:
    community = make_community("Open data", visibility=Visibility.PUBLIC, mission="Publish more")
    client = logged_in(staff)
    page = client.get(community.get_absolute_url()).content.decode()
    assert "Publish more" in page and "You are looking in" in page
    response = client.post(reverse("communities:community-join", args=[community.slug]))
    assert response.status_code == 302
    assert Membership.objects.filter(user=staff, community=community).exists()
    assert "You are a member" in client.get(community.get_absolute_url()).content.decode()


def test_joining_with_htmx_swaps_the_membership_panel(staff: User) -> None:
    community = make_community(visibility=Visibility.PUBLIC)
    response = logged_in(staff).post(
        reverse("communities:community-join", args=[community.slug]), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="membership"') and "You are a member" in html


def test_anonymous_visitors_read_public_communities_and_are_sent_to_log_in_to_join(
    client: Client,
) -> None:
    community = make_community(visibility=Visibility.PUBLIC)
    assert "Log in to join" in client.get(community.get_absolute_url()).content.decode()
    response = client.post(reverse("communities:community-join", args=[community.slug]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert not Membership.objects.exists()


def test_the_team_is_shown_by_role(staff: User) -> None:
    community = make_community(visibility=Visibility.PUBLIC)
    add_member(community, make_staff(name="Awa Facilitator"), Role.FACILITATOR)
    add_member(community, make_staff(name="Bo Expert"), Role.EXPERT, Role.CHAMPION)
    html = logged_in(staff).get(community.get_absolute_url()).content.decode()
    assert html.index("Facilitator") < html.index("Awa Facilitator")
    assert html.index("Expert</h3>") < html.index("Bo Expert")


def test_request_to_join_and_decline_with_a_reason(
    staff: User, django_capture_on_commit_callbacks: Capture
) -> None:
    coordinator = make_staff()
    community = make_community(join_policy=JoinPolicy.APPROVAL, coordinator=coordinator)
    client = logged_in(staff)
    response = client.post(
        reverse("communities:join-request-create", args=[community.slug]), {"note": "Hi"}
    )
    assert response.status_code == 302
    join_request = JoinRequest.objects.get()
    moderator = logged_in(coordinator)
    listing = moderator.get(
        reverse("communities:join-request-list", args=[community.slug])
    ).content.decode()
    assert staff.name in listing
    url = reverse("communities:join-request-decline", args=[community.slug, join_request.pk])
    empty = moderator.post(url, {"reason": ""})
    assert empty.status_code == 200 and "There is a problem" in empty.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        moderator.post(url, {"reason": "Country office staff only"})
    join_request.refresh_from_db()
    assert join_request.status == "declined"
    assert "Country office staff only" in mail.outbox[-1].body


def test_approve_from_the_queue(staff: User) -> None:
    coordinator = make_staff()
    community = make_community(join_policy=JoinPolicy.APPROVAL, coordinator=coordinator)
    join_request = actions.request_to_join(community, actor=staff)
    logged_in(coordinator).post(
        reverse("communities:join-request-approve", args=[community.slug, join_request.pk])
    )
    assert Membership.objects.filter(user=staff, community=community).exists()


def test_invite_form_reports_bad_rows_and_keeps_the_good_ones() -> None:
    make_organization()
    coordinator = make_staff()
    community = make_community(coordinator=coordinator)
    upload = SimpleUploadedFile(
        "people.csv", b"email\nkofi@undp.org\nbroken\n", content_type="text/csv"
    )
    response = logged_in(coordinator).post(
        reverse("communities:community-invite", args=[community.slug]),
        {"emails": "ines@undp.org", "role": "member", "csv_file": upload},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "broken" in html and "not a valid email" in html
    assert set(CommunityInvitation.objects.values_list("email", flat=True)) == {
        "ines@undp.org",
        "kofi@undp.org",
    }
    assert "ines@undp.org" in html  # what was typed is kept


def test_accepting_an_invitation_creates_the_account_and_signs_in(client: Client) -> None:
    coordinator = make_staff()
    community = make_community(membership_type=MembershipType.PARTNERS, coordinator=coordinator)
    invitation = actions.invite_by_email(community, actor=coordinator, email="lena@uni.example")
    url = reverse("communities:invitation-accept", args=[actions.invitation_token(invitation)])
    assert "Create your account" in client.get(url).content.decode()
    weak = client.post(url, {"name": "Lena", "password": "123"})
    assert weak.status_code == 200 and "Lena" in weak.content.decode()
    response = client.post(url, {"name": "Lena Berg", "password": "a long passphrase 42"})
    assert response.status_code == 302
    assert "You are a member" in client.get(community.get_absolute_url()).content.decode()


def test_a_forged_invitation_link_is_refused(client: Client) -> None:
    response = client.get(reverse("communities:invitation-accept", args=["1:forged"]))
    assert response.status_code == 400


def test_roles_and_removal_from_the_member_list(staff: User) -> None:
    coordinator = make_staff()
    community = make_community(coordinator=coordinator)
    add_member(community, staff)
    client = logged_in(coordinator)
    roles_url = reverse("communities:member-roles", args=[community.slug, staff.pk])
    client.post(
        roles_url, {"role": "facilitator", "operation": "grant", "reason": "Runs the clinic"}
    )
    assert RoleAssignment.objects.filter(membership__user=staff, role="facilitator").exists()
    response = client.post(
        reverse("communities:member-roles", args=[community.slug, coordinator.pk]),
        {"role": "coordinator", "operation": "revoke"},
        follow=True,
    )
    assert "at least one coordinator" in response.content.decode()
    client.post(
        reverse("communities:member-remove", args=[community.slug, staff.pk]), {"reason": "Left"}
    )
    assert not Membership.objects.filter(user=staff, community=community).exists()
    audit = client.get(
        reverse("communities:community-audit", args=[community.slug])
    ).content.decode()
    assert "Runs the clinic" in audit and "removed a member" in audit


def test_charter_edit_keeps_input_and_records_it(staff: User) -> None:
    community = make_community(coordinator=staff)
    client = logged_in(staff)
    url = reverse("communities:community-charter", args=[community.slug])
    bad = client.post(url, {"purpose": "", "mission": "Kept text", "stage": "sustaining"})
    assert "Kept text" in bad.content.decode()
    client.post(url, {"purpose": "Better", "mission": "Kept text", "stage": "sustaining"})
    community.refresh_from_db()
    assert community.mission == "Kept text"
    assert AuditEntry.objects.filter(action="charter_updated").exists()


def test_requesting_a_community_and_the_km_queue(staff: User, settings: Any) -> None:
    settings.SOLEX_COMMUNITY_APPROVAL_REQUIRED = True
    client = logged_in(staff)
    form = {
        "name": "Urban resilience",
        "slug": "",
        "purpose": "Cities",
        "reason": "Asked by many",
        "visibility": "organisation",
        "membership_type": "internal",
        "join_policy": "open",
        "kind": "enabling",
        "scope": "global",
    }
    assert client.post(reverse("communities:community-request"), form).status_code == 302
    request = CommunityRequest.objects.get()
    km = logged_in(make_staff(is_staff=True))
    queue = km.get(reverse("communities:community-request-list")).content.decode()
    assert "Urban resilience" in queue and "Asked by many" in queue
    response = km.post(reverse("communities:community-request-approve", args=[request.pk]))
    community = Community.objects.get(slug="urban-resilience")
    assert response["Location"] == community.get_absolute_url()
    duplicate = client.post(
        reverse("communities:community-request"), {**form, "slug": "urban-resilience"}
    )
    assert "already taken" in duplicate.content.decode()


def test_launching_a_crisis_community_from_the_form() -> None:
    km = make_staff(is_staff=True)
    facilitator = make_staff(email="fac@undp.org")
    ends_on = datetime.date.today() + datetime.timedelta(days=60)
    response = logged_in(km).post(
        reverse("communities:crisis-launch"),
        {
            "name": "Flood response",
            "purpose": "Coordinate",
            "ends_on": ends_on.isoformat(),
            "visibility": "public",
            "admits_partners": "on",
            "languages": ["en", "fr"],
            "countries": "mz, mw",
            "facilitators": "FAC@undp.org",
            "expert_emails": "hydro@wmo.example",
        },
    )
    community = Community.objects.get(is_crisis=True)
    assert response["Location"] == community.get_absolute_url()
    assert community.countries == ["MZ", "MW"] and community.languages == ["en", "fr"]
    assert RoleAssignment.objects.filter(membership__user=facilitator, role="facilitator").exists()


def test_partners_cannot_open_the_request_or_crisis_forms(partner: User) -> None:
    client = logged_in(partner)
    assert client.get(reverse("communities:community-request")).status_code == 403
    assert client.get(reverse("communities:crisis-launch")).status_code == 403
    assert make_partner("other").is_internal is False
