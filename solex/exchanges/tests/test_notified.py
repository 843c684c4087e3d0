"""The query journey tells the right people at each step, in their inbox."""

from __future__ import annotations

import pytest

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.communities.models import Community, Role, Visibility
from solex.communities.testing import add_member, make_community
from solex.exchanges import actions
from solex.exchanges.models import CloseReason
from solex.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def community() -> Community:
    return make_community("Local Governance CoP", visibility=Visibility.PUBLIC)


def inbox(person: User) -> list[str]:
    return list(Notification.objects.filter(recipient=person).values_list("kind", flat=True))


def test_asking_routing_replying_and_closing_notify_the_people_concerned(
    community: Community,
) -> None:
    asker, facilitator, expert = make_staff("asker"), make_staff("facil"), make_staff("expert")
    add_member(community, asker)
    add_member(community, facilitator, Role.FACILITATOR)
    add_member(community, expert, Role.EXPERT)

    query = actions.ask_query(
        community, actor=asker, title="Participatory budgeting in small towns?", body="How?"
    )
    assert inbox(facilitator) == ["exchange.triage"]  # queries wait for triage by default
    assert inbox(asker) == []  # never told of one's own action

    actions.route_query(query, actor=facilitator, experts=[expert])
    assert inbox(expert) == ["exchange.expert_request"]

    actions.post_reply(query, actor=expert, body="We ran it in three districts; it worked.")
    assert inbox(asker) == ["exchange.reply"]

    actions.close_exchange(query, actor=facilitator, reason=CloseReason.ANSWERED)
    closing = Notification.objects.get(recipient=asker, kind="exchange.closed")
    assert "closed your query" in closing.text
