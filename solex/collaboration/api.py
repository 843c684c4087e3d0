"""The API for action groups: list, read, start, members, tasks, deliverables, close.

Every operation fetches its group through ``queries.group_for`` (404 for one the
caller may not see) and changes things only through ``actions``; a refused action
answers 409 with what to fix.
"""

# No "from __future__ import annotations": ninja resolves the refusals wrapper's
# annotations in this module.
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Status

from solex.accounts.api_auth import auth_optional, auth_required, caller, signed_in_caller
from solex.accounts.api_refs import people_named as _people
from solex.accounts.api_refs import person_ref as _person
from solex.accounts.models import User
from solex.collaboration import actions, queries
from solex.collaboration import permissions as policy
from solex.collaboration.models import ActionGroup, Deliverable, Task
from solex.collaboration.schemas import (
    ActionGroupCloseIn,
    DeliverableIn,
    DeliverableOut,
    GroupDetailOut,
    GroupIn,
    GroupOut,
    MembersIn,
    TaskIn,
    TaskOut,
    TaskPatch,
)
from solex.communities.api import refusals
from solex.core.api.errors import Error
from solex.core.api.pagination import Page, PageParams, paginate
from solex.core.api.params import ObjectId
from solex.exchanges import queries as exchange_queries

router = Router(tags=["collaboration"])


def _group(group: ActionGroup) -> dict[str, Any]:
    exchange = group.exchange
    return {
        "id": exchange.pk,
        "community": exchange.community.slug,
        "kind": group.kind,
        "title": exchange.title,
        "status": "open" if exchange.is_open else "closed",
        "source": group.source_id,
        "lead": _person(exchange.author),
        "starts_on": group.starts_on,
        "ends_on": group.ends_on,
    }


def _task(task: Task) -> dict[str, Any]:
    return {
        "id": task.pk,
        "title": task.title,
        "owner": _person(task.owner),
        "due_on": task.due_on,
        "status": task.status,
        "completed_at": task.completed_at,
    }


def _deliverable(deliverable: Deliverable) -> dict[str, Any]:
    item = deliverable.item
    return {
        "id": deliverable.pk,
        "title": deliverable.title,
        "item": deliverable.item_id,
        "url": item.get_absolute_url() if item is not None else deliverable.url,
    }


def _detail(request: HttpRequest, group: ActionGroup) -> dict[str, Any]:
    user = caller(request)
    return {
        **_group(group),
        "purpose": group.exchange.body,
        "purpose_html": group.exchange.body_html,
        "members": [_person(m.user) for m in group.members.select_related("user")],
        "tasks": [_task(t) for t in group.tasks.select_related("owner")],
        "deliverables": [_deliverable(d) for d in group.deliverables.select_related("item")],
        "outcome": group.outcome,
        "outcome_item": group.outcome_item_id,
        "can_work": policy.can_work(user, group),
        "can_manage": policy.can_manage(user, group) and group.exchange.is_open,
    }


def _owner(group: ActionGroup, username: str | None) -> User | None:
    if not username:
        return None
    return _people([username], field="owner")[0]


@router.get("/", response=Page[GroupOut], auth=auth_optional, summary="List action groups")
def list_action_groups(
    request: HttpRequest, page: Query[PageParams], community: str = ""
) -> dict[str, Any]:
    """The groups the caller may see, most recently active first."""
    found = queries.visible_groups(caller(request))
    if community:
        found = found.filter(exchange__community__slug=community[:80])
    result = paginate(found, page)
    result["items"] = [_group(item) for item in result["items"]]
    return result


@router.post(
    "/from/{exchange_id}",
    response={201: GroupDetailOut, 409: Error},
    auth=auth_required,
    summary="Start an action group",
)
@refusals
def start_action_group(
    request: HttpRequest, exchange_id: ObjectId, payload: GroupIn
) -> Status[dict[str, Any]]:
    """From any exchange (query, consultation, discussion) whose community the caller is in."""
    user = signed_in_caller(request)
    source = exchange_queries.exchange_for(user, exchange_id)
    group = actions.start_group(
        source,
        actor=user,
        title=payload.title,
        purpose=payload.purpose,
        kind=payload.kind,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        members=_people(payload.members, field="members"),
    )
    return Status(201, _detail(request, group))


