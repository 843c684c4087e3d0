"""The quarantine: moderators see their community's held mail, release it or delete it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.communities.models import Community, Role
from solex.communities.testing import add_member, make_community
from solex.exchanges.models import Exchange
from solex.intake import actions
from solex.intake.models import InboundMessage, State
from solex.intake.testing import build_mail, list_address

pytestmark = pytest.mark.django_db


def _receive(raw: bytes, sender: str) -> InboundMessage:
    """Store as the listener does, and run what waits for the commit (the processing task)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        message = actions.receive_message(
            raw, mail_from=sender, recipients=[list_address("health-systems")]
        )
    message.refresh_from_db()
    return message


@pytest.fixture
def community() -> Community:
    return make_community("Health Systems", slug="health-systems", visibility="public")


@pytest.fixture
def member(community: Community) -> User:
    user = make_staff("hs_member", email="hs@undp.org")
    add_member(community, user)
    return user


@pytest.fixture
def facilitator(community: Community) -> User:
    user = make_staff("hs_facilitator")
    add_member(community, user, Role.FACILITATOR)
    return user


def _held(member: User, settings: object) -> InboundMessage:
    settings.SOLEX_MAIL_TRUSTED_AUTHSERV_IDS = ["mx.solex.example"]  # type: ignore[attr-defined]
    raw = build_mail(
        sender=member.email,
        to=list_address("health-systems"),
        subject="Community health worker pay",
        headers={
            "Authentication-Results": "mx.solex.example; spf=pass smtp.mailfrom=undp.org; "
            "dkim=none; dmarc=fail header.from=undp.org"
        },
    )
    return _receive(raw, member.email)


def test_mail_failing_dmarc_from_a_trusted_server_is_held_not_posted(
    member: User, settings: object
) -> None:
    message = _held(member, settings)
    assert message.state == State.QUARANTINED
    assert message.reason == "held for moderation: DMARC fail reported by mx.solex.example"
    assert not Exchange.objects.exists()


def test_authentication_results_from_an_untrusted_server_are_not_believed(
    member: User, settings: object
) -> None:
    settings.SOLEX_MAIL_TRUSTED_AUTHSERV_IDS = ["mx.solex.example"]  # type: ignore[attr-defined]
    raw = build_mail(
        sender=member.email,
        to=list_address("health-systems"),
        subject="Community health worker pay",
        headers={"Authentication-Results": "evil.example; dmarc=fail"},
    )
    message = _receive(raw, member.email)
    assert message.state == State.POSTED


def test_a_facilitator_sees_the_reason_headers_and_raw_message_then_releases_it(
    client: Client, member: User, facilitator: User, settings: object
) -> None:
    message = _held(member, settings)
    client.force_login(facilitator)
    listing = client.get(reverse("intake:quarantine"))
    assert "Community health worker pay" in listing.content.decode()
    assert "DMARC fail" in listing.content.decode()
    page = client.get(reverse("intake:message-detail", args=[message.pk])).content.decode()
    assert "Authentication-Results" in page
    assert "dmarc=fail header.from=undp.org" in page
    raw = client.get(reverse("intake:message-raw", args=[message.pk]))
    assert raw["Content-Type"] == "message/rfc822"
    assert bytes(raw.content) == message.raw_bytes

    response = client.post(reverse("intake:message-release", args=[message.pk]))

    assert response.status_code == 302
    message.refresh_from_db()
    assert message.state == State.POSTED
    assert message.released_by == facilitator
    assert Exchange.objects.get().author == member


def test_another_communitys_facilitator_neither_sees_nor_releases_it(
    client: Client, member: User, settings: object
) -> None:
    message = _held(member, settings)
    elsewhere = make_community("Elsewhere", slug="elsewhere", visibility="public")
    stranger = make_staff("other_facilitator")
    add_member(elsewhere, stranger, Role.FACILITATOR)
    client.force_login(stranger)
    assert (
        "Community health worker pay"
        not in client.get(reverse("intake:quarantine")).content.decode()
    )
    assert client.post(reverse("intake:message-release", args=[message.pk])).status_code == 404
    message.refresh_from_db()
    assert message.state == State.QUARANTINED


def test_a_site_admin_deletes_a_held_message_through_the_api(
    member: User, settings: object
) -> None:
    message = _held(member, settings)
    admin = make_staff("root", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)
    listed = client.get("/api/v1/quarantine/").json()
    assert [item["id"] for item in listed["items"]] == [message.pk]
    detail = client.get(f"/api/v1/quarantine/{message.pk}").json()
    assert detail["reason"].startswith("held for moderation")
    assert "dmarc=fail" in detail["raw"]
    assert client.delete(f"/api/v1/quarantine/{message.pk}").status_code == 204
    assert not InboundMessage.objects.exists()


def test_releasing_a_posted_message_is_refused_with_a_reason(member: User) -> None:
    raw = build_mail(sender=member.email, to=list_address("health-systems"))
    message = _receive(raw, member.email)
    admin = make_staff("root2", is_superuser=True)
    client = Client()
    client.force_login(admin)
    response = client.post(
        f"/api/v1/quarantine/{message.pk}/release", content_type="application/json"
    )
    assert response.status_code == 409
    assert "nothing to release" in response.json()["detail"]
    assert Exchange.objects.count() == 1


def test_processing_twice_posts_once(member: User) -> None:
    raw = build_mail(sender=member.email, to=list_address("health-systems"))
    message = _receive(raw, member.email)
    actions.process_message(message.pk)
    actions.process_message(message.pk)
    assert Exchange.objects.count() == 1


def test_posting_by_email_is_rate_limited_per_sender(member: User, settings: object) -> None:
    settings.SOLEX_MAIL_POSTS_PER_HOUR = 2  # type: ignore[attr-defined]
    states = []
    for number in range(3):
        raw = build_mail(
            sender=member.email,
            to=list_address("health-systems"),
            subject=f"Question number {number}",
        )
        message = _receive(raw, member.email)
        states.append(message.state)
    assert states == [State.POSTED, State.POSTED, State.QUARANTINED]
    assert Exchange.objects.count() == 2
    assert mail.outbox == []


def test_a_message_a_server_sends_twice_is_posted_once(member: User) -> None:
    raw = build_mail(
        sender=member.email, to=list_address("health-systems"), message_id="<same@client.example>"
    )
    first = _receive(raw, member.email)
    again = _receive(raw, member.email)
    assert first.state == State.POSTED
    assert again.state == State.IGNORED
    assert again.reason == f"duplicate of message {first.pk} (sent again by a server)"
    assert Exchange.objects.count() == 1
