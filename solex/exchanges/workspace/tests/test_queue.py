"""The facilitator's workspace: what waits, oldest first, in bounded queries; welcomes; records."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.communities.models import Community, Membership
from solex.communities.testing import add_member, make_community
from solex.exchanges.models import (
    CloseReason,
    Connection,
    ExchangeSettings,
    ExpertRequest,
    Kind,
    Status,
)
from solex.exchanges.testing import make_exchange, make_reply
from solex.exchanges.workspace import queries
from solex.exchanges.workspace.queries import ExpertRecord, ItemKind
from solex.exchanges.workspace.tests.conftest import Team
from solex.notifications.models import Notification

pytestmark = pytest.mark.django_db
MaxQueries = Any
QUEUE = "/facilitation/"
_newcomers = itertools.count()


def ago(**delta: float) -> Any:
    return timezone.now() - timedelta(**delta)


def _joined(membership: Membership, **delta: float) -> None:
    Membership.objects.filter(pk=membership.pk).update(joined_at=ago(**delta))


def settle(team: Team) -> None:
    """The team joined long ago: nobody in it is a newcomer to welcome."""
    Membership.objects.filter(community=team.community).update(joined_at=ago(days=60))


def fill(team: Team, *, each: int = 1) -> None:
    """``each`` items of every kind the queue knows."""
    for _number in range(each):
        make_exchange(
            team.community, author=team.asker, status=Status.TRIAGE, created_at=ago(days=1)
        )
        make_exchange(
            team.community,
            author=team.asker,
            status=Status.TRIAGE,
            is_direct_connect=True,
            created_at=ago(hours=5),
        )
        make_exchange(team.community, author=team.asker, created_at=ago(days=4))
        silent = make_exchange(team.community, author=team.asker, created_at=ago(days=6))
        make_reply(silent, team.member)
        ExpertRequest.objects.create(exchange=silent, expert=team.expert, requested_at=ago(days=5))
        overdue = make_exchange(
            team.community,
            author=team.asker,
            created_at=ago(days=20),
            needed_by=(timezone.now() - timedelta(days=2)).date(),
        )
        make_reply(overdue, team.other_expert)
        make_exchange(
            team.community,
            author=team.asker,
            kind=Kind.CONSULTATION,
            created_at=ago(days=20),
            closes_at=timezone.now() + timedelta(days=2),
        )
        newcomer = make_staff(f"newcomer{next(_newcomers)}")
        _joined(add_member(team.community, newcomer), days=2)


def _client(person: User) -> Client:
    client = Client()
    client.force_login(person)
    return client


# --- Who gets in ---------------------------------------------------------------------


def test_visitors_are_asked_to_log_in() -> None:
    response = Client().get(QUEUE)

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("who", ["asker", "expert"])
def test_people_who_facilitate_nothing_get_403(team: Team, who: str) -> None:
    assert _client(getattr(team, who)).get(QUEUE).status_code == 403


def test_a_site_admin_without_a_role_gets_403() -> None:
    admin = make_staff("root", is_superuser=True, is_staff=True)

    assert _client(admin).get(QUEUE).status_code == 403


def test_a_facilitator_of_a_closed_community_only_has_no_workspace(team: Team) -> None:
    Community.objects.filter(pk=team.community.pk).update(stage="closed")

    assert _client(team.facilitator).get(QUEUE).status_code == 403


# --- What waits ----------------------------------------------------------------------


def test_the_queue_has_every_kind_of_waiting_work_oldest_first(team: Team) -> None:
    settle(team)
    fill(team)

    work = queries.queue(team.facilitator)

    assert [item.kind for item in work.items] == [
        ItemKind.EXPERT_SILENT,  # asked 5 days ago
        ItemKind.NO_REPLY,  # asked 4 days ago
        ItemKind.CONSOLIDATION_OVERDUE,  # needed by the start of the day before yesterday
        ItemKind.WELCOME,  # joined 2 days ago
        ItemKind.TRIAGE,  # asked yesterday
        ItemKind.CLOSING_SOON,  # in its last 3 days since about yesterday
        ItemKind.DIRECT_CONNECT,  # 5 hours ago
    ]
    assert work.counts == {kind.value: 1 for kind in ItemKind}
    silent = work.items[0]
    assert silent.person == team.expert
    assert silent.record == ExpertRecord(asked=1, answered=0, median_minutes=None)
    assert work.items[3].person is not None
    assert work.items[3].person.username.startswith("newcomer")


def test_the_page_shows_each_item_with_its_age(team: Team) -> None:
    settle(team)
    fill(team)

    body = _client(team.facilitator).get(QUEUE).content.decode()

    for kind in ItemKind:
        assert str(kind.label) in body
    assert "waiting 5\xa0days" in body
    assert "waiting 5\xa0hours" in body
    assert "Asked: Erik Lund" in body
    assert "asked once, answered 0" in body


def test_nothing_waits_on_a_fresh_team(team: Team) -> None:
    settle(team)
    make_exchange(team.community, author=team.asker, created_at=ago(days=1))  # still young
    ExpertRequest.objects.create(
        exchange=make_exchange(team.community), expert=team.expert, requested_at=ago(days=1)
    )

    assert queries.queue(team.facilitator).items == []
    assert "Nothing is waiting on you" in _client(team.facilitator).get(QUEUE).content.decode()


def test_handled_work_leaves_the_queue(team: Team) -> None:
    settle(team)
    direct = make_exchange(
        team.community, author=team.asker, status=Status.OPEN, is_direct_connect=True
    )
    Connection.objects.create(exchange=direct, person=team.expert, connected_by=team.facilitator)
    answered = make_exchange(team.community, created_at=ago(days=6))
    ExpertRequest.objects.create(
        exchange=answered, expert=team.expert, requested_at=ago(days=5), answered_at=ago(days=4)
    )
    make_reply(answered, team.expert)
    make_exchange(
        team.community,
        created_at=ago(days=9),
        status=Status.CLOSED,
        close_reason=CloseReason.WITHDRAWN,
    )
    make_exchange(
        team.community, kind=Kind.DISCUSSION, closes_at=timezone.now() + timedelta(days=5)
    )

    assert queries.queue(team.facilitator).items == []


def test_the_queue_covers_only_the_communities_one_moderates(team: Team) -> None:
    settle(team)
    elsewhere = make_community("Health Network", slug="health")
    add_member(elsewhere, team.facilitator)  # a plain member there
    make_exchange(elsewhere, status=Status.TRIAGE, title="Not for Fatou")
    mine = make_exchange(team.community, status=Status.TRIAGE, title="For Fatou")

    items = queries.queue(team.facilitator).items

    assert [item.exchange for item in items] == [mine]


def test_a_communitys_own_reminder_limit_decides_when_silence_counts(team: Team) -> None:
    settle(team)
    ExchangeSettings.objects.create(community=team.community, reminder_days=6)
    make_exchange(team.community, author=team.asker, created_at=ago(days=4))

    assert queries.queue(team.facilitator).items == []


def test_the_queue_takes_the_same_number_of_queries_for_one_item_or_many(
    team: Team, django_assert_num_queries: MaxQueries
) -> None:
    settle(team)
    fill(team, each=1)
    client = _client(team.facilitator)
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as few:
        client.get(QUEUE)
    fill(team, each=6)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(QUEUE)

    assert len(response.context["queue"].items) == 7 * 7


def test_the_queue_is_cut_to_the_oldest_items(team: Team) -> None:
    settle(team)
    for days in (3, 2, 1):
        make_exchange(
            team.community, status=Status.TRIAGE, created_at=ago(days=days), title=f"{days}d"
        )

    work = queries.queue(team.facilitator, limit=2)

    assert [item.title for item in work.items] == ["3d", "2d"]
    assert work.truncated


# --- Welcoming -----------------------------------------------------------------------


def test_welcoming_a_newcomer_tells_them_and_takes_them_off_the_queue(team: Team) -> None:
    settle(team)
    newcomer = make_staff("nadia", name="Nadia Haddad")
    _joined(add_member(team.community, newcomer), days=1)
    url = reverse("workspace:member-welcome", args=[team.community.slug, "nadia"])
    client = _client(team.facilitator)
    assert "Nadia Haddad" in client.get(QUEUE).content.decode()

    response = client.post(url, {"message": "  Glad you are here:  tell us about WASH in Gaza. "})

    assert response.status_code == 302
    notification = Notification.objects.get()
    assert notification.recipient == newcomer
    assert notification.actor == team.facilitator
    assert notification.text == (
        "Fatou Sow welcomes you to Water and Sanitation Network: "
        "Glad you are here: tell us about WASH in Gaza."
    )
    assert notification.group_key == f"welcome:{team.community.pk}:{newcomer.pk}"
    assert queries.queue(team.facilitator).items == []
    assert queries.queue(team.coordinator).items == []
    # Read or not, the welcome stays done.
    Notification.objects.update(read_at=timezone.now())
    assert queries.queue(team.coordinator).items == []


def test_only_moderators_may_welcome_and_a_refusal_changes_nothing(team: Team) -> None:
    newcomer = make_staff("nadia")
    add_member(team.community, newcomer)
    url = reverse("workspace:member-welcome", args=[team.community.slug, "nadia"])

    response = _client(team.member).post(url, {"message": "Hi"})

    assert response.status_code == 403
    assert not Notification.objects.exists()


def test_a_welcome_too_long_is_refused_with_a_message(team: Team) -> None:
    newcomer = make_staff("nadia")
    add_member(team.community, newcomer)
    url = reverse("workspace:member-welcome", args=[team.community.slug, "nadia"])

    response = _client(team.facilitator).post(url, {"message": "x" * 401}, follow=True)

    assert "Keep the welcome under 400 characters." in response.content.decode()
    assert not Notification.objects.exists()


def test_welcoming_someone_who_is_not_a_member_is_a_404(team: Team) -> None:
    make_staff("stranger")
    url = reverse("workspace:member-welcome", args=[team.community.slug, "stranger"])

    assert _client(team.facilitator).post(url).status_code == 404
    assert not Notification.objects.exists()


# --- Records and clocks --------------------------------------------------------------


def test_an_experts_record_counts_asks_answers_and_the_median_time_to_reply(team: Team) -> None:
    start = ago(days=30)
    for minutes in (30, 90, 600):
        ExpertRequest.objects.create(
            exchange=make_exchange(team.community),
            expert=team.expert,
            requested_at=start,
            answered_at=start + timedelta(minutes=minutes),
        )
    ExpertRequest.objects.create(
        exchange=make_exchange(team.community), expert=team.expert, requested_at=start
    )

    assert queries.expert_record(team.expert) == ExpertRecord(4, 3, 90)
    assert queries.expert_record(team.member) == ExpertRecord(0, 0, None)


def test_the_service_clocks_are_medians_over_the_last_90_days(team: Team) -> None:
    asked = ago(days=10)
    for hours in (1, 3, 5):
        make_exchange(
            team.community,
            created_at=asked,
            routed_at=asked + timedelta(hours=hours),
            first_reply_at=asked + timedelta(hours=hours * 2),
            status=Status.CLOSED,
            close_reason=CloseReason.CONSOLIDATED,
            closed_at=asked + timedelta(days=hours),
        )
    make_exchange(team.community, created_at=ago(days=100), routed_at=ago(days=1))
    make_exchange(team.community, kind=Kind.DISCUSSION, created_at=asked, routed_at=ago(days=1))

    clocks = queries.service_clocks([team.community])

    assert clocks == queries.ServiceClocks(
        queries=3, to_route=180, to_first_reply=360, to_consolidated=3 * 24 * 60
    )
    body = _client(team.facilitator).get(QUEUE).content.decode()
    assert "3 hours" in body and "6 hours" in body and "3 days" in body
