"""Test factories for the knowledge library."""

from __future__ import annotations

import itertools
from typing import Any

from solex.accounts.models import User
from solex.communities.models import Community
from solex.core.markdown import render_markdown
from solex.knowledge.models import KnowledgeItem, LessonLearned

_sequence = itertools.count(1)


def make_item(
    community: Community,
    *,
    kind: str = KnowledgeItem.Kind.GOOD_PRACTICE,
    title: str | None = None,
    summary: str = "What worked, in short.",
    body: str = "",
    author: User | None = None,
    topics: Any = (),
    **fields: Any,
) -> KnowledgeItem:
    """An item as the library would hold it; a lesson gets its ``LessonLearned`` too."""
    if kind == KnowledgeItem.Kind.GOOD_PRACTICE:
        fields.setdefault(
            "details",
            {"problem": "p", "approach": "a", "results": "r", "conditions": "c", "contacts": ""},
        )
    item = KnowledgeItem.objects.create(
        kind=kind,
        title=title or f"Item {next(_sequence)}",
        summary=summary,
        body=body,
        body_html=render_markdown(body) if body else "",
        community=community,
        created_by=author,
        owner=author,
        **fields,
    )
    if kind == KnowledgeItem.Kind.LESSON_LEARNED:
        LessonLearned.objects.create(item=item, context="c", what_worked="w", recommendation="r")
    if author is not None:
        item.contributors.add(author)
    if topics:
        item.topics.set(list(topics))
    return item
