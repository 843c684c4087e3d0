"""The search page, topic pages and the search API in the authorization matrix (see table.py).

``build`` tags each community and its open query with one shared topic and indexes
everything, so the topic page lists items from all three communities: the matrix then
checks that nobody sees the name of a community they may not see. The search results,
counts and snippets themselves are checked in ``tests/search/test_permissions.py``.
"""

from __future__ import annotations

from typing import Any

from solex.communities.models import Community
from solex.people.testing import make_topic
from solex.search import actions
from tests.authz.table import ANY, Route, row

TOPIC = "Matrix practice"

# fmt: off
PAGES: dict[str, Route] = {
    # Without words the page only shows the form; results are checked in their own test.
    "search:search": Route("GET", ANY, community=False),
    "search:topic": Route("GET", ANY, community=False),
}
API: dict[str, Route] = {
    # The matrix sends no words: everyone gets the same clear 400 ("say what to look for").
    "GET /search": Route("GET", row(400, 400, 400, 400, 400, 400, 400, 400), community=False),
}
# fmt: on


def build(world: Any, visibility: str, community: Community) -> dict[str, str]:
    topic = make_topic(TOPIC)
    community.topics.add(topic)
    world.exchanges[visibility].topics.add(topic)
    actions.rebuild()
    return {"topic_slug": topic.slug}
