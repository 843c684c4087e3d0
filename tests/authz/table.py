"""The matrix's vocabulary, shared by ``test_matrix`` and the per-app tables beside it.

Each app that adds pages or API operations puts its rows in ``tests/authz/rows_<app>.py``
(``PAGES``, ``API``, optionally ``OTHER_PAGES``, ``OTHER_API`` and ``COUNTED``) with a
``build(world, visibility, community)`` that creates its objects in each community
and returns the values its URLs need (e.g. ``{"consultation_id": "7"}``). Separate
files let several pieces of work grow the matrix without editing one table at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PERSONAS = (
    "anonymous",
    "partner",
    "staff",
    "member",
    "expert",
    "facilitator",
    "coordinator",
    "admin",
)
VISIBILITIES = ("public", "organisation", "members")
MEMBER_PERSONAS = {"member", "expert", "facilitator", "coordinator"}
NAMES = {
    "public": "Open Square Network",
    "organisation": "Staff Corridor",
    "members": "Safe Harbour Circle",
}

Cell = int | dict[str, int]  # one status, or one per visibility


def row(*cells: Cell) -> dict[str, Cell]:
    assert len(cells) == len(PERSONAS)
    return dict(zip(PERSONAS, cells, strict=True))


@dataclass(frozen=True)
class Route:
    """How to call a route and what each persona gets for a community it can see."""

    method: str
    expected: dict[str, Cell]
    data: dict[str, Any] = field(default_factory=dict)
    community: bool = True  # the path names a community (so invisible → 404)
    login_required: bool = False  # anonymous visitors are sent to log in (web) or get 401 (API)
    shows_invited_community: bool = False  # an invitation link shows its community to its holder


ANY = row(200, 200, 200, 200, 200, 200, 200, 200)
SIGNED_IN = row(302, 200, 200, 200, 200, 200, 200, 200)
INTERNAL = row(302, 403, 200, 200, 200, 200, 200, 200)
MODERATORS = row(302, 403, 403, 403, 403, 200, 200, 200)
MANAGERS = row(302, 403, 403, 403, 403, 403, 200, 200)
KM_TEAM = row(302, 403, 403, 403, 403, 403, 403, 200)
REDIRECTS = row(302, 302, 302, 302, 302, 302, 302, 302)  # the outcome is a message on the next page


def moderators_post() -> dict[str, Cell]:
    return row(302, 403, 403, 403, 403, 302, 302, 302)


def managers_post() -> dict[str, Cell]:
    return row(302, 403, 403, 403, 403, 403, 302, 302)
