"""The knowledge library's pages and API operations in the authorization matrix (see table.py).

The matrix's world already holds a lesson (``world.lessons``, audience "community")
and a consolidated reply in each community; ``build`` adds an earlier version of the
lesson, a file attached to it, and a handover drafted by "member" for "expert".
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from solex.communities.models import Community
from solex.core import files
from solex.knowledge.models import (
    Handover,
    ItemAttachment,
    ItemVersion,
    KnowledgeItem,
    UsefulVote,
)
from solex.knowledge.testing import make_item
from tests.authz.table import ANY, MODERATORS, REDIRECTS, Route, row

A401 = 401
MEMBERS_ONLY = row(302, 403, 403, 200, 200, 200, 200, 403)
REVIEWERS_POST = row(302, 403, 403, 403, 403, 403, 302, 302)
HANDOVER_PAIR = row(302, 404, 404, 200, 200, 404, 404, 200)
HANDOVER_PAIR_POST = row(302, 404, 404, 302, 302, 404, 404, 403)

# fmt: off
PAGES: dict[str, Route] = {
    "knowledge:item-list": Route("GET", ANY, community=False),
    "knowledge:item-detail": Route("GET", ANY),
    # Coordinators and facilitators; before the community ends the page says when it opens.
    "knowledge:after-action-review": Route(
        "GET", row(302, 403, 403, 403, 403, 200, 200, 200), login_required=True),
    "knowledge:consolidated-reply": Route("GET", ANY),
    # The community's facilitators (and coordinators, admins) write it for an open query.
    "knowledge:consolidated-reply-editor": Route("GET", MODERATORS, login_required=True),
    # The lesson has no owner: its community's moderators and reviewers update it.
    "knowledge:item-edit": Route("GET", MODERATORS, login_required=True),
    "knowledge:item-versions": Route("GET", ANY),
    "knowledge:item-version": Route("GET", ANY),
    "knowledge:item-useful": Route("POST", REDIRECTS, {"useful": "yes"}, login_required=True),
    # Knowledge managers, coordinators and the KM team (site admins, staff users).
    "knowledge:item-review": Route("POST", REVIEWERS_POST, {"action": "confirm"}, login_required=True),
    "knowledge:review-queue": Route(
        "GET", row(302, 403, 403, 403, 403, 403, 200, 200), community=False, login_required=True),
    "knowledge:attachment-download": Route("GET", ANY),
    "knowledge:portal": Route("GET", ANY, community=False),
    "knowledge:portal-feed": Route("GET", ANY, community=False),
    "knowledge:contribute-choose": Route("GET", MEMBERS_ONLY, login_required=True),
    "knowledge:contribute": Route("GET", MEMBERS_ONLY, login_required=True),
    "knowledge:handover-create": Route("GET", MEMBERS_ONLY, login_required=True),
    # Drafted by "member" for "expert": only the two of them (and site admins) see it.
    "knowledge:handover-detail": Route("GET", HANDOVER_PAIR, login_required=True),
    "knowledge:handover-sign": Route("POST", HANDOVER_PAIR_POST, login_required=True),
    # Not signed yet: the leaver and successor are told so on the next page.
    "knowledge:handover-publish": Route("POST", HANDOVER_PAIR_POST, login_required=True),
}
GOOD_PRACTICE = {
    "community": "{slug}",
    "kind": "good_practice",
    "title": "Mobile clinics",
    "summary": "s",
    "fields": {"problem": "p", "approach": "a", "results": "r", "conditions": "c"},
}
# The item is a complete good practice (``build``), with no owner.
API: dict[str, Route] = {
    "GET /knowledge/": Route("GET", ANY, community=False),
    "POST /knowledge/": Route(
        "POST", row(A401, 403, 403, 201, 201, 201, 201, 403), GOOD_PRACTICE, login_required=True),
    "GET /knowledge/review-queue": Route(
        "GET", row(A401, 403, 403, 403, 403, 403, 200, 200), community=False, login_required=True),
    "GET /knowledge/{item_id}": Route("GET", ANY),
    "PATCH /knowledge/{item_id}": Route(
        "PATCH", row(A401, 403, 403, 403, 403, 200, 200, 200), {"title": "Clearer"},
        login_required=True),
    "GET /knowledge/{item_id}/versions": Route("GET", ANY),
    "PUT /knowledge/{item_id}/useful": Route(
        "PUT", row(A401, 200, 200, 200, 200, 200, 200, 200), {"useful": True}, login_required=True),
    "POST /knowledge/{item_id}/review": Route(
        "POST", row(A401, 403, 403, 403, 403, 403, 200, 200), {"action": "confirm"},
        login_required=True),
}
# fmt: on

COUNTED = [ItemVersion, Handover, UsefulVote, ItemAttachment]


def build(world: Any, visibility: str, community: Community) -> dict[str, str]:
    lesson: KnowledgeItem = world.lessons[visibility]
    ItemVersion.objects.create(
        item=lesson,
        number=1,
        title=lesson.title,
        summary="An earlier summary",
        written_at=timezone.now(),
    )
    KnowledgeItem.objects.filter(pk=lesson.pk).update(version=2)
    handover = Handover.objects.create(
        community=community,
        leaver=world.personas["member"],
        successor=world.personas["expert"],
        title="Handing over the roster",
        role="Roster focal point",
        critical_knowledge="Who is on call",
    )
    attachment = ItemAttachment.objects.create(
        item=lesson,
        file=files.accept_upload(SimpleUploadedFile("notes.txt", b"Field notes")),
        name="notes.txt",
    )
    practice = make_item(community, title="Mobile clinics reach nomadic herders")
    return {
        "item_id": str(practice.pk),
        "number": "1",
        "kind": "good_practice",
        "handover_id": str(handover.pk),
        "knowledge_attachment_id": str(attachment.pk),
    }
