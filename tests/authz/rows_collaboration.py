"""The collaboration pages and API operations in the authorization matrix (see table.py).

Each community has an open action group spawned from its open query, led by
"facilitator", with "member" in it and a task owned by "member". Group members and
managers (the lead and the community's moderators, site admins included) work on
tasks and deliverables; only managers add members and close. Any community member
may spawn a group.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Model
from django.utils import timezone

from solex.collaboration import actions
from solex.collaboration.models import ActionGroup, Deliverable, GroupMember, Task
from solex.communities.models import Community
from tests.authz.table import ANY, MODERATORS, Route, row

GROUP_WORKERS = row(302, 403, 403, 302, 403, 302, 302, 302)

# fmt: off
PAGES: dict[str, Route] = {
    "collaboration:community-groups": Route("GET", ANY),
    "collaboration:action-group-start": Route(
        "GET", row(302, 403, 403, 200, 200, 200, 200, 403), login_required=True),
    "collaboration:action-group-detail": Route("GET", ANY),
    "collaboration:action-group-members": Route("GET", MODERATORS, login_required=True),
    "collaboration:action-group-close": Route("GET", MODERATORS, login_required=True),
    "collaboration:task-add": Route(
        "POST", GROUP_WORKERS, {"title": "Draft the note", "owner": "", "due_on": ""},
        login_required=True),
    "collaboration:task-edit": Route(
        "GET", row(302, 403, 403, 200, 403, 200, 200, 200), login_required=True),
    "collaboration:task-status": Route("POST", GROUP_WORKERS, {"status": "done"}, login_required=True),
    "collaboration:deliverable-add": Route(
        "POST", GROUP_WORKERS, {"title": "Note", "url": "https://example.org/note"},
        login_required=True),
}
API: dict[str, Route] = {
    "GET /action-groups/": Route("GET", ANY, community=False),
    "POST /action-groups/from/{exchange_id}": Route(
        "POST", row(401, 403, 403, 201, 201, 201, 201, 403),
        {"title": "Cash task team", "purpose": "Write the note.", "kind": "task_team",
         "starts_on": "2099-01-01", "ends_on": "2099-03-01", "members": []},
        login_required=True),
    "GET /action-groups/{action_group_id}": Route("GET", ANY),
    "POST /action-groups/{action_group_id}/members": Route(
        "POST", row(401, 403, 403, 403, 403, 200, 200, 200), {"members": ["the_expert"]},
        login_required=True),
    "POST /action-groups/{action_group_id}/tasks": Route(
        "POST", row(401, 403, 403, 201, 403, 201, 201, 201), {"title": "Draft the note"},
        login_required=True),
    "PATCH /action-groups/tasks/{group_task_id}": Route(
        "PATCH", row(401, 403, 403, 200, 403, 200, 200, 200), {"status": "doing"},
        login_required=True),
    "POST /action-groups/{action_group_id}/deliverables": Route(
        "POST", row(401, 403, 403, 201, 403, 201, 201, 201),
        {"title": "Note", "url": "https://example.org/note"}, login_required=True),
    "POST /action-groups/{action_group_id}/close": Route(
        "POST", row(401, 403, 403, 403, 403, 200, 200, 200), {"outcome": "Done."},
        login_required=True),
}
# fmt: on

COUNTED: list[type[Model]] = [ActionGroup, GroupMember, Task, Deliverable]


def build(world: Any, visibility: str, community: Community) -> dict[str, str]:
    lead, member = world.personas["facilitator"], world.personas["member"]
    today = timezone.localdate()
    group = actions.start_group(
        world.exchanges[visibility],
        actor=lead,
        title="A collaboration",
        purpose="Act on the question.",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=30),
        members=[member],
    )
    task = actions.add_task(group, actor=lead, title="First task", owner=member)
    return {"action_group_id": str(group.pk), "group_task_id": str(task.pk)}
