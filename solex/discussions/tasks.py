"""Background work for discussions: weekly summary reminders, closing on time, announcing.

The periodic tasks (``SOLEX_PERIODIC_TASKS``) are idempotent: each discussion is
claimed by a conditional UPDATE in the same transaction as its notifications, so a
second run, or a second worker, finds nothing left to do.
"""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from solex.accounts.models import User
from solex.discussions import actions
from solex.knowledge.models import KnowledgeItem


@task()
def remind_summaries() -> int:
    """Remind each facilitator, weekly, to summarise their open discussion (a draft waits)."""
    now = timezone.now()
    return sum(1 for found in actions.summaries_due(now) if actions.remind_summary(found, now=now))


@task()
def close_due_discussions() -> int:
    """Close the discussions whose closing date has passed and draft their syntheses."""
    return actions.close_due()


@task()
def announce_synthesis(item_id: int, actor_id: int | None) -> int:
    """Tell the participants and the community's members about a published synthesis."""
    item = KnowledgeItem.objects.filter(pk=item_id).select_related("source_exchange").first()
    if item is None:
        return 0
    actor = User.objects.filter(pk=actor_id).first() if actor_id is not None else None
    return actions.announce_synthesis(item, actor=actor)
