"""The demo's knowledge library: every kind, every state, audiences that never leak."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from solex.demo.build import build_demo
from solex.knowledge import kinds, queries
from solex.knowledge.models import Audience, Handover, ItemVersion, KnowledgeItem, LessonLearned

pytestmark = pytest.mark.django_db


def test_the_demo_library_has_every_kind_and_state() -> None:
    build_demo(stderr=io.StringIO(), scale={"members": 120, "posts": 300})
    items = KnowledgeItem.objects.exclude(kind=KnowledgeItem.Kind.CONSOLIDATED_REPLY)
    present = set(items.values_list("kind", flat=True))
    assert set(kinds.CONTRIBUTED) | {KnowledgeItem.Kind.HANDOVER} <= present
    # Public items only in public communities; every lesson has its structured part.
    assert not items.filter(audience=Audience.PUBLIC).exclude(community__visibility="public")
    assert KnowledgeItem.objects.public().exists()
    assert items.filter(audience=Audience.ORGANISATION).exists()
    lessons = items.filter(kind=KnowledgeItem.Kind.LESSON_LEARNED)
    assert LessonLearned.objects.filter(item__in=lessons).count() == lessons.count()
    # Freshness: some overdue, some reviewed, one archived.
    assert items.filter(queries.overdue_condition(timezone.localdate())).exists()
    assert items.filter(last_reviewed_at__isnull=False).exists()
    assert items.filter(status=KnowledgeItem.Status.ARCHIVED).count() == 1
    assert ItemVersion.objects.exists()
    assert items.filter(useful_yes__gt=0).exists()
    km = items.get(kind=KnowledgeItem.Kind.KM_APPROACH)
    assert len(km.details["methods"]) >= 3
    assert set(Handover.objects.values_list("status", flat=True)) == {"draft", "published"}
