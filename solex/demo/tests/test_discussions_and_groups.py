"""The demo's discussions and action groups come in every state, with their own rows."""

from __future__ import annotations

import io

import pytest
from django.db.models import F
from django.test import Client

from solex.collaboration.models import ActionGroup, Task
from solex.demo.build import build_demo
from solex.discussions.models import Discussion, FramingQuestion, Summary, SynthesisDraft
from solex.exchanges.models import Exchange, Kind, Reply, Status
from solex.knowledge.models import KnowledgeItem

pytestmark = pytest.mark.django_db


def test_every_discussion_and_group_is_complete_and_every_state_is_there() -> None:
    build_demo(stderr=io.StringIO(), scale={"members": 120, "posts": 3000})

    discussions = Exchange.objects.filter(kind=Kind.DISCUSSION)
    assert Discussion.objects.count() == discussions.count() > 0
    assert not discussions.exclude(pk__in=FramingQuestion.objects.values("discussion_id")).exists()
    assert Summary.objects.exists()
    assert Reply.objects.filter(exchange__kind=Kind.DISCUSSION, paragraph__isnull=False).exists()
    published = SynthesisDraft.objects.filter(published_item__isnull=False)
    waiting = SynthesisDraft.objects.filter(published_item__isnull=True)
    assert published.exists() and waiting.exists()
    for draft in published.select_related("published_item"):
        item = draft.published_item
        assert item is not None and item.kind == KnowledgeItem.Kind.DISCUSSION_SYNTHESIS
        assert "#post-" in item.body
    assert discussions.filter(status=Status.OPEN).exists()
    assert discussions.filter(status=Status.CLOSED).exists()

    groups = Exchange.objects.filter(kind=Kind.COLLABORATION)
    assert ActionGroup.objects.count() == groups.count() > 0
    assert ActionGroup.objects.filter(source__isnull=False).exists()
    assert ActionGroup.objects.filter(outcome_item__isnull=False).exists()
    assert not Task.objects.filter(
        group__exchange__status=Status.CLOSED, status__in=[Task.Status.TODO, Task.Status.DOING]
    ).exists()
    assert not Task.objects.filter(due_on__lt=F("group__starts_on")).exists()

    open_group = ActionGroup.objects.select_related("exchange__author").filter(
        exchange__status=Status.OPEN
    )[0]
    closed_discussion = discussions.select_related("author").filter(status=Status.CLOSED)[0]
    client = Client()
    for exchange in (open_group.exchange, closed_discussion):
        assert exchange.author is not None
        client.force_login(exchange.author)
        assert client.get(exchange.get_absolute_url()).status_code == 200
