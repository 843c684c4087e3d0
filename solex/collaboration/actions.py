"""Every change to action groups: start, add members, tasks, deliverables, close.

Each action checks permission, validates, then writes in one transaction, so a
refusal changes nothing. Bad input raises ``ValidationError`` with a message meant
for a person. Group members are told when they are added and when a task is
assigned to them.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from solex.accounts.models import User
from solex.collaboration import permissions as policy
from solex.collaboration.models import ActionGroup, Deliverable, GroupMember, Task
from solex.communities.models import Membership
from solex.core.markdown import render_markdown
from solex.exchanges import actions as exchange_actions
from solex.exchanges.models import CloseReason, Exchange, ExchangeEvent, Kind, Status
from solex.knowledge.models import KnowledgeItem
from solex.notifications.actions import notify, translated

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser

MIN_TITLE = 5
MAX_TITLE = 200
MAX_PURPOSE = 10_000
MAX_TASK = 200
MAX_OUTCOME = 20_000
MAX_SUMMARY = 500
MAX_MEMBERS = 100
MAX_URL = 500


def _signed_in(actor: AnyUser) -> User:
    if not isinstance(actor, User) or not actor.is_active:
        raise PermissionDenied(_("Log in first."))
    return actor


def _text(value: str, *, field: str, label: str, maximum: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("%(label)s cannot be empty.") % {"label": label}})
    if len(value) > maximum:
        raise ValidationError(
            {
                field: _("%(label)s is too long: at most %(max)d characters (it has %(n)d).")
                % {"label": label, "max": maximum, "n": len(value)}
            }
        )
    return value


def _name(user: User) -> str:
    return user.name or user.username


def _check_community_members(group_or_exchange: Exchange, people: Sequence[User]) -> None:
    if len(people) > MAX_MEMBERS:
        raise ValidationError(
            {"members": _("A group has at most %(max)d members.") % {"max": MAX_MEMBERS}}
        )
    member_ids = set(
        Membership.objects.filter(
            community_id=group_or_exchange.community_id, user_id__in=[p.pk for p in people]
        ).values_list("user_id", flat=True)
    )
    outsiders = [person for person in people if person.pk not in member_ids]
    if outsiders:
        raise ValidationError(
            {
                "members": _("Only members of the community can join the group; not: %(names)s.")
                % {"names": ", ".join(_name(person) for person in outsiders)}
            }
        )


def _check_dates(starts_on: datetime.date | None, ends_on: datetime.date | None) -> None:
    if starts_on is None:
        raise ValidationError({"starts_on": _("Choose when the group starts.")})
    if ends_on is None:
        raise ValidationError({"ends_on": _("Choose when the group ends.")})
    if starts_on < timezone.localdate():
        raise ValidationError({"starts_on": _("The start date is in the past.")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The group must end after it starts.")})


def _check_due(group: ActionGroup, due_on: datetime.date | None) -> None:
    if due_on is None:
        return
    if due_on < group.starts_on:
        raise ValidationError(
            {
                "due_on": _("The task is due before the group starts (%(date)s).")
                % {"date": group.starts_on.isoformat()}
            }
        )
    if due_on > group.ends_on:
        raise ValidationError(
            {
                "due_on": _("The task is due after the group ends (%(date)s).")
                % {"date": group.ends_on.isoformat()}
            }
        )


def _check_owner(group: ActionGroup, owner: User | None) -> None:
    if owner is not None and not GroupMember.objects.filter(group=group, user=owner).exists():
        raise ValidationError(
            {
                "owner": _("%(name)s is not a member of the group: add them first.")
                % {"name": _name(owner)}
            }
        )


def ensure_saved(group: ActionGroup) -> ActionGroup:
    """Save the row of a collaboration exchange made elsewhere (see ``queries.group_for``)."""
    if group._state.adding:
        ActionGroup.objects.get_or_create(
            exchange_id=group.pk,
            defaults={"starts_on": group.starts_on, "ends_on": group.ends_on},
        )
        group._state.adding = False
    return group


def _tell_added(group: ActionGroup, people: Sequence[User], *, actor: User) -> None:
    exchange = group.exchange
    notify(
        people,
        kind="collaboration.member_added",
        text=translated(
            gettext_noop("%(person)s added you to the group “%(title)s”"),
            person=_name(actor),
            title=exchange.title,
        ),
        target_url=exchange.get_absolute_url(),
        target_label=exchange.title,
        actor=actor,
    )


def _tell_assigned(task: Task, *, actor: User) -> None:
    if task.owner is None:
        return
    exchange = task.group.exchange
    notify(
        [task.owner],
        kind="collaboration.task_assigned",
        text=translated(
            gettext_noop("%(person)s gave you a task in “%(group)s”: %(task)s"),
            person=_name(actor),
            group=exchange.title,
            task=task.title,
        ),
        target_url=f"{exchange.get_absolute_url()}#task-{task.pk}",
        target_label=task.title,
        actor=actor,
    )


# --- Starting ---------------------------------------------------------------------------------


def start_group(
    source: Exchange,
    *,
    actor: AnyUser,
    title: str,
    purpose: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    members: Sequence[User] = (),
    kind: str = ActionGroup.Kind.ACTION_GROUP,
) -> ActionGroup:
    """Spawn a group from an exchange; its starter leads it and is its first member."""
    user = _signed_in(actor)
    policy.check_spawn(user, source)
    title = _text(title, field="title", label=_("The name"), maximum=MAX_TITLE)
    if len(title) < MIN_TITLE:
        raise ValidationError({"title": _("Name the group in a few words.")})
    purpose = _text(purpose, field="purpose", label=_("The purpose"), maximum=MAX_PURPOSE)
    if kind not in ActionGroup.Kind.values:
        raise ValidationError({"kind": _("Choose an action group or a task team.")})
    _check_dates(starts_on, ends_on)
    assert starts_on is not None and ends_on is not None
    people = [person for person in dict.fromkeys(members) if person.pk != user.pk]
    _check_community_members(source, people)
    with transaction.atomic():
        exchange = exchange_actions.start_exchange(
            source.community, author=user, kind=Kind.COLLABORATION, title=title, body=purpose
        )
        group = ActionGroup.objects.create(
            exchange=exchange, kind=kind, source=source, starts_on=starts_on, ends_on=ends_on
        )
        GroupMember.objects.bulk_create(
            [GroupMember(group=group, user=person, added_by=user) for person in [user, *people]]
        )
        _tell_added(group, people, actor=user)
    return group


def add_members(group: ActionGroup, *, actor: AnyUser, people: Sequence[User]) -> list[User]:
    """The lead adds community members; returns (and tells) those newly added."""
    user = _signed_in(actor)
    policy.check_manage(user, group)
    if not people:
        raise ValidationError({"members": _("Choose the members to add.")})
    _check_community_members(group.exchange, people)
    already = set(group.members.values_list("user_id", flat=True))
    new = [person for person in dict.fromkeys(people) if person.pk not in already]
    with transaction.atomic():
        ensure_saved(group)
        GroupMember.objects.bulk_create(
            [GroupMember(group=group, user=person, added_by=user) for person in new],
            ignore_conflicts=True,
        )
        _tell_added(group, new, actor=user)
    group.__dict__.pop("_member_cache", None)
    return new


# --- Tasks and deliverables -------------------------------------------------------------------


def add_task(
    group: ActionGroup,
    *,
    actor: AnyUser,
    title: str,
    owner: User | None = None,
    due_on: datetime.date | None = None,
) -> Task:
    user = _signed_in(actor)
    policy.check_work(user, group)
    title = _text(title, field="title", label=_("The task"), maximum=MAX_TASK)
    _check_owner(group, owner)
    _check_due(group, due_on)
    with transaction.atomic():
        ensure_saved(group)
        task = Task.objects.create(
            group=group, title=title, owner=owner, due_on=due_on, created_by=user
        )
        _tell_assigned(task, actor=user)
        Exchange.objects.filter(pk=group.pk).update(last_activity_at=timezone.now())
    return task


def update_task(
    task: Task,
    *,
    actor: AnyUser,
    title: str,
    owner: User | None,
    due_on: datetime.date | None,
    status: str,
) -> Task:
    """Any group member rewords, reassigns, reschedules or moves a task along."""
    user = _signed_in(actor)
    group = task.group
    policy.check_work(user, group)
    title = _text(title, field="title", label=_("The task"), maximum=MAX_TASK)
    if status not in Task.Status.values:
        raise ValidationError({"status": _("Choose to do, doing or done.")})
    _check_owner(group, owner)
    _check_due(group, due_on)
    reassigned = owner is not None and owner.pk != task.owner_id
    now = timezone.now()
    with transaction.atomic():
        task.title, task.owner, task.due_on = title, owner, due_on
        if status != task.status:
            task.completed_at = now if status == Task.Status.DONE else None
        task.status = status
        task.updated_at = now
        task.save(
            update_fields=["title", "owner", "due_on", "status", "completed_at", "updated_at"]
        )
        if reassigned:
            _tell_assigned(task, actor=user)
        Exchange.objects.filter(pk=group.pk).update(last_activity_at=now)
    return task


def set_task_status(task: Task, *, actor: AnyUser, status: str) -> Task:
    return update_task(
        task, actor=actor, title=task.title, owner=task.owner, due_on=task.due_on, status=status
    )


def add_deliverable(
    group: ActionGroup,
    *,
    actor: AnyUser,
    title: str,
    item: KnowledgeItem | None = None,
    url: str = "",
) -> Deliverable:
    """Link what the group produced: a knowledge item in the library, or an address."""
    user = _signed_in(actor)
    policy.check_work(user, group)
    url = (url or "").strip()
    if item is None and not url:
        raise ValidationError({"url": _("Link a knowledge item or give an address.")})
    if item is not None and url:
        raise ValidationError({"url": _("Link either a knowledge item or an address, not both.")})
    if url:
        if len(url) > MAX_URL:
            raise ValidationError({"url": _("The address is too long.")})
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ValidationError(
                {"url": _("Give a full web address starting with https://.")}
            ) from None
    title = _text(
        title or (item.title if item is not None else ""),
        field="title",
        label=_("The title"),
        maximum=MAX_TITLE,
    )
    with transaction.atomic():
        ensure_saved(group)
        deliverable = Deliverable.objects.create(
            group=group, title=title, item=item, url=url, added_by=user
        )
        Exchange.objects.filter(pk=group.pk).update(last_activity_at=timezone.now())
    return deliverable


# --- Closing ----------------------------------------------------------------------------------


def close_group(
    group: ActionGroup,
    *,
    actor: AnyUser,
    outcome: str,
    publish: bool = False,
    summary: str = "",
) -> ActionGroup:
    """Record the outcome and close; optionally publish the outcome to the library."""
    user = _signed_in(actor)
    policy.check_manage(user, group)
    outcome = _text(outcome, field="outcome", label=_("The outcome"), maximum=MAX_OUTCOME)
    summary = _text(
        summary, field="summary", label=_("The summary"), maximum=MAX_SUMMARY, required=False
    )
    if publish and not summary:
        raise ValidationError(
            {"summary": _("Write a short summary: it is what readers of the library see first.")}
        )
    exchange = group.exchange
    now = timezone.now()
    with transaction.atomic():
        closed = Exchange.objects.filter(pk=exchange.pk, status=Status.OPEN).update(
            status=Status.CLOSED,
            close_reason=CloseReason.COMPLETED,
            closed_at=now,
            closed_by=user,
            last_activity_at=now,
        )
        if not closed:
            raise ValidationError(_("This group is already closed."), code="closed")
        ensure_saved(group)
        ExchangeEvent.objects.create(
            exchange=exchange,
            actor=user,
            action=ExchangeEvent.Action.CLOSED,
            detail=str(CloseReason.COMPLETED.label),
        )
        group.outcome = outcome
        group.outcome_html = render_markdown(outcome)
        if publish:
            group.outcome_item = _publish_outcome(group, summary=summary, actor=user)
        group.save(update_fields=["outcome", "outcome_html", "outcome_item"])
        members = list(User.objects.filter(pk__in=group.members.values("user_id")))
        target = (
            group.outcome_item.get_absolute_url()
            if group.outcome_item is not None
            else exchange.get_absolute_url()
        )
        notify(
            members,
            kind="collaboration.closed",
            text=translated(
                gettext_noop("%(person)s closed the group “%(title)s” and recorded its outcome"),
                person=_name(user),
                title=exchange.title,
            ),
            target_url=target,
            target_label=exchange.title,
            actor=user,
        )
    exchange.refresh_from_db()
    return group


def _publish_outcome(group: ActionGroup, *, summary: str, actor: User) -> KnowledgeItem:
    exchange = group.exchange
    lines = [group.outcome.strip()]
    deliverables = list(group.deliverables.select_related("item"))
    if deliverables:
        lines += ["", f"## {_('Deliverables')}", ""]
        for deliverable in deliverables:
            address = (
                deliverable.item.get_absolute_url()
                if deliverable.item is not None
                else deliverable.url
            )
            lines.append(f"- [{deliverable.title}](<{address}>)")
    body = "\n".join(lines) + "\n"
    item = KnowledgeItem.objects.create(
        kind=KnowledgeItem.Kind.ACTION_GROUP_OUTCOME,
        title=_("Outcome: %(title)s") % {"title": exchange.title},
        summary=summary,
        body=body,
        body_html=render_markdown(body),
        community=exchange.community,
        created_by=actor,
        source_exchange=exchange,
    )
    item.contributors.set(User.objects.filter(pk__in=group.members.values("user_id")))
    return item
