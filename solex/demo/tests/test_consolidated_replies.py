"""The demo's library holds published consolidated replies of answered queries."""

from __future__ import annotations

import io

import pytest

from solex.demo.build import build_demo
from solex.exchanges.models import CloseReason, Reply
from solex.knowledge.models import ConsolidatedReply, ConsolidatedReplyDraft, KnowledgeItem

pytestmark = pytest.mark.django_db


def test_consolidated_queries_have_a_published_reply_crediting_every_respondent() -> None:
    build_demo(stderr=io.StringIO(), scale={"members": 120, "posts": 1500})

    items = KnowledgeItem.objects.filter(kind=KnowledgeItem.Kind.CONSOLIDATED_REPLY).select_related(
        "source_exchange"
    )
    assert items.exists()
    for item in items:
        exchange = item.source_exchange
        assert exchange is not None
        assert exchange.close_reason == CloseReason.CONSOLIDATED
        assert item.community_id == exchange.community_id
        assert item.title and item.summary and item.body_html
        authors = set(Reply.objects.filter(exchange=exchange).values_list("author_id", flat=True))
        assert set(item.contributors.values_list("pk", flat=True)) == authors
        record = ConsolidatedReply.objects.get(item=item)
        assert record.reply_count == exchange.reply_count
        assert record.facilitator_seconds > 0
        draft = ConsolidatedReplyDraft.objects.get(exchange=exchange)
        assert draft.published_item_id == item.pk
        assert draft.seconds_spent == record.facilitator_seconds
