"""Factories for tests: exchanges and replies written directly, in any state.

No permission checks and no history: the behaviour under test always goes through
``actions.py``.
"""

from __future__ import annotations

import itertools
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from solex.accounts.models import User
from solex.communities.models import Community
from solex.core import files
from solex.core.markdown import render_markdown
from solex.exchanges.models import Attachment, Exchange, Kind, Reply, Status

_sequence = itertools.count(1)


def make_exchange(
    community: Community,
    *,
    author: User | None = None,
    title: str | None = None,
    body: str = "What has worked for you?",
    topics: Any = (),
    **fields: Any,
) -> Exchange:
    fields.setdefault("kind", Kind.QUERY)
    fields.setdefault("status", Status.OPEN)
    exchange = Exchange.objects.create(
        community=community,
        author=author,
        title=title or f"Question {next(_sequence)}",
        body=body,
        body_html=render_markdown(body),
        **fields,
    )
    if topics:
        exchange.topics.set(list(topics))
    return exchange


def make_reply(
    exchange: Exchange, author: User, body: str = "Here is what we did.", **fields: Any
) -> Reply:
    reply = Reply.objects.create(
        exchange=exchange, author=author, body=body, body_html=render_markdown(body), **fields
    )
    Exchange.objects.filter(pk=exchange.pk).update(
        reply_count=exchange.replies.count(), last_activity_at=timezone.now()
    )
    return reply


def make_attachment(
    exchange: Exchange,
    *,
    reply: Reply | None = None,
    name: str = "notes.txt",
    data: bytes = b"Notes from the field visit.",
    uploaded_by: User | None = None,
) -> Attachment:
    """A file on a query (or a reply), checked and stored as an upload would be."""
    stored = files.accept_upload(SimpleUploadedFile(name, data))
    return Attachment.objects.create(
        exchange=exchange, reply=reply, file=stored, uploaded_by=uploaded_by
    )
