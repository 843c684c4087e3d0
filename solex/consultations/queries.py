"""Reads shared by the consultation pages, the API, the summary drafting and the demo."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import F, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from solex.consultations import paragraphs as splitting
from solex.consultations.models import CommentRecord, DraftVersion, SummaryDraft
from solex.exchanges import queries as exchange_queries
from solex.exchanges.models import Exchange, Kind, Reply

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from solex.accounts.models import User
    from solex.communities.models import Community

    AnyUser = User | AnonymousUser


def consultation_for(user: AnyUser, pk: int) -> Exchange:
    """The consultation if this person may see it; 404 otherwise (or for another kind)."""
    exchange = exchange_queries.exchange_for(user, pk)
    if exchange.kind != Kind.CONSULTATION:
        raise Http404(_("No consultation found at this address."))
    return exchange


def community_consultations(user: AnyUser, community: Community) -> QuerySet[Exchange]:
    """A community's consultations (the caller checked the community is visible): open first,
    soonest deadline first, then the closed ones, most recently closed first."""
    return (
        exchange_queries.community_exchanges(user, community)
        .filter(kind=Kind.CONSULTATION)
        .select_related("author")
        .order_by("-status", F("closes_at").asc(nulls_last=True), "-pk")
    )


def versions_of(exchange: Exchange) -> list[DraftVersion]:
    """Every version, oldest first. A consultation without rows reads as version 1 of its body."""
    found = list(
        DraftVersion.objects.filter(exchange=exchange)
        .select_related("created_by", "attachment")
        .order_by("number")
    )
    if found:
        return found
    return [
        DraftVersion(
            exchange=exchange,
            number=1,
            body=exchange.body,
            paragraphs=splitting.split(exchange.body),
            created_by=exchange.author,
            created_at=exchange.created_at,
        )
    ]


def current_version(exchange: Exchange) -> DraftVersion:
    return versions_of(exchange)[-1]


@dataclass
class Comment:
    """A comment as the pages show it: the reply, its version and its answer, its replies."""

    reply: Reply
    version: int
    record: CommentRecord | None
    children: list[Comment] = field(default_factory=list)

    @property
    def field_id(self) -> str:
        """The id of this comment's reply box on the page."""
        return f"reply-{self.reply.pk}"

    @property
    def response(self) -> str:
        return self.record.response if self.record else ""

    @property
    def reason(self) -> str:
        return self.record.reason if self.record else ""


def comments_of(exchange: Exchange) -> list[Comment]:
    """Every comment in order (hidden ones too, the pages fold them), with its record."""
    return with_records(exchange, list(exchange_queries.replies_of(exchange)))


def with_records(exchange: Exchange, replies: list[Reply]) -> list[Comment]:
    """These replies of the consultation (a page of them, say) as comments with their record."""
    records = {
        record.reply_id: record
        for record in CommentRecord.objects.filter(
            exchange=exchange, reply_id__in=[reply.pk for reply in replies]
        ).select_related("responded_by")
    }
    return [
        Comment(
            reply=reply,
            version=records[reply.pk].version if reply.pk in records else 1,
            record=records.get(reply.pk),
        )
        for reply in replies
    ]


def threads(comments: list[Comment]) -> list[Comment]:
    """The top-level comments, each with its replies (at any depth) in ``children``, in order."""
    by_id = {comment.reply.pk: comment for comment in comments}
    roots: list[Comment] = []
    for comment in comments:
        comment.children = []
    for comment in comments:
        parent = by_id.get(comment.reply.parent_id) if comment.reply.parent_id else None
        if parent is None:
            roots.append(comment)
        else:
            parent.children.append(comment)
    return roots


def counts_by_paragraph(comments: list[Comment], version: int) -> Counter[int]:
    """How many shown comments each paragraph of ``version`` has."""
    return Counter(
        comment.reply.paragraph
        for comment in comments
        if comment.reply.paragraph and comment.version == version and not comment.reply.is_hidden
    )


def answerable(exchange: Exchange, comments: list[Comment]) -> list[Comment]:
    """The comments the owner answers: shown, by someone other than the owner."""
    return [
        comment
        for comment in comments
        if not comment.reply.is_hidden and comment.reply.author_id != exchange.author_id
    ]


def summary_draft_of(exchange: Exchange) -> SummaryDraft | None:
    return (
        SummaryDraft.objects.filter(exchange=exchange)
        .select_related("updated_by", "published_item")
        .first()
    )


def published_summary(exchange: Exchange) -> SummaryDraft | None:
    draft = summary_draft_of(exchange)
    return draft if draft is not None and draft.published_item_id is not None else None
