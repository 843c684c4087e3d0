"""The home page's communities section: what is mine, what waits for me, what is open."""

from __future__ import annotations

import pytest
from django.test import Client

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.communities.models import JoinRequest, Role, Visibility
from solex.communities.testing import add_member, make_community

pytestmark = pytest.mark.django_db


def test_visitors_see_open_communities_but_never_internal_or_safe_space_ones(
    client: Client,
) -> None:
    make_community("Local Governance CoP", visibility=Visibility.PUBLIC)
    make_community("Staff Wellbeing", visibility=Visibility.ORGANISATION)
    make_community("Crisis Staff Safe Space", visibility=Visibility.MEMBERS)

    page = client.get("/").content.decode()

    assert "Open communities" in page
    assert "Local Governance CoP" in page
    assert "Staff Wellbeing" not in page
    assert "Crisis Staff Safe Space" not in page


def test_a_member_sees_their_communities_with_their_roles(client: Client, staff: User) -> None:
    mine = make_community("Water and Sanitation CoP", visibility=Visibility.MEMBERS)
    add_member(mine, staff, Role.EXPERT)
    make_community("Education CoP", visibility=Visibility.PUBLIC)
    client.force_login(staff)

    page = client.get("/").content.decode()

    assert "Your communities" in page
    assert "Water and Sanitation CoP</a> · Expert" in page
    assert "Education CoP" not in page  # the open list is for people with no community yet


def test_a_facilitator_sees_join_requests_waiting_in_the_communities_they_moderate(
    client: Client, staff: User
) -> None:
    moderated = make_community("Gender Equality CoP", join_policy="approval")
    add_member(moderated, staff, Role.FACILITATOR)
    elsewhere = make_community("Health CoP", join_policy="approval")
    for number in range(2):
        JoinRequest.objects.create(community=moderated, user=make_staff(f"asker{number}"))
    JoinRequest.objects.create(community=elsewhere, user=make_staff("other-asker"))
    client.force_login(staff)

    page = client.get("/").content.decode()

    assert "Waiting for you" in page
    assert "2 requests to join Gender Equality CoP" in page
    assert f'href="/communities/{moderated.slug}/join-requests/"' in page
    assert "Health CoP" not in page


def test_the_home_page_query_count_does_not_grow_with_memberships(
    client: Client, staff: User, django_assert_max_num_queries: object
) -> None:
    for number in range(15):
        add_member(make_community(f"Community {number}"), staff, Role.FACILITATOR)
    client.force_login(staff)

    with django_assert_max_num_queries(8):  # type: ignore[operator]
        response = client.get("/")
    assert response.status_code == 200
