"""Who sees whose profile: one table for every viewer and every kind of person."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.communities.testing import add_member, make_community
from solex.people.models import Profile
from solex.people.permissions import can_view_profile, people_visible_to


@pytest.fixture
def people(
    staff: User,
    colleague: User,
    partner: User,
    partner_colleague: User,
    other_partner: User,
    site_admin: User,
) -> dict[str, User]:
    hidden = make_staff("hidden", name="Hana Hidden")
    Profile.objects.create(user=hidden, visible_to_partners=False)
    co_member = make_staff("comember", name="Cora Member")
    Profile.objects.create(user=co_member, visible_to_partners=False)
    community = make_community("Water", visibility="public")
    add_member(community, partner)
    add_member(community, co_member)
    left = make_staff("left", name="Leo Left", is_active=False)
    return {
        "staff": staff,
        "colleague": colleague,
        "hidden_staff": hidden,
        "hidden_co_member": co_member,
        "partner": partner,
        "partner_colleague": partner_colleague,
        "other_partner": other_partner,
        "inactive": left,
        "admin": site_admin,
    }


# viewer -> the people they may see (everyone else: not visible).
EXPECTED: dict[str, set[str]] = {
    "anonymous": set(),
    "staff": {
        "staff",
        "colleague",
        "hidden_staff",
        "hidden_co_member",
        "partner",
        "partner_colleague",
        "other_partner",
        "admin",
    },
    "partner": {"staff", "colleague", "hidden_co_member", "partner", "partner_colleague", "admin"},
    "other_partner": {"staff", "colleague", "other_partner", "admin"},
    "admin": {
        "staff",
        "colleague",
        "hidden_staff",
        "hidden_co_member",
        "partner",
        "partner_colleague",
        "other_partner",
        "inactive",
        "admin",
    },
}


@pytest.mark.parametrize("viewer_name", sorted(EXPECTED))
def test_profile_visibility_follows_the_table_in_both_forms(
    people: dict[str, User], viewer_name: str
) -> None:
    viewer: User | AnonymousUser = (
        AnonymousUser() if viewer_name == "anonymous" else people[viewer_name]
    )
    expected = EXPECTED[viewer_name]
    one_by_one = {name for name, person in people.items() if can_view_profile(viewer, person)}
    visible_ids = set(people_visible_to(viewer).values_list("pk", flat=True))
    as_query = {name for name, person in people.items() if person.pk in visible_ids}
    assert one_by_one == expected
    assert as_query == expected
