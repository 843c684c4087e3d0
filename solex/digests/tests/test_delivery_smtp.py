"""Notifications and posts delivered by email over real SMTP, by each member's preference."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.communities.models import Community, DeliveryPreference, Membership, Role
from solex.communities.testing import add_member, make_community
from solex.digests import delivery
from solex.exchanges.models import Exchange
from solex.exchanges.notify import notify_reply_posted
from solex.exchanges.testing import make_exchange, make_reply
from solex.mail.models import MailSettings, OutboundMessage, OutboundStatus
from solex.mail.testing import SmtpSink
from solex.mail.tokens import read_bounce_address, read_reply_address
from solex.notifications.actions import mark_read
from solex.notifications.models import Notification

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


def later(minutes: int = 10) -> Any:
    return timezone.now() + timedelta(minutes=minutes)


@pytest.fixture
def world() -> dict[str, Any]:
    community = make_community("Local Governance Network", slug="local-governance")
    asker = make_staff("asker", name="Amina Asker")
    facilitator = make_staff("facil", name="Fatou Facilitator")
    expert = make_staff("expert", name="Emre Expert")
    add_member(community, asker)
    add_member(community, facilitator, Role.FACILITATOR)
    add_member(community, expert, Role.EXPERT)
    Membership.objects.filter(community=community).update(delivery=DeliveryPreference.EVERY_MESSAGE)
    exchange = make_exchange(
        community,
        author=asker,
        title="How do you budget with citizens?",
        created_at=timezone.now() - timedelta(days=7),
    )
    return {
        "community": community,
        "asker": asker,
        "facilitator": facilitator,
        "expert": expert,
        "exchange": exchange,
    }


def reply(world: dict[str, Any], body: str = "We ran open budget hearings.") -> None:
    exchange: Exchange = world["exchange"]
    notify_reply_posted(make_reply(exchange, world["expert"], body))


def sweep(capture: Capture, minutes: int = 10) -> dict[str, int]:
    with capture(execute=True):
        return delivery.sweep(later(minutes))


def to(sink: SmtpSink, user: User) -> list[Any]:
    return [r for r in sink.received if user.email in r.rcpt_tos]


def test_a_reply_is_emailed_with_list_and_thread_headers(
    world: dict[str, Any], smtp_sink: SmtpSink, django_capture_on_commit_callbacks: Capture
) -> None:
    reply(world, "We ran **open budget hearings** in 12 districts.")
    sweep(django_capture_on_commit_callbacks)

    received = to(smtp_sink, world["asker"])
    assert len(received) == 1
    envelope = received[0]
    message = envelope.message
    domain = settings.SOLEX_MAIL_DOMAIN
    exchange = world["exchange"]
    assert message["Subject"] == "[Local Governance Network] How do you budget with citizens?"
    assert message["Message-ID"].endswith(f"@{domain}>")
    assert message["In-Reply-To"] == f"<exchange.{exchange.pk}@{domain}>"
    assert message["References"] == f"<exchange.{exchange.pk}@{domain}>"
    assert message["List-Id"] == f'"Local Governance Network" <local-governance.{domain}>'
    assert message["List-Post"] == f"<mailto:local-governance@{domain}>"
    assert message["List-Archive"].endswith(f"/exchanges/{exchange.pk}/>")
    assert "local-governance-help@" in message["List-Help"]
    unsubscribe = message["List-Unsubscribe"]
    assert "<mailto:unsubscribe+" in unsubscribe and "/mail/unsubscribe/" in unsubscribe
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Precedence"] == "list"
    target = read_reply_address(str(message["Reply-To"]))
    assert target is not None
    assert (target.exchange_id, target.user_id) == (exchange.pk, world["asker"].pk)
    # VERP: the envelope sender names this copy, signed.
    copy = OutboundMessage.objects.get(recipient=world["asker"])
    assert read_bounce_address(envelope.mail_from) == copy.pk
    assert copy.status == OutboundStatus.SENT and copy.sent_at is not None
    # Plain text complete on its own; HTML small, no scripts or remote images.
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "New reply from Emre Expert" in text
    assert "We ran **open budget hearings** in 12 districts." in text
    assert f"/exchanges/{exchange.pk}/" in text
    assert "<strong>open budget hearings</strong>" in html
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert 'lang="en"' in html


def test_replies_in_a_burst_are_one_email_and_later_ones_thread_with_it(
    world: dict[str, Any], smtp_sink: SmtpSink, django_capture_on_commit_callbacks: Capture
) -> None:
    reply(world, "First answer.")
    reply(world, "Second answer.")
    reply(world, "Third answer.")
    sweep(django_capture_on_commit_callbacks)
    first = to(smtp_sink, world["asker"])
    assert len(first) == 1
    text = first[0].message.get_body(("plain",)).get_content()
    assert "First answer." in text and "Third answer." in text

    reply(world, "A fourth answer, a day later.")
    Notification.objects.filter(recipient=world["asker"]).update(updated_at=later(5))
    sweep(django_capture_on_commit_callbacks, minutes=30)
    both = to(smtp_sink, world["asker"])
    assert len(both) == 2
    second = both[1].message
    assert second["References"] == first[0].message["References"]
    assert second["Message-ID"] != first[0].message["Message-ID"]
    second_text = second.get_body(("plain",)).get_content()
    assert "A fourth answer" in second_text and "First answer." not in second_text


def test_nothing_is_emailed_if_the_person_read_it_on_the_web_first(
    world: dict[str, Any], smtp_sink: SmtpSink, django_capture_on_commit_callbacks: Capture
) -> None:
    reply(world)
    notification = Notification.objects.get(recipient=world["asker"])
    mark_read(notification, actor=world["asker"])
    sweep(django_capture_on_commit_callbacks)
    assert to(smtp_sink, world["asker"]) == []
    assert len(to(smtp_sink, world["facilitator"])) == 1


def test_nothing_is_emailed_before_the_grouping_delay(
    world: dict[str, Any], smtp_sink: SmtpSink, django_capture_on_commit_callbacks: Capture
) -> None:
    reply(world)
    with django_capture_on_commit_callbacks(execute=True):
        delivery.sweep(timezone.now())
    assert smtp_sink.received == []


@pytest.mark.parametrize(
    "delivery_choice", [DeliveryPreference.DAILY, DeliveryPreference.WEEKLY, "web_only"]
)
def test_digest_and_web_only_members_get_no_single_email(
    world: dict[str, Any],
    smtp_sink: SmtpSink,
    django_capture_on_commit_callbacks: Capture,
    delivery_choice: str,
) -> None:
    Membership.objects.filter(user=world["asker"]).update(delivery=delivery_choice)
    reply(world)
    sweep(django_capture_on_commit_callbacks)
    assert to(smtp_sink, world["asker"]) == []
    assert len(to(smtp_sink, world["facilitator"])) == 1


def test_paused_email_and_no_address_send_nothing_and_never_fail(
    world: dict[str, Any], smtp_sink: SmtpSink, django_capture_on_commit_callbacks: Capture
) -> None:
    MailSettings.objects.create(user=world["asker"], paused=True)
    User.objects.filter(pk=world["facilitator"].pk).update(email="")
    reply(world)
    counts = sweep(django_capture_on_commit_callbacks)
    assert smtp_sink.received == []
    assert counts["emailed"] == 0


def test_the_recipients_language(
    world: dict[str, Any], smtp_sink: SmtpSink, django_capture_on_commit_callbacks: Capture
) -> None:
    world["asker"].preferred_language = "fr"
    world["asker"].save(update_fields=["preferred_language"])
    reply(world)
    sweep(django_capture_on_commit_callbacks)
    message = to(smtp_sink, world["asker"])[0].message
    assert "Nouvelle réponse de Emre Expert" in message.get_body(("plain",)).get_content()
    assert 'lang="fr"' in message.get_body(("html",)).get_content()
    english = to(smtp_sink, world["facilitator"])[0].message
    assert "New reply from Emre Expert" in english.get_body(("plain",)).get_content()


def test_a_new_post_goes_once_to_every_message_members_except_its_author(
    world: dict[str, Any], smtp_sink: SmtpSink, django_capture_on_commit_callbacks: Capture
) -> None:
    community: Community = world["community"]
    weekly = make_staff("weekly_reader")
    add_member(community, weekly)  # weekly digest by default
    post = make_exchange(community, author=world["asker"], title="Participatory budgeting tools")
    with django_capture_on_commit_callbacks(execute=True):
        delivery.sweep()
    with django_capture_on_commit_callbacks(execute=True):
        delivery.sweep()  # again: nothing more
    about_post = [
        r for r in smtp_sink.received if "Participatory budgeting" in r.message["Subject"]
    ]
    recipients = sorted(rcpt for r in about_post for rcpt in r.rcpt_tos)
    assert recipients == sorted([world["facilitator"].email, world["expert"].email])
    message = about_post[0].message
    assert message["References"] == f"<exchange.{post.pk}@{settings.SOLEX_MAIL_DOMAIN}>"
    target = read_reply_address(str(message["Reply-To"]))
    assert target is not None and target.exchange_id == post.pk
    # Each copy's Reply-To names its own recipient, though the content is shared.
    for received in about_post:
        copy = received.message
        reply_to = read_reply_address(str(copy["Reply-To"]))
        assert reply_to is not None
        assert User.objects.get(pk=reply_to.user_id).email == copy["To"].addresses[0].addr_spec


def test_one_click_unsubscribe_from_the_header_without_logging_in(
    world: dict[str, Any], smtp_sink: SmtpSink, django_capture_on_commit_callbacks: Capture
) -> None:
    reply(world)
    sweep(django_capture_on_commit_callbacks)
    header = str(to(smtp_sink, world["asker"])[0].message["List-Unsubscribe"])
    url = next(
        part.strip(" <>") for part in header.split(",") if "https://" in part or "http" in part
    )
    path = url.removeprefix(settings.BASE_URL)
    client = Client(enforce_csrf_checks=True)
    page = client.get(path)
    assert page.status_code == 200
    assert "Local Governance Network" in page.content.decode()
    assert Membership.objects.get(user=world["asker"]).delivery == DeliveryPreference.EVERY_MESSAGE
    response = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert Membership.objects.get(user=world["asker"]).delivery == DeliveryPreference.WEB_ONLY
    # The next post does not reach them.
    make_exchange(world["community"], author=world["facilitator"], title="After unsubscribing")
    with django_capture_on_commit_callbacks(execute=True):
        delivery.sweep()
    assert not [
        r for r in to(smtp_sink, world["asker"]) if "After unsubscribing" in r.message["Subject"]
    ]


def test_a_forged_unsubscribe_token_changes_nothing(world: dict[str, Any]) -> None:
    from solex.mail.tokens import unsubscribe_token

    token = unsubscribe_token(world["asker"].pk, world["community"].pk)
    other = unsubscribe_token(world["expert"].pk, world["community"].pk)
    forged = [
        token[:-1] + ("0" if token[-1] != "0" else "1"),
        f"{world['expert'].pk:x}-{world['community'].pk:x}." + token.split(".")[1],
        other.split(".")[0] + "." + token.split(".")[1],
        "nonsense",
        token.replace(".", ""),
    ]
    client = Client(enforce_csrf_checks=True)
    for bad in forged:
        assert client.get(f"/mail/unsubscribe/{bad}/").status_code == 400
        response = client.post(f"/mail/unsubscribe/{bad}/")
        assert response.status_code == 400
        assert "does not work" in response.content.decode()
    assert set(Membership.objects.values_list("delivery", flat=True)) == {"every_message"}