@router.get(
    "/{action_group_id}",
    response=GroupDetailOut,
    auth=auth_optional,
    summary="Read an action group",
)
def get_action_group(request: HttpRequest, action_group_id: ObjectId) -> dict[str, Any]:
    return _detail(request, queries.group_for(caller(request), action_group_id))


@router.post(
    "/{action_group_id}/members",
    response={200: list[str], 409: Error},
    auth=auth_required,
    summary="Add members",
)
@refusals
def add_action_group_members(
    request: HttpRequest, action_group_id: ObjectId, payload: MembersIn
) -> list[str]:
    """The lead and facilitators; returns the usernames newly added (and notified)."""
    user = signed_in_caller(request)
    group = queries.group_for(user, action_group_id)
    new = actions.add_members(group, actor=user, people=_people(payload.members, field="members"))
    return [person.username for person in new]


@router.post(
    "/{action_group_id}/tasks",
    response={201: TaskOut, 409: Error},
    auth=auth_required,
    summary="Add a task",
)
@refusals
def add_action_group_task(
    request: HttpRequest, action_group_id: ObjectId, payload: TaskIn
) -> Status[dict[str, Any]]:
    user = signed_in_caller(request)
    group = queries.group_for(user, action_group_id)
    policy.check_view(user, group)
    task = actions.add_task(
        group,
        actor=user,
        title=payload.title,
        owner=_owner(group, payload.owner),
        due_on=payload.due_on,
    )
    return Status(201, _task(task))


@router.patch(
    "/tasks/{group_task_id}",
    response={200: TaskOut, 409: Error},
    auth=auth_required,
    summary="Update a task",
)
@refusals
def update_action_group_task(
    request: HttpRequest, group_task_id: ObjectId, payload: TaskPatch
) -> dict[str, Any]:
    """Group members reword, reassign, reschedule or move a task; omitted fields stay."""
    user = signed_in_caller(request)
    task = queries.task_for(user, group_task_id)
    fields = payload.model_dump(exclude_unset=True)
    owner = _owner(task.group, fields["owner"]) if "owner" in fields else task.owner
    actions.update_task(
        task,
        actor=user,
        title=fields.get("title") or task.title,
        owner=owner,
        due_on=fields.get("due_on", task.due_on),
        status=fields.get("status") or task.status,
    )
    return _task(task)


@router.post(
    "/{action_group_id}/deliverables",
    response={201: DeliverableOut, 409: Error},
    auth=auth_required,
    summary="Link a deliverable",
)
@refusals
def add_action_group_deliverable(
    request: HttpRequest, action_group_id: ObjectId, payload: DeliverableIn
) -> Status[dict[str, Any]]:
    """A knowledge item of the group's community (by id), or a web address."""
    user = signed_in_caller(request)
    group = queries.group_for(user, action_group_id)
    item = None
    if payload.item is not None:
        item = queries.linkable_items(user, group).filter(pk=payload.item).first()
        if item is None:
            raise ValidationError({"item": "No knowledge item with this id in this community."})
    deliverable = actions.add_deliverable(
        group, actor=user, title=payload.title, item=item, url=payload.url
    )
    return Status(201, _deliverable(deliverable))


@router.post(
    "/{action_group_id}/close",
    response={200: GroupDetailOut, 409: Error},
    auth=auth_required,
    summary="Close with the outcome",
)
@refusals
def close_action_group(
    request: HttpRequest, action_group_id: ObjectId, payload: ActionGroupCloseIn
) -> dict[str, Any]:
    user = signed_in_caller(request)
    group = queries.group_for(user, action_group_id)
    actions.close_group(
        group, actor=user, outcome=payload.outcome, publish=payload.publish, summary=payload.summary
    )
    return _detail(request, group)
