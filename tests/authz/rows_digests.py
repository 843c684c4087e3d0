"""The email pages and API operations in the authorization matrix (see table.py)."""

from __future__ import annotations

from typing import Any

from solex.communities.models import Community
from solex.mail.tokens import unsubscribe_token
from tests.authz.table import ANY, MODERATORS, REDIRECTS, SIGNED_IN, Route, row

# fmt: off
PAGES: dict[str, Route] = {
    # Authenticated by the signed token in the link, not a session: anyone holding it
    # (the member, from their mail client) sees the confirmation, with its community.
    "digests:unsubscribe": Route("GET", ANY, community=False, shows_invited_community=True),
    "digests:preferences": Route("GET", SIGNED_IN, community=False, login_required=True),
    "digests:reenable": Route("POST", REDIRECTS, community=False, login_required=True),
    "digests:top-five": Route("GET", MODERATORS, login_required=True),
}
API: dict[str, Route] = {
    "GET /mail/preferences": Route(
        "GET", row(401, 200, 200, 200, 200, 200, 200, 200), community=False, login_required=True
    ),
    "PUT /mail/preferences": Route(
        "PUT", row(401, 200, 200, 200, 200, 200, 200, 200), community=False, login_required=True,
        data={"paused": False},
    ),
}
# fmt: on


def build(world: Any, visibility: str, community: Community) -> dict[str, str]:
    member = world.targets[visibility]
    return {"key": unsubscribe_token(member.pk, community.pk)}
