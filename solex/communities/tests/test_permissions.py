"""The access policy: the Python rule and the SQL filter must agree for every persona."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from solex.accounts.models import User
from solex.accounts.testing import make_partner, make_staff, make_user
from solex.communities import permissions as policy
from solex.communities.models import Community, JoinPolicy, MembershipType, Role, Stage, Visibility
from solex.communities.testing import add_member, make_community

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Community]:
    return {
        visibility: make_community(
            f"{visibility} community", slug=visibility, visibility=visibility
        )
        for visibility in Visibility.values
    }


def _personas(world: dict[str, Community]) -> dict[str, User | AnonymousUser]:
    member = make_staff("member")
    partner_member = make_partner("partner_member")
    for community in world.values():
        add_member(community, member)
    add_member(world[Visibility.PUBLIC], partner_member)
    admin = make_staff("admin", is_superuser=True, is_staff=True)
    return {
        "anonymous": AnonymousUser(),
        "partner": make_partner("outsider_partner"),
        "staff": make_staff("outsider_staff"),
        "member": member,
        "partner_member": partner_member,
        "no_organisation": make_user("loner"),
        "inactive_member": make_staff("gone", is_active=False),
        "admin": admin,
    }


EXPECTED_VISIBLE = {
    "anonymous": {"public"},
    "partner": {"public"},
    "staff": {"public", "organisation"},
    "member": {"public", "organisation", "members"},
    "partner_member": {"public"},
    "no_organisation": {"public"},
    "inactive_member": {"public"},
    "admin": {"public", "organisation", "members"},
}


def test_sql_filter_and_python_rule_agree_for_every_persona(world: dict[str, Community]) -> None:
    personas = _personas(world)
    add_member(world[Visibility.MEMBERS], personas["inactive_member"])  # type: ignore[arg-type]
    for name, user in personas.items():
        in_sql = set(Community.objects.visible_to(user).values_list("slug", flat=True))
        in_python = {c.slug for c in world.values() if policy.can_view_community(user, c)}
        assert in_sql == in_python == EXPECTED_VISIBLE[name], name


def test_visible_to_does_not_repeat_communities_with_many_members(
    world: dict[str, Community],
) -> None:
    staff = make_staff("viewer")
    for number in range(3):
        add_member(world[Visibility.PUBLIC], make_staff(f"crowd{number}"))
    add_member(world[Visibility.PUBLIC], staff)
    assert Community.objects.visible_to(staff).filter(slug="public").count() == 1


def test_a_safe_space_answers_not_found_to_outsiders(
    world: dict[str, Community], staff: User
) -> None:
    with pytest.raises(Http404):
        policy.check_view_community(staff, world[Visibility.MEMBERS])
    with pytest.raises(Http404):
        policy.check_join(staff, world[Visibility.MEMBERS])


def test_partners_can_never_join_an_internal_only_community(partner: User) -> None:
    community = make_community(
        visibility=Visibility.PUBLIC, membership_type=MembershipType.INTERNAL
    )
    assert policy.can_view_community(partner, community)
    assert not policy.can_join(partner, community)
    with pytest.raises(PermissionDenied):
        policy.check_join(partner, community)


def test_partners_may_join_a_public_community_open_to_partners(partner: User) -> None:
    community = make_community(
        visibility=Visibility.PUBLIC, membership_type=MembershipType.PARTNERS
    )
    assert policy.can_join(partner, community)


def test_invitation_only_and_approval_communities_cannot_be_joined_directly(staff: User) -> None:
    by_invitation = make_community(join_policy=JoinPolicy.INVITATION)
    by_approval = make_community(join_policy=JoinPolicy.APPROVAL)
    with pytest.raises(ValidationError, match="invitation only"):
        policy.check_join(staff, by_invitation)
    with pytest.raises(ValidationError, match="request"):
        policy.check_join(staff, by_approval)
    assert policy.can_request_to_join(staff, by_approval)
    assert not policy.can_request_to_join(staff, by_invitation)


def test_archived_communities_are_read_only(staff: User) -> None:
    ended = make_community(ends_on=datetime.date(2020, 1, 1))
    closed = make_community(stage=Stage.CLOSED)
    for community in (ended, closed):
        add_member(community, staff, Role.COORDINATOR)
        assert community.is_archived
        assert not policy.can_post_in(staff, community)
        assert not policy.can_join(make_staff(), community)
        with pytest.raises(ValidationError, match="archive"):
            policy.check_post_in(staff, community)
    assert set(Community.objects.archived()) == {ended, closed}
    assert not Community.objects.active().filter(pk__in=[ended.pk, closed.pk]).exists()


def test_roles_decide_moderation_and_management(staff: User) -> None:
    community = make_community()
    facilitator, coordinator, expert = make_staff(), make_staff(), make_staff()
    add_member(community, facilitator, Role.FACILITATOR)
    add_member(community, coordinator, Role.COORDINATOR)
    add_member(community, expert, Role.EXPERT)
    assert policy.can_moderate(facilitator, community) and not policy.can_manage(
        facilitator, community
    )
    assert policy.can_moderate(coordinator, community) and policy.can_manage(coordinator, community)
    assert not policy.can_moderate(expert, community)
    assert policy.can_post_in(expert, community) and not policy.can_post_in(staff, community)
    with pytest.raises(PermissionDenied):
        policy.check_manage(facilitator, community)
    assert policy.roles_of(expert, community) == {Role.EXPERT, Role.MEMBER}


def test_only_internal_people_may_request_a_community(staff: User, partner: User) -> None:
    assert policy.can_request_community(staff)
    assert not policy.can_request_community(partner)
    assert not policy.can_request_community(AnonymousUser())


def test_creating_without_approval_follows_the_setting(staff: User, settings: object) -> None:
    setattr(settings, "SOLEX_COMMUNITY_APPROVAL_REQUIRED", True)  # noqa: B010
    assert not policy.can_create_community(staff)
    setattr(settings, "SOLEX_COMMUNITY_APPROVAL_REQUIRED", False)  # noqa: B010
    assert policy.can_create_community(staff)
    km = make_staff(is_staff=True)
    setattr(settings, "SOLEX_COMMUNITY_APPROVAL_REQUIRED", True)  # noqa: B010
    assert policy.can_create_community(km)
