"""Demo step "consolidated replies": the library's syntheses of answered queries.

The most recently closed queries answered by a consolidated reply (at most
``LIMIT`` of them) get a published knowledge item, drafted by the same offline
method the facilitator's editor uses, crediting every respondent, with the draft it
was edited from and the minutes the facilitator spent. Drafting reads each query's
replies, so the step is bounded by ``LIMIT`` rather than by ``--posts``: every other
consolidated query keeps its replies in full and closes as it did.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser

from solex.core.markdown import render_markdown
from solex.demo.context import DemoContext
from solex.exchanges.models import CloseReason, Exchange, Kind
from solex.knowledge.consolidated import drafting
from solex.knowledge.models import ConsolidatedReply, ConsolidatedReplyDraft, KnowledgeItem

#: Consolidated replies to publish, the most recent first.
LIMIT = 120


def build_consolidated_replies(ctx: DemoContext) -> None:
    rng = ctx.random("consolidated-replies")
    exchanges = list(
        Exchange.objects.filter(
            kind=Kind.QUERY,
            close_reason=CloseReason.CONSOLIDATED,
            is_direct_connect=False,
            reply_count__gte=2,
        )
        .select_related("author", "author__organization", "community", "closed_by")
        .order_by("-closed_at", "pk")[:LIMIT]
    )
    progress = ctx.progress("consolidated", len(exchanges))
    items: list[KnowledgeItem] = []
    contributors: list[list[int]] = []
    counts: list[int] = []
    for exchange in exchanges:
        draft = drafting.compose_draft(exchange, viewer=exchange.closed_by or AnonymousUser())
        replies = list(drafting.shown_replies(exchange))
        items.append(
            KnowledgeItem(
                kind=KnowledgeItem.Kind.CONSOLIDATED_REPLY,
                title=draft.title,
                summary=draft.summary or exchange.title,
                body=draft.body,
                body_html=render_markdown(draft.body),
                community=exchange.community,
                created_by=exchange.closed_by,
                created_at=exchange.closed_at or exchange.last_activity_at,
                source_exchange=exchange,
            )
        )
        contributors.append(
            list(dict.fromkeys(r.author_id for r in replies if r.author_id is not None))
        )
        counts.append(len(replies))
        progress.advance()
    KnowledgeItem.objects.bulk_create(items)
    through = KnowledgeItem.contributors.through
    through.objects.bulk_create(
        through(knowledgeitem_id=item.pk, user_id=user)
        for item, people in zip(items, contributors, strict=True)
        for user in people
    )
    # Facilitators spend 20 minutes to two hours on one, starting from the draft.
    seconds = [rng.randint(20 * 60, 120 * 60) for _ in items]
    ConsolidatedReply.objects.bulk_create(
        ConsolidatedReply(item=item, facilitator_seconds=spent, reply_count=count)
        for item, spent, count in zip(items, seconds, counts, strict=True)
    )
    ConsolidatedReplyDraft.objects.bulk_create(
        ConsolidatedReplyDraft(
            exchange=item.source_exchange,
            title=item.title,
            summary=item.summary,
            body=item.body,
            version=1 + spent // 1800,
            opened_at=item.created_at - timedelta(seconds=spent),
            seconds_spent=spent,
            created_by=item.created_by,
            updated_by=item.created_by,
            updated_at=item.created_at,
            published_item=item,
        )
        for item, spent in zip(items, seconds, strict=True)
    )
    progress.finish()
