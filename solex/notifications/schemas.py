"""What the API says about notifications."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class NotificationOut(Schema):
    id: int
    kind: str = Field(description='What happened, as a machine name (e.g. "exchange.reply").')
    text: str = Field(description="What happened, in the reader's language.")
    target_url: str = Field(description="The page it is about.")
    target_label: str = Field(description="The name of what it is about.")
    count: int = Field(description="How many events this notification stands for.")
    created_at: datetime
    updated_at: datetime = Field(description="When the latest event happened.")
    read_at: datetime | None = Field(description="When it was marked read; null while unread.")


class NotificationQuery(Schema):
    unread: bool = Field(False, description="Only the unread notifications.")


class MarkedOut(Schema):
    marked: int = Field(description="How many notifications were marked read.")
