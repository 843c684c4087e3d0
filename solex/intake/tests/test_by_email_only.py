"""Done when: a member takes part by email alone, every step over real SMTP."""

from __future__ import annotations

import pytest
from django.core import mail

from solex.accounts.testing import make_staff
from solex.communities import actions as community_actions
from solex.communities.models import JoinPolicy, JoinRequest, Membership
from solex.communities.testing import add_member, make_community
from solex.exchanges import actions as exchange_actions
from solex.exchanges.models import Exchange, Reply
from solex.intake.models import InboundMessage, State
from solex.intake.testing import build_mail, list_address, running_listener, smtp_send
from solex.mail.tokens import make_reply_address

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_joins_asks_replies_changes_delivery_and_leaves_by_email_only() -> None:
    facilitator = make_staff("facilitator", email="facilitator@undp.org")
    community = make_community(
        "Urban Resilience",
        slug="urban-resilience",
        visibility="public",
        join_policy=JoinPolicy.APPROVAL,
        coordinator=facilitator,
    )
    asker = make_staff("asker", email="asker@undp.org")
    add_member(community, asker)
    nadia = make_staff("nadia", email="nadia@undp.org", name="Nadia Haddad")

    def send(to: str, subject: str, body: str = "Please.\n") -> InboundMessage:
        raw = build_mail(sender="Nadia Haddad <nadia@undp.org>", to=to, subject=subject, body=body)
        smtp_send(listener, raw, mail_from="nadia@undp.org", to=[to])
        return InboundMessage.objects.order_by("-pk").first()  # type: ignore[return-value]

    with running_listener() as listener:
        # 1. Ask to join.
        stored = send(
            list_address("urban-resilience-join"), "Join", "I work on flood risk in Beirut.\n"
        )
        assert stored.state == State.REPLIED
        join_request = JoinRequest.objects.get(community=community, user=nadia)
        assert join_request.note == "I work on flood risk in Beirut."
        assert "sent to its facilitators" in mail.outbox[-1].body
        community_actions.approve_join_request(join_request, actor=facilitator)

        # 2. Ask a query.
        stored = send(
            list_address("urban-resilience"),
            "Early warning for flash floods in informal settlements",
            "Which SMS systems worked for you?\n\nNadia\n",
        )
        assert stored.state == State.POSTED
        query = Exchange.objects.get(title="Early warning for flash floods in informal settlements")
        assert query.author == nadia

        # 3. Reply to a request routed to her, through the notification's reply address.
        other = Exchange.objects.create(
            community=community,
            kind="query",
            title="Drainage maintenance contracts",
            body="Who has a model contract?",
            body_html="<p>Who has a model contract?</p>",
            author=asker,
            status="open",
        )
        exchange_actions.route_query(other, actor=facilitator, experts=[nadia])
        address = make_reply_address(other.pk, nadia.pk)
        stored = send(
            address,
            "Re: Drainage maintenance contracts",
            "Beirut's municipality has one; I will share it.\n\n"
            "On Mon, 23 Nov 2026 at 10:00, Solex <n@lists.localhost> wrote:\n> Who has a model contract?\n",
        )
        assert stored.state == State.POSTED
        reply = Reply.objects.get(exchange=other, author=nadia)
        assert reply.body == "Beirut's municipality has one; I will share it."

        # 4. Switch to the weekly digest (from the daily one).
        membership = Membership.objects.get(community=community, user=nadia)
        send(list_address("urban-resilience-daily"), "daily")
        membership.refresh_from_db()
        assert membership.delivery == "daily"
        send(list_address("urban-resilience-digest"), "weekly please")
        membership.refresh_from_db()
        assert membership.delivery == "weekly"
        assert "Weekly digest" in mail.outbox[-1].body

        # 5. Unsubscribe.
        send(list_address("urban-resilience-unsubscribe"), "unsubscribe")
        membership.refresh_from_db()
        assert membership.delivery == "web_only"
        assert "Web only" in mail.outbox[-1].body

        # And the help address explains all of it.
        send(list_address("urban-resilience-help"), "help")
        assert "urban-resilience-unsubscribe@lists.localhost" in mail.outbox[-1].body

    assert not InboundMessage.objects.exclude(state__in=[State.POSTED, State.REPLIED]).exists()
