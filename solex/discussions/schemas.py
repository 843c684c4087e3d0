"""What the API reads and writes about discussions, posts, summaries and the synthesis."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator

Text = Annotated[str, AfterValidator(str.strip)]
PhaseValue = Literal["scheduled", "open", "closed"]


class PersonRef(Schema):
    username: str
    name: str


class QuestionOut(Schema):
    number: int
    text: str


class DiscussionOut(Schema):
    id: int = Field(description="The discussion's id (its exchange's id).")
    community: str = Field(description="The community's slug.")
    title: str
    phase: PhaseValue = Field(description="Not open yet, open, or closed.")
    opens_at: datetime | None
    closes_at: datetime | None
    facilitator: PersonRef | None
    post_count: int
    last_activity_at: datetime


class SummaryOut(Schema):
    id: int
    period_start: datetime
    period_end: datetime
    body: str
    body_html: str
    author: PersonRef | None
    created_at: datetime


class DiscussionDetailOut(DiscussionOut):
    purpose: str = Field(description="Markdown, as written.")
    purpose_html: str
    questions: list[QuestionOut]
    invited: list[PersonRef]
    summaries: list[SummaryOut]
    synthesis_item: int | None = Field(description="The published synthesis's knowledge item.")
    can_post: bool
    can_facilitate: bool


class DiscussionIn(Schema):
    community: str = Field(max_length=80, description="The community's slug.")
    title: Text = Field(max_length=200)
    purpose: Text = Field(max_length=10_000, description="Markdown.")
    questions: list[Annotated[str, Field(max_length=500)]] = Field(
        max_length=10, description="The framing questions, numbered in this order."
    )
    opens_at: datetime | None = Field(None, description="Omit to open now.")
    closes_at: datetime
    invited: list[Annotated[str, Field(max_length=150)]] = Field(
        default_factory=list, max_length=200, description="Usernames of community members."
    )


class InviteIn(Schema):
    invited: list[Annotated[str, Field(max_length=150)]] = Field(
        min_length=1, max_length=200, description="Usernames of community members."
    )


class PostIn(Schema):
    body: str = Field(max_length=20_000, description="Markdown.")
    question: int | None = Field(None, ge=1, description="The framing question it answers.")


class PostOut(Schema):
    id: int
    author: PersonRef | None
    body: str
    body_html: str
    question: int | None
    created_at: datetime
    is_hidden: bool


class SummaryDraftOut(Schema):
    period_start: datetime
    period_end: datetime
    body: str = Field(description="Drafted by Solex from the period's posts (Markdown).")


class SummaryIn(Schema):
    body: str = Field(max_length=20_000, description="Markdown.")
    period_start: datetime
    period_end: datetime


class SynthesisOut(Schema):
    title: str
    summary: str
    body: str = Field(description="Markdown.")
    version: int = Field(description="Send it back with a save: a newer save wins nothing.")
    updated_by: PersonRef | None
    updated_at: datetime
    published_item: int | None


class SynthesisIn(Schema):
    version: int = Field(ge=1, description="The version the edit was made on.")
    title: str = Field("", max_length=200)
    summary: str = Field("", max_length=500)
    body: str = Field("", max_length=100_000)


class SynthesisPublishedOut(Schema):
    id: int = Field(description="The knowledge item's id.")
    kind: str
    title: str
    url: str
