"""The discussions pages and API operations in the authorization matrix (see table.py).

Each community has an open discussion facilitated by "facilitator", with one framing
question and "expert" invited. Members post; the discussion's facilitator and the
community's moderators (and site admins) run it. The synthesis waits for the close,
so its operations answer 409 to facilitators on this open discussion (the unit tests
cover the closed case).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Model
from django.utils import timezone

from solex.communities.models import Community
from solex.discussions import actions
from solex.discussions.models import (
    Discussion,
    FramingQuestion,
    Invitation,
    Summary,
    SynthesisDraft,
)
from tests.authz.table import ANY, MODERATORS, Route, moderators_post, row

FUTURE = "2099-01-01T09:00:00Z"
API_FACILITATORS = row(401, 403, 403, 403, 403, 200, 200, 200)
API_FACILITATORS_CREATE = row(401, 403, 403, 403, 403, 201, 201, 201)
API_NOT_YET = row(401, 403, 403, 403, 403, 409, 409, 409)  # the synthesis waits for the close

# fmt: off
PAGES: dict[str, Route] = {
    "discussions:community-discussions": Route("GET", ANY),
    "discussions:discussion-start": Route("GET", MODERATORS, login_required=True),
    "discussions:discussion-detail": Route("GET", ANY),
    "discussions:discussion-post": Route(
        "POST", row(302, 403, 403, 302, 302, 302, 302, 403), {"body": "My view", "question": "1"},
        login_required=True),
    "discussions:discussion-invite": Route("GET", MODERATORS, login_required=True),
    "discussions:discussion-summary": Route("GET", MODERATORS, login_required=True),
    "discussions:discussion-close": Route("POST", moderators_post(), login_required=True),
    "discussions:discussion-synthesis": Route("GET", MODERATORS, login_required=True),
}
API: dict[str, Route] = {
    "GET /discussions/": Route("GET", ANY, community=False),
    "POST /discussions/": Route(
        "POST", API_FACILITATORS_CREATE,
        {"community": "{slug}", "title": "Early warning that works", "purpose": "Learn.",
         "questions": ["What reached people?"], "closes_at": FUTURE, "invited": ["the_expert"]},
        login_required=True),
    "GET /discussions/{discussion_id}": Route("GET", ANY),
    "GET /discussions/{discussion_id}/posts": Route("GET", ANY),
    "POST /discussions/{discussion_id}/posts": Route(
        "POST", row(401, 403, 403, 201, 201, 201, 201, 403), {"body": "My view", "question": 1},
        login_required=True),
    "POST /discussions/{discussion_id}/invitations": Route(
        "POST", API_FACILITATORS, {"invited": ["plain_member"]}, login_required=True),
    "GET /discussions/{discussion_id}/summary-draft": Route(
        "GET", API_FACILITATORS, login_required=True),
    "POST /discussions/{discussion_id}/summaries": Route(
        "POST", API_FACILITATORS_CREATE,
        {"body": "Week one", "period_start": "2020-01-01T00:00:00Z",
         "period_end": "2020-01-08T00:00:00Z"},
        login_required=True),
    "POST /discussions/{discussion_id}/close": Route("POST", API_FACILITATORS, login_required=True),
    "GET /discussions/{discussion_id}/synthesis": Route("GET", API_NOT_YET, login_required=True),
    "PUT /discussions/{discussion_id}/synthesis": Route(
        "PUT", API_NOT_YET, {"version": 1, "title": "T", "summary": "S", "body": "B"},
        login_required=True),
    "POST /discussions/{discussion_id}/synthesis/publish": Route(
        "POST", API_NOT_YET, {"version": 1, "title": "T", "summary": "S", "body": "B"},
        login_required=True),
}
# fmt: on

COUNTED: list[type[Model]] = [Discussion, FramingQuestion, Invitation, Summary, SynthesisDraft]


def build(world: Any, visibility: str, community: Community) -> dict[str, str]:
    discussion = actions.open_discussion(
        community,
        actor=world.personas["facilitator"],
        title="A discussion",
        purpose="Why we talk.",
        questions=["What worked?"],
        opens_at=None,
        closes_at=timezone.now() + datetime.timedelta(days=30),
        invited=[world.personas["expert"]],
    )
    return {"discussion_id": str(discussion.pk)}
