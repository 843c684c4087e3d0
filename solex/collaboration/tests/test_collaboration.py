"""Action groups: spawning from an exchange, members, tasks, deliverables, closing, pages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.collaboration import actions, queries
from solex.collaboration.models import ActionGroup, Deliverable, GroupMember, Task
from solex.communities.models import Community, Role
from solex.communities.testing import add_member, make_community
from solex.exchanges.models import Exchange, Status
from solex.exchanges.testing import make_exchange
from solex.knowledge.models import KnowledgeItem
from solex.notifications.models import Notification

pytestmark = pytest.mark.django_db


@dataclass
class Setting:
    community: Community
    query: Exchange
    lead: User
    ana: User
    ben: User
    outsider: User


@pytest.fixture
def setting() -> Setting:
    community = make_community("Social Protection Network", slug="sp-net", visibility="public")
    lead, ana, ben = make_staff("lead"), make_staff("ana"), make_staff("ben")
    for person in (lead, ana, ben):
        add_member(community, person)
    query = make_exchange(community, author=ana, title="Shock-responsive cash in the Sahel?")
    return Setting(community, query, lead, ana, ben, make_staff("outsider"))


def _start(s: Setting, **overrides: object) -> ActionGroup:
    today = timezone.localdate()
    fields: dict[str, object] = {
        "actor": s.lead,
        "title": "Sahel cash task team",
        "purpose": "Write a guidance note on shock-responsive cash.",
        "starts_on": today,
        "ends_on": today + datetime.timedelta(days=60),
        "members": [s.ana],
    }
    fields.update(overrides)
    return actions.start_group(s.query, **fields)  # type: ignore[arg-type]


def test_any_exchange_spawns_a_group_led_by_its_starter(setting: Setting) -> None:
    group = _start(setting)
    assert group.exchange.kind == "collaboration"
    assert group.source == setting.query
    assert group.exchange.community == setting.community
    members = set(GroupMember.objects.filter(group=group).values_list("user__username", flat=True))
    assert members == {"lead", "ana"}
    added = Notification.objects.get(kind="collaboration.member_added")
    assert added.recipient == setting.ana


def test_adding_a_non_member_of_the_community_is_refused(setting: Setting) -> None:
    with pytest.raises(ValidationError) as refused:
        _start(setting, members=[setting.ana, setting.outsider])
    assert "Outsider" in " ".join(refused.value.message_dict["members"])
    assert not ActionGroup.objects.exists()
    group = _start(setting)
    with pytest.raises(ValidationError):
        actions.add_members(group, actor=setting.lead, people=[setting.outsider])
    assert group.members.count() == 2


@pytest.mark.parametrize(("starts", "ends", "field"), [(-1, 10, "starts_on"), (10, 5, "ends_on")])
def test_bad_group_dates_are_refused(setting: Setting, starts: int, ends: int, field: str) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        _start(
            setting,
            starts_on=today + datetime.timedelta(days=starts),
            ends_on=today + datetime.timedelta(days=ends),
        )
    assert field in refused.value.message_dict


def test_outsiders_cannot_spawn_groups(setting: Setting) -> None:
    with pytest.raises(PermissionDenied):
        _start(setting, actor=setting.outsider, members=[])


def test_tasks_are_assigned_to_members_who_are_told(setting: Setting) -> None:
    group = _start(setting)
    due = group.starts_on + datetime.timedelta(days=7)
    task = actions.add_task(
        group, actor=setting.lead, title="Draft outline", owner=setting.ana, due_on=due
    )
    told = Notification.objects.get(kind="collaboration.task_assigned")
    assert told.recipient == setting.ana and "Draft outline" in told.text
    # Any group member moves it along.
    actions.set_task_status(task, actor=setting.ana, status=Task.Status.DONE)
    task.refresh_from_db()
    assert task.status == Task.Status.DONE and task.completed_at is not None


def test_a_task_due_before_the_group_starts_is_refused(setting: Setting) -> None:
    today = timezone.localdate()
    group = _start(setting, starts_on=today + datetime.timedelta(days=10))
    with pytest.raises(ValidationError) as refused:
        actions.add_task(group, actor=setting.lead, title="Too early", due_on=today)
    assert "before the group starts" in " ".join(refused.value.message_dict["due_on"])
    assert not Task.objects.exists()


def test_tasks_go_to_group_members_only_and_are_edited_by_them_only(setting: Setting) -> None:
    group = _start(setting)
    with pytest.raises(ValidationError) as refused:
        actions.add_task(group, actor=setting.lead, title="Review", owner=setting.ben)
    assert "not a member of the group" in " ".join(refused.value.message_dict["owner"])
    with pytest.raises(PermissionDenied):
        actions.add_task(group, actor=setting.ben, title="Sneak in")


def test_deliverables_link_library_items_or_addresses(setting: Setting) -> None:
    group = _start(setting)
    item = KnowledgeItem.objects.create(
        kind=KnowledgeItem.Kind.GOOD_PRACTICE,
        title="Cash before the lean season",
        summary="s",
        community=setting.community,
    )
    linked = actions.add_deliverable(group, actor=setting.ana, title="", item=item)
    assert linked.title == "Cash before the lean season"
    with pytest.raises(ValidationError):
        actions.add_deliverable(group, actor=setting.ana, title="Nothing", url="")
    with pytest.raises(ValidationError):
        actions.add_deliverable(group, actor=setting.ana, title="Bad", url="javascript:alert(1)")
    assert Deliverable.objects.count() == 1


def test_closing_records_the_outcome_and_can_publish_it(setting: Setting) -> None:
    group = _start(setting)
    actions.close_group(
        group,
        actor=setting.lead,
        outcome="The guidance note was adopted by three country offices.",
        publish=True,
        summary="Guidance on shock-responsive cash, adopted in three countries.",
    )
    group.refresh_from_db()
    assert Exchange.objects.get(pk=group.pk).status == Status.CLOSED
    item = group.outcome_item
    assert item is not None and item.kind == KnowledgeItem.Kind.ACTION_GROUP_OUTCOME
    assert set(item.contributors.values_list("username", flat=True)) == {"lead", "ana"}
    closed = Notification.objects.get(kind="collaboration.closed")
    assert closed.recipient == setting.ana
    with pytest.raises(ValidationError):
        actions.add_task(group, actor=setting.lead, title="After the end")


def test_closing_needs_an_outcome(setting: Setting) -> None:
    group = _start(setting)
    with pytest.raises(ValidationError):
        actions.close_group(group, actor=setting.lead, outcome="  ")
    assert Exchange.objects.get(pk=group.pk).status == Status.OPEN


def test_task_form_keeps_the_text_when_the_date_is_refused(setting: Setting) -> None:
    today = timezone.localdate()
    group = _start(setting, starts_on=today + datetime.timedelta(days=5))
    client = Client()
    client.force_login(setting.ana)
    response = client.post(
        reverse("collaboration:task-add", args=[group.pk]),
        {"title": "Interview ten households", "owner": "", "due_on": today.isoformat()},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Interview ten households" in page and "before the group starts" in page


def test_members_only_groups_stay_hidden(setting: Setting) -> None:
    safe = make_community("Safe Space", slug="safe", visibility="members")
    add_member(safe, setting.lead)
    query = make_exchange(safe, author=setting.lead, title="Private matter")
    group = actions.start_group(
        query,
        actor=setting.lead,
        title="Private group",
        purpose="p",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
    )
    client = Client()
    client.force_login(setting.outsider)
    assert client.get(group.exchange.get_absolute_url()).status_code == 404
    assert "Private group" not in client.get("/api/v1/action-groups/").content.decode()


def test_a_collaboration_exchange_made_elsewhere_still_works(setting: Setting) -> None:
    """A hand-off's copy or older data has no ActionGroup row: the page and tasks work."""
    moderator = make_staff("moderator")
    add_member(setting.community, moderator, Role.FACILITATOR)
    exchange = make_exchange(setting.community, author=moderator, kind="collaboration")
    assert Client().get(exchange.get_absolute_url()).status_code == 200
    group = queries.group_for(moderator, exchange.pk)
    actions.add_task(group, actor=moderator, title="Pick up the work")
    assert ActionGroup.objects.filter(pk=exchange.pk).exists()
