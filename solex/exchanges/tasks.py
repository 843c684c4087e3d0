"""Background work for exchanges: chase asked experts, escalate unanswered queries.

Both tasks run periodically (``SOLEX_PERIODIC_TASKS``) and are idempotent: each
request is claimed by a conditional UPDATE (``reminded_at`` / ``escalated_at`` still
empty) in the same transaction as the notification, so a second run, or a second
worker, finds nothing left to do, and a crash keeps neither.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, Min, OuterRef, QuerySet
from django.tasks import task
from django.utils import timezone

from solex.accounts.models import User
from solex.exchanges import notify, routing
from solex.exchanges.models import (
    Exchange,
    ExchangeSettings,
    ExpertRequest,
    Kind,
    Reply,
    Status,
)

DEFAULT_SETTINGS = ExchangeSettings()
SUGGESTIONS = 3


def _days_by_community(community_ids: set[int], field: str) -> dict[int, int]:
    found = dict(
        ExchangeSettings.objects.filter(community_id__in=community_ids).values_list(
            "community_id", field
        )
    )
    default = getattr(DEFAULT_SETTINGS, field)
    return {community_id: found.get(community_id, default) for community_id in community_ids}


def _shortest(field: str) -> int:
    """The smallest limit any community set: nothing younger can be due anywhere."""
    smallest = ExchangeSettings.objects.aggregate(days=Min(field))["days"]
    default: int = getattr(DEFAULT_SETTINGS, field)
    return default if smallest is None else min(smallest, default)


def _pending_requests(now: datetime, field: str) -> QuerySet[ExpertRequest]:
    """Requests not answered, declined or withdrawn, on open queries, old enough to be due."""
    replied = Reply.objects.filter(
        exchange_id=OuterRef("exchange_id"), author_id=OuterRef("expert_id")
    )
    return (
        ExpertRequest.objects.filter(
            answered_at__isnull=True,
            declined_at__isnull=True,
            exchange__kind=Kind.QUERY,
            exchange__status=Status.OPEN,
            requested_at__lte=now - timedelta(days=_shortest(field)),
            expert__is_active=True,
        )
        .exclude(Exists(replied))
        .select_related("exchange__community", "expert", "requested_by")
        .order_by("requested_at", "pk")
    )


@task()
def remind_experts() -> int:
    """Remind each asked expert once, ``reminder_days`` after the request; returns how many."""
    now = timezone.now()
    due = list(_pending_requests(now, "reminder_days").filter(reminded_at__isnull=True))
    days = _days_by_community({r.exchange.community_id for r in due}, "reminder_days")
    reminded = 0
    for expert_request in due:
        if expert_request.requested_at > now - timedelta(
            days=days[expert_request.exchange.community_id]
        ):
            continue
        with transaction.atomic():
            claimed = ExpertRequest.objects.filter(
                pk=expert_request.pk, reminded_at__isnull=True
            ).update(reminded_at=now)
            if claimed:
                notify.notify_expert_reminded(expert_request)
                reminded += 1
    return reminded


def next_best_experts(exchange: Exchange, *, limit: int = SUGGESTIONS) -> list[User]:
    """Whom to ask next: the routing suggestions, without anyone already asked."""
    asked = set(exchange.expert_requests.values_list("expert_id", flat=True))
    asked.add(exchange.author_id or 0)
    suggestions = routing.suggest_experts(exchange, limit=limit + len(asked))
    people = [s.person for s in suggestions if s.person.pk not in asked]
    return people[:limit]


@task()
def escalate_unanswered_queries() -> int:
    """Alert the facilitators once about each query still without a reply after
    ``escalation_days``, naming the experts who did not answer and the next best ones.

    Returns how many queries were escalated.
    """
    now = timezone.now()
    candidates = _pending_requests(now, "escalation_days").filter(
        escalated_at__isnull=True, exchange__reply_count=0
    )
    by_exchange: dict[int, list[ExpertRequest]] = defaultdict(list)
    for expert_request in candidates:
        by_exchange[expert_request.exchange_id].append(expert_request)
    days = _days_by_community(
        {requests[0].exchange.community_id for requests in by_exchange.values()}, "escalation_days"
    )
    escalated = 0
    for requests in by_exchange.values():
        exchange = requests[0].exchange
        limit = days[exchange.community_id]
        due = [r for r in requests if r.requested_at <= now - timedelta(days=limit)]
        if not due:
            continue
        with transaction.atomic():
            claimed = ExpertRequest.objects.filter(
                pk__in=[r.pk for r in due], escalated_at__isnull=True
            ).update(escalated_at=now)
            if claimed:
                notify.notify_query_escalated(
                    exchange,
                    silent=[r.expert for r in due],
                    suggestions=next_best_experts(exchange),
                    days=limit,
                )
                escalated += 1
    return escalated
