"""Action group pages: thin callers of queries.py and actions.py.

A group the visitor may not see answers 404. Forms keep what people typed when an
action refuses: the group page is drawn again with the form and what to fix.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solex.accounts.models import User
from solex.collaboration import actions, queries
from solex.collaboration import permissions as policy
from solex.collaboration.forms import (
    CloseGroupForm,
    DeliverableForm,
    MembersForm,
    StartGroupForm,
    TaskForm,
)
from solex.collaboration.models import ActionGroup, Task
from solex.communities import queries as community_queries
from solex.core.views import show_action_errors
from solex.exchanges import queries as exchange_queries


def _user(request: HttpRequest) -> User | AnonymousUser:
    user = request.user
    assert isinstance(user, User | AnonymousUser)
    return user


def _members(group: ActionGroup) -> list[User]:
    return [
        member.user
        for member in group.members.select_related("user", "user__organization").order_by(
            "user__name"
        )
    ]


def _items(request: HttpRequest, group: ActionGroup) -> list[tuple[int, str]]:
    return [
        (item.pk, item.title)
        for item in queries.linkable_items(_user(request), group).only("pk", "title")[:200]
    ]


def _page(request: HttpRequest, group: ActionGroup, **forms_given: forms.Form) -> HttpResponse:
    user = _user(request)
    members = _members(group)
    can_work = policy.can_work(user, group)
    context: dict[str, Any] = {
        "group": group,
        "exchange": group.exchange,
        "community": group.exchange.community,
        "members": members,
        "tasks": group.tasks.select_related("owner"),
        "deliverables": group.deliverables.select_related("item"),
        "can_work": can_work,
        "can_manage": policy.can_manage(user, group) and group.exchange.is_open,
        "statuses": Task.Status.choices,
    }
    if can_work:
        context["task_form"] = forms_given.get("task_form") or TaskForm(members=members)
        context["deliverable_form"] = forms_given.get("deliverable_form") or DeliverableForm(
            items=_items(request, group)
        )
    return render(request, "collaboration/detail.html", context)


def detail(request: HttpRequest, action_group_id: int) -> HttpResponse:
    return _page(request, queries.group_for(_user(request), action_group_id))


def community_list(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    community = community_queries.community_for(user, slug)
    groups = queries.visible_groups(user).filter(exchange__community=community)[:100]
    return render(request, "collaboration/list.html", {"community": community, "groups": groups})


@login_required
def start(request: HttpRequest, exchange_id: int) -> HttpResponse:
    user = _user(request)
    source = exchange_queries.exchange_for(user, exchange_id)
    try:
        policy.check_spawn(user, source)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(source)
    form = StartGroupForm(request.POST or None, initial={"title": source.title[:200]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = actions.start_group(
                source,
                actor=user,
                title=data["title"],
                purpose=data["purpose"],
                kind=data["kind"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                members=data["members"],
            )
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("The group is started; its members are told."))
            return redirect(group.exchange)
    return render(request, "collaboration/start.html", {"source": source, "form": form})


@login_required
def members(request: HttpRequest, action_group_id: int) -> HttpResponse:
    user = _user(request)
    group = queries.group_for(user, action_group_id)
    try:
        policy.check_manage(user, group)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(group.exchange)
    form = MembersForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = actions.add_members(group, actor=user, people=form.cleaned_data["members"])
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("%(count)d members added and told.") % {"count": len(new)})
            return redirect(group.exchange)
    context = {
        "exchange": group.exchange,
        "form": form,
        "title": _("Add members"),
        "submit": _("Add them"),
    }
    return render(request, "collaboration/form.html", context)


@require_POST
@login_required
def task_add(request: HttpRequest, action_group_id: int) -> HttpResponse:
    user = _user(request)
    group = queries.group_for(user, action_group_id)
    policy.check_view(user, group)
    if not policy.can_manage(user, group) and not policy.is_group_member(user, group):
        policy.check_work(user, group)
    form = TaskForm(request.POST, members=_members(group))
    if form.is_valid():
        try:
            task = actions.add_task(
                group,
                actor=user,
                title=form.cleaned_data["title"],
                owner=form.chosen_owner(),
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("Task added."))
            return redirect(f"{group.exchange.get_absolute_url()}#task-{task.pk}")
    return _page(request, group, task_form=form)


@login_required
def task_edit(request: HttpRequest, group_task_id: int) -> HttpResponse:
    user = _user(request)
    task = queries.task_for(user, group_task_id)
    group = task.group
    try:
        policy.check_work(user, group)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(group.exchange)
    form = TaskForm(
        request.POST or None,
        members=_members(group),
        initial={
            "title": task.title,
            "owner": task.owner_id,
            "due_on": task.due_on,
            "status": task.status,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_task(
                task,
                actor=user,
                title=form.cleaned_data["title"],
                owner=form.chosen_owner(),
                due_on=form.cleaned_data["due_on"],
                status=form.cleaned_data["status"] or task.status,
            )
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("Task updated."))
            return redirect(f"{group.exchange.get_absolute_url()}#task-{task.pk}")
    context = {
        "exchange": group.exchange,
        "form": form,
        "title": _("Edit the task"),
        "submit": _("Save the task"),
    }
    return render(request, "collaboration/form.html", context)


@require_POST
@login_required
def task_status(request: HttpRequest, group_task_id: int) -> HttpResponse:
    user = _user(request)
    task = queries.task_for(user, group_task_id)
    group = task.group
    if not policy.can_manage(user, group) and not policy.is_group_member(user, group):
        policy.check_work(user, group)
    try:
        actions.set_task_status(task, actor=user, status=request.POST.get("status", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("“%(task)s” is now: %(status)s.")
            % {"task": task.title, "status": task.get_status_display()},
        )
    return redirect(f"{group.exchange.get_absolute_url()}#task-{task.pk}")


@require_POST
@login_required
def deliverable_add(request: HttpRequest, action_group_id: int) -> HttpResponse:
    user = _user(request)
    group = queries.group_for(user, action_group_id)
    if not policy.can_manage(user, group) and not policy.is_group_member(user, group):
        policy.check_work(user, group)
    items = _items(request, group)
    form = DeliverableForm(request.POST, items=items)
    if form.is_valid():
        item_id = form.cleaned_data["item"]
        item = queries.linkable_items(user, group).filter(pk=item_id).first() if item_id else None
        try:
            actions.add_deliverable(
                group,
                actor=user,
                title=form.cleaned_data["title"],
                item=item,
                url=form.cleaned_data["url"],
            )
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("Deliverable linked."))
            return redirect(f"{group.exchange.get_absolute_url()}#deliverables-title")
    return _page(request, group, deliverable_form=form)


@login_required
def close(request: HttpRequest, action_group_id: int) -> HttpResponse:
    user = _user(request)
    group = queries.group_for(user, action_group_id)
    try:
        policy.check_manage(user, group)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(group.exchange)
    form = CloseGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.close_group(
                group,
                actor=user,
                outcome=data["outcome"],
                publish=data["publish"],
                summary=data["summary"],
            )
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("The group is closed and its outcome recorded."))
            return redirect(group.exchange)
    context = {
        "exchange": group.exchange,
        "form": form,
        "title": _("Close the group"),
        "submit": _("Record the outcome and close"),
        "intro": _("Say what the group achieved. Its members are told."),
    }
    return render(request, "collaboration/form.html", context)
