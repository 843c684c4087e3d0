"""Typed shapes of the knowledge API."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from ninja import Field, Schema

KindName = Literal[
    "good_practice",
    "lesson_learned",
    "case_study",
    "how_to",
    "practice_note",
    "meeting_report",
    "publication",
    "km_approach",
]
AudienceName = Literal["community", "organisation", "public"]


class ContributorOut(Schema):
    username: str
    name: str


class ItemOut(Schema):
    id: int
    kind: str
    title: str
    summary: str
    community: str = Field(description="The community's web address (slug).")
    audience: str
    status: str
    language: str
    countries: list[str]
    regions: list[str]
    topics: list[str]
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime | None
    review_due: datetime.date | None
    last_reviewed_at: datetime.datetime | None
    url: str


class ItemAttachmentOut(Schema):
    id: int
    name: str
    size: int | None
    text_status: str = Field(description='"extracted", "pending" or "not extracted".')
    refusal: str
    download_url: str | None


class ItemDetailOut(ItemOut):
    body: str
    body_html: str
    fields: dict[str, Any] = Field(
        description="The kind's structured fields by name (a KM approach's methods under 'methods')."
    )
    contributors: list[ContributorOut]
    owner: ContributorOut | None
    source_exchange: int | None
    view_count: int
    download_count: int
    useful_yes: int
    useful_no: int
    reuse: int = Field(description="Links to the item from replies and other items.")
    attachments: list[ItemAttachmentOut]
    can_edit: bool
    can_review: bool


class MethodIn(Schema):
    name: str = Field(max_length=120)
    when: str = Field("", max_length=2000)
    contact: str = Field("", max_length=500)


class ItemIn(Schema):
    community: str = Field(max_length=80, description="The community's web address (slug).")
    kind: KindName
    title: str = Field(max_length=200)
    summary: str = Field(max_length=500)
    body: str = Field("", max_length=100_000, description="Markdown.")
    fields: dict[str, str] = Field(
        default_factory=dict, description="The kind's structured fields by name."
    )
    methods: list[MethodIn] = Field(default_factory=list, max_length=8)
    topics: list[str] = Field(default_factory=list, max_length=20, description="Topic slugs.")
    countries: list[str] = Field(default_factory=list, max_length=50)
    regions: list[str] = Field(default_factory=list, max_length=20)
    language: str = Field("", max_length=10)
    audience: AudienceName = "community"
    review_due: datetime.date | None = None


class ItemUpdateIn(Schema):
    """Only the fields sent change; the rest stay as they are. Each update is a new version."""

    title: str | None = Field(None, max_length=200)
    summary: str | None = Field(None, max_length=500)
    body: str | None = Field(None, max_length=100_000)
    fields: dict[str, str] | None = None
    methods: list[MethodIn] | None = Field(None, max_length=8)
    topics: list[str] | None = Field(None, max_length=20)
    countries: list[str] | None = Field(None, max_length=50)
    regions: list[str] | None = Field(None, max_length=20)
    language: str | None = Field(None, max_length=10)
    audience: AudienceName | None = None
    review_due: datetime.date | None = None


class ItemQuery(Schema):
    q: str = Field("", max_length=200, description="Words in the title or summary.")
    kind: str = Field("", max_length=30)
    community: str = Field("", max_length=80)
    topic: str = Field("", max_length=140)
    country: str = Field("", max_length=2)
    language: str = Field("", max_length=10)
    audience: str = Field("", max_length=20)
    archived: bool = Field(False, description="Include archived items.")


class ItemVersionOut(Schema):
    number: int
    title: str
    summary: str
    body: str
    fields: dict[str, Any]
    written_by: ContributorOut | None
    written_at: datetime.datetime
    replaced_at: datetime.datetime


class UsefulIn(Schema):
    useful: bool


class UsefulOut(Schema):
    useful_yes: int
    useful_no: int
    mine: bool


class ReviewIn(Schema):
    action: Literal["confirm", "archive"]
    next_review: datetime.date | None = Field(
        None, description="When confirming: the next review date (a year from now by default)."
    )
