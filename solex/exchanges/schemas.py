"""What the API reads and writes about exchanges, replies, expert suggestions and routing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator

Text = Annotated[str, AfterValidator(str.strip)]

KindValue = Literal["query", "consultation", "discussion", "collaboration"]
StatusValue = Literal["triage", "open", "closed"]
CloseReasonValue = Literal[
    "consolidated", "answered", "withdrawn", "duplicate", "handed_off", "completed", "library"
]


class ExchangeQuery(Schema):
    community: str = Field("", max_length=80, description="A community's slug.")
    kind: KindValue | Literal[""] = ""
    status: StatusValue | Literal[""] = ""
    topic: str = Field("", max_length=140, description="A topic's slug.")


class PersonRef(Schema):
    username: str
    name: str


class ExchangeOut(Schema):
    id: int
    community: str = Field(description="The community's slug.")
    kind: KindValue
    title: str
    status: StatusValue
    author: PersonRef | None = Field(description="None when anonymised or erased.")
    reply_count: int
    is_direct_connect: bool
    created_at: datetime
    last_activity_at: datetime


class AttachmentOut(Schema):
    id: int
    reply: int | None = Field(description="The reply it is attached to; None: the query.")
    name: str
    content_type: str = Field(description="Detected from the content, not the name.")
    size: int = Field(description="In bytes.")
    url: str = Field(description="Where the API downloads it.")
    created_at: datetime


class ExchangePage(Schema):
    count: int = Field(
        description="How many exchanges match: exact up to 10,100 (the deepest page "
        "reachable); beyond that it says 10,100 and count_is_exact is false."
    )
    count_is_exact: bool
    limit: int
    offset: int
    items: list[ExchangeOut]


class ExchangeDetailOut(ExchangeOut):
    body: str = Field(description="Markdown, as written.")
    body_html: str = Field(description="Sanitised HTML rendered from body.")
    context: str
    country: str
    topics: list[str] = Field(description="Topic slugs.")
    needed_by: date | None
    close_reason: CloseReasonValue | Literal[""]
    close_note: str
    moved_to: int | None
    is_locked: bool
    locked_reason: str
    routed_at: datetime | None
    first_reply_at: datetime | None
    can_reply: bool
    can_triage: bool
    attachments: list[AttachmentOut] = Field(description="Files on the query itself.")


class AskIn(Schema):
    community: str = Field(max_length=80, description="The community's slug.")
    title: Text = Field(max_length=200)
    body: Text = Field(max_length=20_000, description="The question, in Markdown.")
    context: Text = Field("", max_length=10_000)
    country: str = Field("", max_length=2, description="ISO 3166 code, e.g. KE.")
    needed_by: date | None = None
    topics: list[str] = Field(default_factory=list, max_length=20, description="Topic slugs.")
    direct_connect: bool = Field(False, description="Ask the facilitators privately.")


class ReplyIn(Schema):
    body: Text = Field(max_length=20_000, description="Markdown.")
    parent: int | None = Field(None, ge=1, description="The reply this one answers.")
    paragraph: int | None = Field(None, ge=1, description="The paragraph of a draft it is about.")


class ReplyOut(Schema):
    id: int
    exchange: int
    author: PersonRef | None
    body: str
    body_html: str
    parent: int | None
    paragraph: int | None
    created_at: datetime
    edited_at: datetime | None
    helpful_count: int
    is_hidden: bool
    hidden_reason: str
    attachments: list[AttachmentOut] = Field(
        default_factory=list, description="Files on this reply (none while it is hidden)."
    )


class SuggestionOut(Schema):
    person: PersonRef
    score: float
    reasons: list[str]


class RouteIn(Schema):
    experts: list[str] = Field(min_length=1, max_length=20, description="Usernames to ask.")
    reasons: dict[str, str] = Field(
        default_factory=dict, description="Why each was chosen, by username (optional)."
    )


class ExpertRequestOut(Schema):
    expert: PersonRef
    reason: str
    requested_at: datetime
    answered_at: datetime | None


class ExchangeCloseIn(Schema):
    reason: CloseReasonValue
    note: Text = Field("", max_length=2000)
    moved_to: int | None = Field(None, ge=1, description="The exchange it continues in.")
