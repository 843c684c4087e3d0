"""The collaboration pages and API operations in the authorization matrix (see table.py)."""

from __future__ import annotations

from typing import Any

from solex.communities.models import Community
from solex.exchanges.testing import make_exchange
from tests.authz.table import ANY, Route

# fmt: off
PAGES: dict[str, Route] = {
    "collaboration:action-group-detail": Route("GET", ANY),
}
API: dict[str, Route] = {}
# fmt: on


def build(world: Any, visibility: str, community: Community) -> dict[str, str]:
    exchange = make_exchange(
        community,
        author=world.personas["facilitator"],
        title="A collaboration",
        kind="collaboration",
    )
    return {"action_group_id": str(exchange.pk)}
