"""What the API reads and writes about consultations, their versions, comments and summary."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator

from solex.consultations.actions import (
    MAX_COMMENT,
    MAX_DRAFT,
    MAX_NOTE,
    MAX_PURPOSE,
    MAX_REASON,
    MAX_SUMMARY,
    MAX_SUMMARY_BODY,
    MAX_SUMMARY_TITLE,
)
from solex.core.api.params import MAX_ID
from solex.exchanges.actions import MAX_TITLE

Text = Annotated[str, AfterValidator(str.strip)]
ResponseValue = Literal["taken_up", "partly", "not_taken_up"]


class PersonRef(Schema):
    username: str
    name: str


class StartIn(Schema):
    community: str = Field(max_length=80, description="The community's slug.")
    title: Text = Field(max_length=MAX_TITLE)
    purpose: Text = Field(max_length=MAX_PURPOSE, description="What the draft is for.")
    body: str = Field(
        max_length=MAX_DRAFT,
        description="The draft, Markdown; blocks between blank lines become numbered paragraphs.",
    )
    closes_at: datetime = Field(description="The deadline for comments; must be in the future.")
    topics: list[str] = Field(default_factory=list, max_length=20, description="Topic slugs.")


class ParagraphOut(Schema):
    number: int | None = Field(description="None for a heading, which takes no comments.")
    text: str = Field(description="Markdown.")
    html: str = Field(description="Sanitised HTML.")
    comment_count: int = Field(description="Shown comments on this paragraph of this version.")


class DraftVersionOut(Schema):
    number: int
    note: str = Field(description="What changed, in the owner's words.")
    created_at: datetime
    created_by: PersonRef | None
    paragraphs: list[ParagraphOut]


class ConsultationOut(Schema):
    id: int
    community: str = Field(description="The community's slug.")
    title: str
    purpose: str = Field(description="Markdown.")
    status: Literal["open", "closed"]
    owner: PersonRef | None
    closes_at: datetime | None
    created_at: datetime
    comment_count: int
    current_version: int
    versions: list[DraftVersionOut] = Field(description="Every version, oldest first.")
    summary_url: str | None = Field(
        description="Where the published feedback summary is read; None until published."
    )
    can_comment: bool
    can_manage: bool = Field(description="The caller is the owner or a facilitator.")


class CommentIn(Schema):
    body: Text = Field(max_length=MAX_COMMENT, description="Markdown.")
    paragraph: int | None = Field(
        None, ge=1, le=MAX_ID, description="The paragraph's number; none for the whole draft."
    )
    version: int | None = Field(
        None, ge=1, le=MAX_ID, description="The version commented on; the current one by default."
    )
    parent: int | None = Field(None, ge=1, le=MAX_ID, description="The comment this one answers.")


class CommentOut(Schema):
    id: int
    author: PersonRef | None
    body: str = Field(description="Empty when a facilitator hid the comment.")
    body_html: str
    paragraph: int | None
    version: int
    parent: int | None
    created_at: datetime
    is_hidden: bool
    response: ResponseValue | Literal[""] = Field(
        description="What became of it; empty until answered."
    )
    reason: str


class VersionIn(Schema):
    body: str = Field(max_length=MAX_DRAFT, description="The new draft, Markdown.")
    note: Text = Field("", max_length=MAX_NOTE, description="What changed.")


class ResponseIn(Schema):
    response: ResponseValue
    reason: Text = Field(
        "", max_length=MAX_REASON, description="Why; required unless it was taken up."
    )


class ConsultationCloseIn(Schema):
    note: Text = Field("", max_length=2000)


class FeedbackSummaryIn(Schema):
    version: int = Field(ge=1, le=MAX_ID, description="The draft version this text was written on.")
    title: Text = Field("", max_length=MAX_SUMMARY_TITLE)
    summary: Text = Field("", max_length=MAX_SUMMARY)
    body: str = Field("", max_length=MAX_SUMMARY_BODY, description="Markdown.")


class FeedbackSummaryPublishIn(Schema):
    """Publishing needs every part: the library shows the title and summary first."""

    version: int = Field(ge=1, le=MAX_ID, description="The draft version this text was written on.")
    title: Text = Field(min_length=1, max_length=MAX_SUMMARY_TITLE, pattern=r"\S")
    summary: Text = Field(min_length=1, max_length=MAX_SUMMARY, pattern=r"\S")
    body: str = Field(
        min_length=1, max_length=MAX_SUMMARY_BODY, pattern=r"\S", description="Markdown."
    )


class FeedbackSummaryOut(Schema):
    consultation: int
    version: int = Field(description="Send it back with a save: a newer one means a conflict.")
    title: str
    summary: str
    body: str
    updated_at: datetime
    updated_by: PersonRef | None
    published_item: int | None = Field(description="The knowledge item, once published.")


class FeedbackSummaryPublishedOut(Schema):
    item: int = Field(description="The knowledge item's id.")
    url: str = Field(description="The feedback summary page, with what became of each comment.")
    contributors: int = Field(description="How many contributors were credited and told.")
