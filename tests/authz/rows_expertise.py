"""The expertise locator's pages and API operations in the authorization matrix (table.py)."""

from __future__ import annotations

from typing import Any

from solex.communities.models import Community
from solex.exchanges.testing import make_exchange, make_reply
from solex.expertise import ledger
from solex.taxonomy.models import Topic
from tests.authz.table import KM_TEAM, SIGNED_IN, Route, row

# fmt: off
PAGES: dict[str, Route] = {
    "people:who-knows": Route("GET", SIGNED_IN, community=False, login_required=True),
    "people:expertise-gaps": Route("GET", KM_TEAM, community=False, login_required=True),
}
API: dict[str, Route] = {
    # Without a question or topic the caller is told what to give (422), once signed in.
    "GET /expertise/people": Route(
        "GET", row(401, 422, 422, 422, 422, 422, 422, 422), community=False, login_required=True
    ),
    "GET /expertise/gaps": Route(
        "GET", row(401, 403, 403, 403, 403, 403, 403, 200), community=False, login_required=True
    ),
}
# fmt: on


def build(world: Any, visibility: str, community: Community) -> dict[str, str]:
    topic, _created = Topic.objects.get_or_create(slug="matrix-water", defaults={"name": "Water"})
    for number in range(2):
        query = make_exchange(
            community, author=world.personas["member"], topics=[topic], title=f"Pumps {number}"
        )
        make_reply(query, world.personas["expert"])
    ledger.refresh()
    return {}
