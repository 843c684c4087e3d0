"""The consultations' part of the facilitator's queue: feedback summaries due.

Named in ``SOLEX_WORKSPACE_SOURCES``. A closed consultation waits on its facilitators
until its feedback summary is published (contributors are owed an answer); it counts
from the moment comments closed. One query, capped, oldest first.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from solex.consultations.models import SummaryDraft
from solex.exchanges.models import CloseReason, Exchange, Kind, Status
from solex.exchanges.workspace.queries import QueueContext, QueueItem

#: Older consultations without a summary are history, not a facilitator's queue.
WITHIN = timedelta(days=90)
KIND = "consultation_summary_due"


def summary_due_source(context: QueueContext) -> list[QueueItem]:
    published = SummaryDraft.objects.filter(
        exchange_id=OuterRef("pk"), published_item__isnull=False
    )
    due = (
        Exchange.objects.filter(
            kind=Kind.CONSULTATION,
            status=Status.CLOSED,
            close_reason=CloseReason.COMPLETED,
            community_id__in=context.community_ids,
            closed_at__gte=context.now - WITHIN,
        )
        .exclude(Exists(published))
        .select_related("community", "author")
        .order_by("closed_at", "pk")[: context.fetch]
    )
    label = _("Feedback summary due")
    return [
        QueueItem(
            KIND,
            exchange.closed_at or exchange.last_activity_at,
            exchange.community,
            exchange.title,
            reverse("consultations:summary-editor", args=[exchange.pk]),
            exchange=exchange,
            person=exchange.author,
            kind_label=label,
        )
        for exchange in due
    ]
