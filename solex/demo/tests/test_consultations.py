"""The demo's consultations: every state, every comment recorded, answers and summaries."""

from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone

from solex.consultations.models import CommentRecord, DraftVersion, SummaryDraft
from solex.demo.build import build_demo
from solex.exchanges.models import Exchange, Kind, Reply, Status
from solex.knowledge.models import KnowledgeItem

pytestmark = pytest.mark.django_db


def test_the_demo_has_consultations_in_every_state() -> None:
    build_demo(stderr=io.StringIO(), scale={"members": 120, "posts": 1500})
    consultations = Exchange.objects.filter(kind=Kind.CONSULTATION)
    assert consultations.exists()
    # Every consultation has its first version, every comment its record.
    assert DraftVersion.objects.filter(number=1).count() == consultations.count()
    assert (
        CommentRecord.objects.count()
        == Reply.objects.filter(exchange__kind=Kind.CONSULTATION).count()
    )
    assert CommentRecord.objects.exclude(response="").exists()
    now = timezone.now()
    open_ones = consultations.filter(status=Status.OPEN)
    assert open_ones.filter(
        closes_at__gt=now, closes_at__lte=now + datetime.timedelta(days=2)
    ).exists()
    assert open_ones.filter(closes_at__gt=now + datetime.timedelta(days=2)).exists()
    published = SummaryDraft.objects.filter(published_item__isnull=False)
    assert published.exists()
    assert SummaryDraft.objects.filter(published_item__isnull=True).exists()
    item = KnowledgeItem.objects.filter(kind=KnowledgeItem.Kind.CONSULTATION_SUMMARY).first()
    assert item is not None and "You said, we did" in item.body
    # The showcases: the policy on its second version, the strategy published and answered.
    policy = consultations.get(title="Draft national social protection policy")
    assert DraftVersion.objects.filter(exchange=policy).count() == 2
    strategy = consultations.get(title="Draft regional strategy for climate-resilient agriculture")
    assert strategy.status == Status.CLOSED
    assert not CommentRecord.objects.filter(exchange=strategy, response="").exists()
    # The pages of a public community's consultation answer, whatever the state.
    public = consultations.filter(community__visibility="public")
    for exchange in public[:5]:
        assert Client().get(exchange.get_absolute_url()).status_code == 200
