"""The discussions' part of the facilitator's queue: weekly summaries and syntheses due.

Named in ``SOLEX_WORKSPACE_SOURCES``. An open discussion owes its participants a
summary each week (counted from the end of the last summary, or from its opening); a
closed one owes them its synthesis until that is published. One query each, capped,
oldest first.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import DateTimeField, Exists, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from solex.discussions.models import Summary, SynthesisDraft
from solex.exchanges.models import Exchange, Kind, Status
from solex.exchanges.workspace.queries import QueueContext, QueueItem

SUMMARY_EVERY = timedelta(days=7)
#: Older discussions without a synthesis are history, not a facilitator's queue.
WITHIN = timedelta(days=90)


def summary_due_source(context: QueueContext) -> list[QueueItem]:
    last_summary = (
        Summary.objects.filter(discussion__exchange_id=OuterRef("pk"))
        .values("discussion")
        .annotate(last=Max("period_end"))
        .values("last")
    )
    due = (
        Exchange.objects.filter(
            kind=Kind.DISCUSSION,
            status=Status.OPEN,
            community_id__in=context.community_ids,
            opens_at__isnull=False,
        )
        .annotate(
            covered_until=Coalesce(Subquery(last_summary, output_field=DateTimeField()), "opens_at")
        )
        .filter(covered_until__lte=context.now - SUMMARY_EVERY)
        .select_related("community", "author")
        .order_by("covered_until", "pk")[: context.fetch]
    )
    label = _("Weekly summary due")
    return [
        QueueItem(
            "discussion_summary_due",
            exchange.covered_until + SUMMARY_EVERY,  # type: ignore[attr-defined]
            exchange.community,
            exchange.title,
            reverse("discussions:discussion-summary", args=[exchange.pk]),
            exchange=exchange,
            due=exchange.closes_at,
            kind_label=label,
        )
        for exchange in due
    ]


def synthesis_due_source(context: QueueContext) -> list[QueueItem]:
    published = SynthesisDraft.objects.filter(
        discussion__exchange_id=OuterRef("pk"), published_item__isnull=False
    )
    due = (
        Exchange.objects.filter(
            kind=Kind.DISCUSSION,
            status=Status.CLOSED,
            community_id__in=context.community_ids,
            closed_at__gte=context.now - WITHIN,
        )
        .exclude(Exists(published))
        .select_related("community", "author")
        .order_by("closed_at", "pk")[: context.fetch]
    )
    label = _("Synthesis due")
    return [
        QueueItem(
            "discussion_synthesis_due",
            exchange.closed_at or exchange.last_activity_at,
            exchange.community,
            exchange.title,
            reverse("discussions:discussion-synthesis", args=[exchange.pk]),
            exchange=exchange,
            kind_label=label,
        )
        for exchange in due
    ]
