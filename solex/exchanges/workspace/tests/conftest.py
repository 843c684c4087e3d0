"""A community with its team, shared by the workspace, notify and task tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.communities.models import Community, Role
from solex.communities.testing import add_member, make_community


@dataclass
class Team:
    community: Community
    facilitator: User
    coordinator: User
    asker: User
    expert: User
    other_expert: User
    member: User


@pytest.fixture
def team(db: None) -> Team:
    community = make_community("Water and Sanitation Network", slug="wash")
    people = {
        "facilitator": make_staff("fatou", name="Fatou Sow"),
        "coordinator": make_staff("carlos", name="Carlos Ruiz"),
        "asker": make_staff("amina", name="Amina Diallo"),
        "expert": make_staff("erik", name="Erik Lund"),
        "other_expert": make_staff("olga", name="Olga Petrova"),
        "member": make_staff("mei", name="Mei Chen"),
    }
    add_member(community, people["facilitator"], Role.FACILITATOR)
    add_member(community, people["coordinator"], Role.COORDINATOR)
    add_member(community, people["expert"], Role.EXPERT)
    add_member(community, people["other_expert"], Role.EXPERT)
    for name in ("asker", "member"):
        add_member(community, people[name])
    return Team(community=community, **people)


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """The workspace caches its service clocks; each test starts without them."""
    cache.clear()
