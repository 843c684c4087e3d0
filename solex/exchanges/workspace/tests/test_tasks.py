"""Reminders to asked experts and escalation of unanswered queries: once each, on time."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from solex.accounts.models import User
from solex.exchanges import notify, tasks
from solex.exchanges.models import Exchange, ExchangeSettings, ExpertRequest, Status
from solex.exchanges.testing import make_exchange, make_reply
from solex.exchanges.workspace.tests.conftest import Team
from solex.notifications.models import Notification

pytestmark = pytest.mark.django_db


def ask(
    exchange: Exchange, expert: User, *, days_ago: float, by: User | None = None
) -> ExpertRequest:
    return ExpertRequest.objects.create(
        exchange=exchange,
        expert=expert,
        requested_by=by,
        requested_at=timezone.now() - timedelta(days=days_ago),
    )


def run(job: object) -> int:
    result = job.enqueue()  # type: ignore[attr-defined]
    value = result.return_value
    assert isinstance(value, int)
    return value


# --- Reminders -----------------------------------------------------------------------


def test_an_expert_silent_past_the_reminder_limit_is_reminded_once(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker)
    request = ask(exchange, team.expert, days_ago=3.1, by=team.facilitator)

    assert run(tasks.remind_experts) == 1
    assert run(tasks.remind_experts) == 0

    request.refresh_from_db()
    assert isinstance(request.reminded_at, datetime)
    notification = Notification.objects.get()
    assert notification.recipient == team.expert
    assert notification.kind == "exchange.expert_reminder"
    assert notification.text == (
        "Reminder: a query in Water and Sanitation Network is still waiting for your answer"
    )
    assert notification.count == 1


def test_the_reminder_folds_into_the_unread_request(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker)
    request = ask(exchange, team.expert, days_ago=4, by=team.facilitator)
    notify.notify_expert_requested(request)
    run(tasks.remind_experts)

    notification = Notification.objects.get()
    assert (notification.kind, notification.count) == ("exchange.expert_reminder", 2)


def test_nobody_is_reminded_before_the_communitys_limit(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker)
    early = ask(exchange, team.expert, days_ago=2.9)
    ExchangeSettings.objects.create(community=team.community, reminder_days=5)
    later = ask(make_exchange(team.community), team.other_expert, days_ago=4)

    assert run(tasks.remind_experts) == 0

    early.refresh_from_db()
    later.refresh_from_db()
    assert (early.reminded_at, later.reminded_at) == (None, None)
    assert not Notification.objects.exists()


def test_a_shorter_community_limit_reminds_sooner(team: Team) -> None:
    ExchangeSettings.objects.create(community=team.community, reminder_days=1)
    ask(make_exchange(team.community), team.expert, days_ago=1.5)

    assert run(tasks.remind_experts) == 1


def test_experts_who_answered_declined_or_replied_are_left_alone(team: Team) -> None:
    now = timezone.now()
    ExpertRequest.objects.create(
        exchange=make_exchange(team.community),
        expert=team.expert,
        requested_at=now - timedelta(days=5),
        answered_at=now,
    )
    ExpertRequest.objects.create(
        exchange=make_exchange(team.community),
        expert=team.expert,
        requested_at=now - timedelta(days=5),
        declined_at=now,
    )
    replied = make_exchange(team.community)
    make_reply(replied, team.other_expert)
    ask(replied, team.other_expert, days_ago=5)
    ask(make_exchange(team.community, status=Status.CLOSED), team.member, days_ago=5)

    assert run(tasks.remind_experts) == 0
    assert not ExpertRequest.objects.filter(reminded_at__isnull=False).exists()


# --- Escalation ----------------------------------------------------------------------


def test_a_query_unanswered_past_the_limit_is_escalated_once_with_the_next_best_experts(
    team: Team,
) -> None:
    exchange = make_exchange(team.community, author=team.asker, title="Pricing water in camps")
    request = ask(exchange, team.expert, days_ago=7.5, by=team.facilitator)

    assert run(tasks.escalate_unanswered_queries) == 1
    assert run(tasks.escalate_unanswered_queries) == 0

    request.refresh_from_db()
    assert isinstance(request.escalated_at, datetime)
    alerts = Notification.objects.filter(kind="exchange.escalated").select_related("recipient")
    assert {n.recipient.username for n in alerts} == {"fatou", "carlos"}
    text = alerts[0].text
    assert text.startswith("No reply after 7 days; asked without answer: Erik Lund. ")
    suggested = text.partition("Next best experts: ")[2]
    assert "Olga Petrova" in suggested
    assert "Erik Lund" not in suggested and "Amina Diallo" not in suggested
    assert all(n.count == 1 for n in alerts)


def test_a_query_with_a_reply_is_not_escalated(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker)
    ask(exchange, team.expert, days_ago=8)
    make_reply(exchange, team.member)

    assert run(tasks.escalate_unanswered_queries) == 0
    assert not Notification.objects.exists()


def test_escalation_waits_for_the_communitys_limit(team: Team) -> None:
    ExchangeSettings.objects.create(community=team.community, escalation_days=10)
    ask(make_exchange(team.community, author=team.asker), team.expert, days_ago=8)

    assert run(tasks.escalate_unanswered_queries) == 0
    assert not ExpertRequest.objects.filter(escalated_at__isnull=False).exists()


def test_experts_asked_after_an_escalation_are_escalated_on_their_own_clock(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker)
    ask(exchange, team.expert, days_ago=9)
    run(tasks.escalate_unanswered_queries)
    later = ask(exchange, team.other_expert, days_ago=2)

    assert run(tasks.escalate_unanswered_queries) == 0
    ExpertRequest.objects.filter(pk=later.pk).update(
        requested_at=timezone.now() - timedelta(days=7, hours=1)
    )
    assert run(tasks.escalate_unanswered_queries) == 1


def test_the_next_best_experts_leave_out_everyone_already_asked(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker)
    ask(exchange, team.expert, days_ago=1)

    suggested = tasks.next_best_experts(exchange, limit=5)

    assert team.other_expert in suggested
    assert team.expert not in suggested
    assert team.asker not in suggested
