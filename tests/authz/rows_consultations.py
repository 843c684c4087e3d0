"""The consultations pages and API operations in the authorization matrix (see table.py).

In each community, "member" owns an open consultation (``consultation_id``) with a
comment by "expert" (``comment_id``), and a closed one whose summary is still a draft
(``closed_id``). The owner's work is open to the owner and the community's
facilitators, coordinators and site admins (who act for the owner).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Model
from django.utils import timezone

from solex.communities.models import Community
from solex.consultations import actions
from solex.consultations.models import CommentRecord, DraftVersion, SummaryDraft
from tests.authz.table import ANY, Route, row

A401 = 401
#: A deadline a month away, when the matrix runs.
DEADLINE = (timezone.now() + datetime.timedelta(days=30)).isoformat()
#: The owner ("member") and the moderators; the admin acts as a site admin.
OWNERS = row(302, 403, 403, 200, 403, 200, 200, 200)
MEMBERS_POST = row(302, 403, 403, 302, 302, 302, 302, 403)

# fmt: off
PAGES: dict[str, Route] = {
    "consultations:community-consultations": Route("GET", ANY),
    "consultations:consultation-start": Route(
        "GET", row(302, 403, 403, 200, 200, 200, 200, 403), login_required=True),
    "consultations:consultation-detail": Route("GET", ANY),
    "consultations:consultation-comment": Route(
        "POST", MEMBERS_POST, {"body": "A comment", "paragraph": "1"}, login_required=True),
    "consultations:consultation-new-version": Route("GET", OWNERS, login_required=True),
    "consultations:consultation-close": Route("GET", OWNERS, login_required=True),
    "consultations:responses": Route("GET", OWNERS, login_required=True),
    "consultations:summary-editor": Route("GET", OWNERS, login_required=True),
    "consultations:summary": Route("GET", ANY),
}
#: A file download streams (the matrix reads whole pages): its access is tested in
#: solex/consultations/tests/test_pages.py, outsiders of a members-only community included.
OTHER_PAGES: dict[str, int | None] = {"consultations:consultation-attachment": 404}
API: dict[str, Route] = {
    "POST /consultations/": Route(
        "POST", row(A401, 403, 403, 201, 201, 201, 201, 403),
        {"community": "{slug}", "title": "A fresh consultation", "purpose": "p", "body": "Text.",
         "closes_at": DEADLINE},
        login_required=True),
    "GET /consultations/{consultation_id}": Route("GET", ANY),
    "GET /consultations/{consultation_id}/comments": Route("GET", ANY),
    "POST /consultations/{consultation_id}/comments": Route(
        "POST", row(A401, 403, 403, 201, 201, 201, 201, 403), {"body": "A comment", "paragraph": 1},
        login_required=True),
    "POST /consultations/{consultation_id}/versions": Route(
        "POST", row(A401, 403, 403, 201, 403, 201, 201, 201), {"body": "A new text."},
        login_required=True),
    "PUT /consultations/{consultation_id}/comments/{comment_id}/response": Route(
        "PUT", row(A401, 403, 403, 200, 403, 200, 200, 200), {"response": "taken_up"},
        login_required=True),
    "POST /consultations/{consultation_id}/close": Route(
        "POST", row(A401, 403, 403, 200, 403, 200, 200, 200), login_required=True),
    "GET /consultations/{closed_id}/summary": Route(
        "GET", row(A401, 403, 403, 200, 403, 200, 200, 200), login_required=True),
    "PUT /consultations/{closed_id}/summary": Route(
        "PUT", row(A401, 403, 403, 200, 403, 200, 200, 200),
        {"version": 1, "title": "T", "summary": "S", "body": "B"}, login_required=True),
    "POST /consultations/{closed_id}/summary/publish": Route(
        "POST", row(A401, 403, 403, 201, 403, 201, 201, 201),
        {"version": 1, "title": "T", "summary": "S", "body": "B"}, login_required=True),
}
# fmt: on
COUNTED: list[type[Model]] = [DraftVersion, CommentRecord, SummaryDraft]


def build(world: Any, visibility: str, community: Community) -> dict[str, str]:
    owner = world.personas["member"]
    later = timezone.now() + datetime.timedelta(days=10)
    exchange = actions.start_consultation(
        community,
        actor=owner,
        title="A consultation",
        purpose="Why",
        body="First paragraph.\n\nSecond paragraph.",
        closes_at=later,
    )
    comment = actions.comment(
        exchange, actor=world.personas["expert"], body="A comment", paragraph=1
    )
    closed = actions.start_consultation(
        community,
        actor=owner,
        title="A closed consultation",
        purpose="Why",
        body="Only paragraph.",
        closes_at=later,
    )
    actions.comment(closed, actor=world.personas["expert"], body="Too short", paragraph=1)
    actions.close_consultation(closed, actor=owner)
    return {
        "consultation_id": str(exchange.pk),
        "comment_id": str(comment.pk),
        "closed_id": str(closed.pk),
    }
