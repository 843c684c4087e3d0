"""Who hears about what in an exchange (solex.exchanges.notify)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from solex.exchanges import notify
from solex.exchanges.models import CloseReason, ExpertRequest, Kind, Status
from solex.exchanges.testing import make_exchange, make_reply
from solex.exchanges.workspace.tests.conftest import Team
from solex.notifications.models import Notification

pytestmark = pytest.mark.django_db


def told() -> dict[str, tuple[str, str, int]]:
    return {
        n.recipient.username: (n.kind, n.text, n.count)
        for n in Notification.objects.select_related("recipient")
    }


def test_a_query_waiting_for_triage_goes_to_the_facilitators(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker, status=Status.TRIAGE)

    assert notify.notify_query_asked(exchange) == 2

    text = "New query to triage in Water and Sanitation Network, from Amina Diallo"
    assert told() == {
        "fatou": ("exchange.triage", text, 1),
        "carlos": ("exchange.triage", text, 1),
    }
    notification = Notification.objects.get(recipient=team.facilitator)
    assert notification.target_url == exchange.get_absolute_url()
    assert notification.target_label == exchange.title
    assert notification.group_key == f"exchange:{exchange.pk}"


def test_a_query_that_went_straight_out_alerts_nobody(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker, status=Status.OPEN)

    assert notify.notify_query_asked(exchange) == 0
    assert not Notification.objects.exists()


def test_a_direct_connect_request_goes_to_the_facilitators(team: Team) -> None:
    exchange = make_exchange(
        team.community, author=team.asker, status=Status.TRIAGE, is_direct_connect=True
    )

    notify.notify_query_asked(exchange)

    assert set(told()) == {"fatou", "carlos"}
    assert told()["fatou"][0] == "exchange.direct_connect"


def test_an_asked_expert_is_told_and_nobody_else(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker)
    request = ExpertRequest.objects.create(
        exchange=exchange, expert=team.expert, requested_by=team.facilitator
    )

    notify.notify_experts_requested([request])

    assert told() == {
        "erik": (
            "exchange.expert_request",
            "Fatou Sow asks you to answer a query in Water and Sanitation Network",
            1,
        )
    }
    assert Notification.objects.get().group_key == f"exchange:{exchange.pk}:ask"


def test_replies_reach_the_asker_and_facilitators_one_line_per_exchange(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker)

    notify.notify_reply_posted(make_reply(exchange, team.expert))
    notify.notify_reply_posted(make_reply(exchange, team.other_expert))

    assert told() == dict.fromkeys(
        ("amina", "fatou", "carlos"), ("exchange.reply", "New reply from Olga Petrova", 2)
    )


def test_nobody_is_told_of_their_own_reply(team: Team) -> None:
    exchange = make_exchange(team.community, author=team.asker)

    notify.notify_reply_posted(make_reply(exchange, team.facilitator))
    notify.notify_reply_posted(make_reply(exchange, team.asker))

    counts = {name: count for name, (_kind, _text, count) in told().items()}
    assert counts == {"amina": 1, "fatou": 1, "carlos": 2}


def test_the_consolidated_reply_reaches_the_asker_and_every_credited_respondent(
    team: Team,
) -> None:
    exchange = make_exchange(team.community, author=team.asker)
    make_reply(exchange, team.expert)
    make_reply(exchange, team.other_expert)
    make_reply(exchange, team.asker)
    make_reply(exchange, team.member, is_hidden=True, hidden_reason="spam")

    notify.notify_consolidated_reply_published(
        exchange, actor=team.facilitator, target_url="/knowledge/items/9/"
    )

    asker = "Fatou Sow published the consolidated reply to your query"
    credited = "Fatou Sow published the consolidated reply, crediting your reply"
    assert told() == {
        "amina": ("exchange.consolidated", asker, 1),
        "erik": ("exchange.consolidated", credited, 1),
        "olga": ("exchange.consolidated", credited, 1),
    }
    assert set(Notification.objects.values_list("target_url", flat=True)) == {"/knowledge/items/9/"}


def test_the_asker_hears_why_their_query_closed(team: Team) -> None:
    exchange = make_exchange(
        team.community,
        author=team.asker,
        status=Status.CLOSED,
        close_reason=CloseReason.ANSWERED,
        closed_at=timezone.now(),
    )

    notify.notify_query_closed(exchange, actor=team.facilitator)

    assert told() == {
        "amina": (
            "exchange.closed",
            "Fatou Sow closed your query: Answered in the thread",
            1,
        )
    }


def test_closing_by_consolidated_reply_or_by_the_asker_tells_nobody_twice(team: Team) -> None:
    consolidated = make_exchange(
        team.community,
        author=team.asker,
        status=Status.CLOSED,
        close_reason=CloseReason.CONSOLIDATED,
    )
    withdrawn = make_exchange(
        team.community,
        author=team.asker,
        kind=Kind.DISCUSSION,
        status=Status.CLOSED,
        close_reason=CloseReason.WITHDRAWN,
    )

    assert notify.notify_query_closed(consolidated, actor=team.facilitator) == 0
    assert notify.notify_query_closed(withdrawn, actor=team.asker) == 0
    assert not Notification.objects.exists()
