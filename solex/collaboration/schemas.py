"""What the API reads and writes about action groups, their tasks and deliverables."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator

Text = Annotated[str, AfterValidator(str.strip)]
GroupKindValue = Literal["action_group", "task_team"]
TaskStatusValue = Literal["todo", "doing", "done"]
Username = Annotated[str, Field(max_length=150)]


class PersonRef(Schema):
    username: str
    name: str


class GroupOut(Schema):
    id: int = Field(description="The group's id (its exchange's id).")
    community: str = Field(description="The community's slug.")
    kind: GroupKindValue
    title: str
    status: Literal["open", "closed"]
    source: int | None = Field(description="The exchange the group was started from.")
    lead: PersonRef | None
    starts_on: date
    ends_on: date


class TaskOut(Schema):
    id: int
    title: str
    owner: PersonRef | None
    due_on: date | None
    status: TaskStatusValue
    completed_at: datetime | None


class DeliverableOut(Schema):
    id: int
    title: str
    item: int | None = Field(description="The knowledge item it links to.")
    url: str = Field(description="The address, or the knowledge item's page.")


class GroupDetailOut(GroupOut):
    purpose: str = Field(description="Markdown, as written.")
    purpose_html: str
    members: list[PersonRef]
    tasks: list[TaskOut]
    deliverables: list[DeliverableOut]
    outcome: str
    outcome_item: int | None = Field(description="The outcome's knowledge item, if published.")
    can_work: bool
    can_manage: bool


class GroupIn(Schema):
    kind: GroupKindValue = "action_group"
    title: Text = Field(max_length=200)
    purpose: Text = Field(max_length=10_000, description="Markdown.")
    starts_on: date
    ends_on: date
    members: list[Username] = Field(
        default_factory=list, max_length=100, description="Usernames of community members."
    )


class MembersIn(Schema):
    members: list[Username] = Field(min_length=1, max_length=100)


class TaskIn(Schema):
    title: Text = Field(max_length=200)
    owner: str | None = Field(None, max_length=150, description="A group member's username.")
    due_on: date | None = None


class TaskPatch(Schema):
    title: Text | None = Field(None, max_length=200)
    owner: str | None = Field(None, max_length=150, description='"" to leave it unassigned.')
    due_on: date | None = None
    status: TaskStatusValue | None = None


class DeliverableIn(Schema):
    title: Text = Field("", max_length=200, description="Defaults to the item's title.")
    item: int | None = Field(None, ge=1, description="A knowledge item's id.")
    url: str = Field("", max_length=500)


class ActionGroupCloseIn(Schema):
    outcome: str = Field(min_length=1, max_length=20_000, pattern=r"\S", description="Markdown.")
    publish: bool = Field(False, description="Also publish the outcome in the library.")
    summary: str = Field("", max_length=500, description="Needed when publishing.")
