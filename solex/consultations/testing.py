"""Factories for tests: a community with an owner, members and a facilitator, and a consultation.

The consultation is started through ``actions.start_consultation``: what the tests
check is how it behaves afterwards.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.communities.models import Community, Role
from solex.communities.testing import add_member, make_community
from solex.consultations import actions
from solex.exchanges.models import Exchange

DRAFT = """# National social protection policy (draft)

## Purpose

This policy sets out how the government will protect people from poverty and shocks
across their life cycle.

## Coverage

Every child under five receives a monthly grant, paid to the primary caregiver.

Older persons above 65 without a contributory pension receive a social pension.

## Delivery

Payments are made through mobile money where coverage allows, and in cash elsewhere.
"""


@dataclass
class Setting:
    community: Community
    owner: User
    amina: User
    carlos: User
    facilitator: User
    outsider: User


def make_setting(*, visibility: str = "public", prefix: str = "") -> Setting:
    community = make_community(
        f"{prefix}Social protection practitioners",
        slug=f"{prefix}social-protection",
        visibility=visibility,
    )
    people = {
        name: make_staff(f"{prefix}{name}", name=name.title())
        for name in ("owner", "amina", "carlos", "facilitator", "outsider")
    }
    for name in ("owner", "amina", "carlos"):
        add_member(community, people[name])
    add_member(community, people["facilitator"], Role.FACILITATOR)
    return Setting(community=community, **people)


def start(
    setting: Setting,
    *,
    body: str = DRAFT,
    title: str = "National social protection policy",
    closes_in: datetime.timedelta = datetime.timedelta(days=14),
) -> Exchange:
    return actions.start_consultation(
        setting.community,
        actor=setting.owner,
        title=title,
        purpose="Comments from practitioners before the draft goes to cabinet.",
        body=body,
        closes_at=timezone.now() + closes_in,
    )
