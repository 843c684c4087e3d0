"""The mail quarantine's pages and API operations in the authorization matrix (see table.py)."""

from __future__ import annotations

from typing import Any

from solex.communities.models import Community
from solex.intake.models import InboundMessage, State
from tests.authz.table import Route, row

A401 = 401
# A held message: its community's moderators and site admins; everyone else 404.
HANDLERS = row(302, 404, 404, 404, 404, 200, 200, 200)
HANDLERS_POST = row(302, 404, 404, 404, 404, 302, 302, 302)
# The list: anyone who moderates a community, and site admins.
MODERATORS_ANYWHERE = row(302, 403, 403, 403, 403, 200, 200, 200)

# fmt: off
PAGES: dict[str, Route] = {
    "intake:quarantine": Route("GET", MODERATORS_ANYWHERE, community=False, login_required=True),
    "intake:message-detail": Route("GET", HANDLERS, login_required=True),
    "intake:message-raw": Route("GET", HANDLERS, login_required=True),
    "intake:message-release": Route("POST", HANDLERS_POST, login_required=True),
    "intake:message-delete": Route("POST", HANDLERS_POST, login_required=True),
}
API: dict[str, Route] = {
    "GET /quarantine/": Route(
        "GET", row(A401, 403, 403, 403, 403, 200, 200, 200), community=False, login_required=True),
    "GET /quarantine/{message_id}": Route(
        "GET", row(A401, 404, 404, 404, 404, 200, 200, 200), login_required=True),
    "POST /quarantine/{message_id}/release": Route(
        "POST", row(A401, 404, 404, 404, 404, 200, 200, 200), login_required=True),
    "DELETE /quarantine/{message_id}": Route(
        "DELETE", row(A401, 404, 404, 404, 404, 204, 204, 204), login_required=True),
}
# fmt: on


def build(world: Any, visibility: str, community: Community) -> dict[str, str]:
    raw = (
        f"From: stranger@elsewhere.example\r\nTo: {community.slug}@lists.localhost\r\n"
        "Subject: Held for a reason\r\nAuto-Submitted: auto-replied\r\n\r\nHello\r\n"
    ).encode()
    message = InboundMessage.objects.create(
        raw=raw,
        size=len(raw),
        mail_from="stranger@elsewhere.example",
        recipients=[f"{community.slug}@lists.localhost"],
        state=State.QUARANTINED,
        reason="held for moderation: DMARC fail reported by mx.example",
        from_address="stranger@elsewhere.example",
        subject="Held for a reason",
        community=community,
    )
    return {"message_id": str(message.pk)}
