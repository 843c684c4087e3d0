"""The facilitator's queue shows the summaries and syntheses a discussion owes."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from solex.discussions import actions
from solex.discussions.tests.test_discussions import Setting, _open, _post_all, setting
from solex.exchanges.models import Exchange
from solex.exchanges.workspace.queries import queue

pytestmark = pytest.mark.django_db
__all__ = ["setting"]  # the fixture, shared with the discussion tests


def _waiting(s: Setting, kind: str) -> list[str]:
    return [item.title for item in queue(s.facilitator).items if item.kind == kind]


def test_a_week_without_a_summary_puts_one_in_the_queue_until_it_is_posted(
    setting: Setting,
) -> None:
    discussion = _open(setting)
    assert _waiting(setting, "discussion_summary_due") == []  # opened just now

    week_ago = timezone.now() - datetime.timedelta(days=8)
    Exchange.objects.filter(pk=discussion.pk).update(opens_at=week_ago)
    assert _waiting(setting, "discussion_summary_due") == [discussion.exchange.title]

    actions.post_summary(
        discussion,
        actor=setting.facilitator,
        body="Early warning by radio reached more people than SMS.",
        period_start=week_ago,
        period_end=timezone.now(),
    )
    assert _waiting(setting, "discussion_summary_due") == []


def test_a_closed_discussion_waits_for_its_synthesis_until_it_is_published(
    setting: Setting,
) -> None:
    discussion = _open(setting)
    _post_all(setting, discussion)
    draft = actions.close_discussion(discussion, actor=setting.facilitator)
    assert _waiting(setting, "discussion_synthesis_due") == [discussion.exchange.title]

    actions.publish_synthesis(
        draft,
        actor=setting.facilitator,
        version=draft.version,
        title=draft.title,
        summary=draft.summary or "What the network learned.",
        body=draft.body,
    )
    assert _waiting(setting, "discussion_synthesis_due") == []
