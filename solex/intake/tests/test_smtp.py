"""Mail in over real SMTP: stored before 250, then posted, answered or held."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from django.core import mail

from solex.accounts.testing import make_staff
from solex.communities.models import Community
from solex.communities.testing import add_member, make_community
from solex.exchanges.models import Exchange, Reply
from solex.exchanges.testing import make_exchange
from solex.intake.models import InboundMessage, State
from solex.intake.testing import build_mail, crlf, list_address, running_listener, smtp_send
from solex.mail.tokens import make_reply_address

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def listener() -> Iterator[Controller]:
    with running_listener() as controller:
        yield controller


@pytest.fixture
def community() -> Community:
    return make_community("Local Governance", slug="local-governance", visibility="public")


def test_a_member_asks_the_community_by_mailing_its_list(
    listener: Controller, community: Community
) -> None:
    amina = make_staff("amina", email="amina@undp.org")
    add_member(community, amina)
    raw = build_mail(
        sender="Amina <amina@undp.org>",
        to=list_address("local-governance"),
        subject="Participatory budgeting in secondary cities",
        body="Which offices tried participatory budgeting?\n\nThanks,\nAmina\n\n-- \nAmina, UNDP Kenya\n",
    )
    smtp_send(listener, raw, mail_from="amina@undp.org", to=[list_address("local-governance")])

    stored = InboundMessage.objects.get()
    assert stored.raw_bytes == crlf(raw)
    assert stored.state == State.POSTED
    exchange = Exchange.objects.get(community=community)
    assert exchange.title == "Participatory budgeting in secondary cities"
    assert exchange.author == amina
    assert exchange.body == "Which offices tried participatory budgeting?\n\nThanks,\nAmina"
    assert stored.exchange == exchange


def test_a_reply_to_a_notification_is_posted_to_its_exchange(
    listener: Controller, community: Community
) -> None:
    asker = make_staff("asker")
    expert = make_staff("expert", email="expert@undp.org")
    add_member(community, asker)
    add_member(community, expert)
    exchange = make_exchange(community, author=asker, title="Land registries after floods")
    address = make_reply_address(exchange.pk, expert.pk)
    raw = build_mail(
        sender="expert@undp.org",
        to=address,
        subject=f"Re: {exchange.title}",
        body="We rebuilt ours from satellite images.\n\nOn Mon, 23 Nov 2026 at 10:00, Solex <solex@lists.localhost> wrote:\n> A new query\n",
    )
    smtp_send(listener, raw, mail_from="expert@undp.org", to=[address])

    reply = Reply.objects.get(exchange=exchange)
    assert reply.author == expert
    assert reply.body == "We rebuilt ours from satellite images."
    assert InboundMessage.objects.get().state == State.POSTED


def test_a_stranger_gets_one_polite_explanation_and_no_more(
    listener: Controller, community: Community
) -> None:
    for _attempt in range(3):
        raw = build_mail(sender="someone@elsewhere.example", to=list_address("local-governance"))
        smtp_send(
            listener,
            raw,
            mail_from="someone@elsewhere.example",
            to=[list_address("local-governance")],
        )

    assert not Exchange.objects.exists()
    assert len(mail.outbox) == 1
    answer = mail.outbox[0]
    assert answer.to == ["someone@elsewhere.example"]
    assert "Only members of Local Governance" in answer.body
    assert answer.extra_headers["Auto-Submitted"] == "auto-replied"
    states = sorted(InboundMessage.objects.values_list("state", flat=True))
    assert states == [State.IGNORED, State.IGNORED, State.REPLIED]


def test_mail_for_another_domain_is_refused_at_rcpt_time(listener: Controller) -> None:
    raw = build_mail(sender="a@b.example", to="someone@gmail.com")
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        smtp_send(listener, raw, mail_from="a@b.example", to=["someone@gmail.com"])
    assert not InboundMessage.objects.exists()


def test_lmtp_stores_and_processes_too(community: Community) -> None:
    member = make_staff("lmtp_member", email="lmtp@undp.org")
    add_member(community, member)
    raw = build_mail(
        sender="lmtp@undp.org", to=list_address("local-governance"), subject="Asked over LMTP"
    )
    with running_listener(lmtp=True) as controller:
        client = smtplib.LMTP(controller.hostname, controller.port, timeout=30)
        try:
            client.sendmail("lmtp@undp.org", [list_address("local-governance")], crlf(raw))
        finally:
            client.quit()
    assert Exchange.objects.get().title == "Asked over LMTP"


def test_an_auto_reply_is_stored_and_ignored_never_answered(
    listener: Controller, community: Community
) -> None:
    member = make_staff("away", email="away@undp.org")
    add_member(community, member)
    raw = build_mail(
        sender="away@undp.org",
        to=list_address("local-governance"),
        subject="Out of Office: back on Monday",
        headers={"Auto-Submitted": "auto-replied"},
    )
    smtp_send(listener, raw, mail_from="away@undp.org", to=[list_address("local-governance")])
    stored = InboundMessage.objects.get()
    assert stored.state == State.IGNORED
    assert "Auto-Submitted" in stored.reason
    assert not Exchange.objects.exists()
    assert mail.outbox == []
