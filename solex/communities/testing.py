"""Factories for tests: communities with a team, built in one call.

They write rows directly (no permission checks, no audit) so a test can set up any
state; the behaviour under test always goes through ``actions.py``.
"""

from __future__ import annotations

import itertools
from typing import Any

from solex.accounts.models import User
from solex.communities.models import Community, Membership, Role, RoleAssignment

_sequence = itertools.count(1)


def make_community(
    name: str | None = None, *, coordinator: User | None = None, **fields: Any
) -> Community:
    number = next(_sequence)
    name = name or f"Community {number}"
    fields.setdefault("slug", f"community-{number}")
    fields.setdefault("purpose", f"Practitioners of {name} help each other.")
    community = Community.objects.create(name=name, **fields)
    if coordinator is not None:
        add_member(community, coordinator, Role.COORDINATOR)
    return community


def add_member(community: Community, user: User, *roles: str) -> Membership:
    membership = Membership.objects.create(community=community, user=user)
    Community.objects.filter(pk=community.pk).update(member_count=community.memberships.count())
    community.refresh_from_db(fields=["member_count"])
    for role in roles:
        if role != Role.MEMBER:
            RoleAssignment.objects.create(membership=membership, community=community, role=role)
    return membership
