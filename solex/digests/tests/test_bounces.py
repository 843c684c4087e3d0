"""Bounces to the VERP address: repeated hard bounces stop delivery; the person sees why."""

from __future__ import annotations

import pytest
from django.test import Client

from solex.accounts.testing import make_staff
from solex.mail import sending
from solex.mail.bounces import record_bounce, stopped_notice
from solex.mail.models import MailSettings, OutboundMessage
from solex.mail.testing import SmtpSink
from solex.mail.tests.test_sending import content
from solex.mail.tokens import make_bounce_address
from solex.notifications.models import Notification

pytestmark = pytest.mark.django_db


def dsn(verp: str, failed: str, status: str = "5.1.1", action: str = "failed") -> bytes:
    return f"""From: MAILER-DAEMON@mx.example.net
To: {verp}
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

Your message could not be delivered.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; {failed}
Action: {action}
Status: {status}
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--b1--
""".replace("\n", "\r\n").encode()


def test_three_hard_bounces_stop_delivery_and_the_member_can_turn_it_back_on(
    smtp_sink: SmtpSink,
) -> None:
    person = make_staff("bouncy")
    for number in range(3):
        ids = sending.queue(content(f"Message {number}"), [(f"b{number}", person)])
        sending.send_copies(ids)
        verp = smtp_sink.received[-1].mail_from
        assert verp == make_bounce_address(ids[0])
        assert record_bounce(dsn(verp, person.email)) is True
    settings_row = MailSettings.objects.get(user=person)
    assert settings_row.hard_bounces == 3 and settings_row.stopped_address == person.email
    # Delivery stopped: a new copy is not sent.
    ids = sending.queue(content("After"), [("after", person)])
    assert sending.send_copies(ids)["skipped"] == 1
    assert OutboundMessage.objects.get(key="after").error == "address stopped after bounces"
    # They are told on the web: a notification, and the notice on the settings page.
    told = Notification.objects.get(recipient=person, kind="mail.stopped")
    assert person.email in told.text and told.target_url == "/mail/settings/"
    client = Client()
    client.force_login(person)
    page = client.get("/mail/settings/").content.decode()
    assert "We stopped sending email to bouncy@" in page and "Turn email back on" in page
    response = client.post("/mail/settings/resume/")
    assert response.status_code == 302
    assert stopped_notice(person) is None
    ids = sending.queue(content("Back"), [("back", person)])
    assert sending.send_copies(ids)["sent"] == 1


def test_a_temporary_failure_is_noted_but_does_not_count(smtp_sink: SmtpSink) -> None:
    person = make_staff("busy")
    ids = sending.queue(content(), [("t", person)])
    sending.send_copies(ids)
    assert record_bounce(dsn(smtp_sink.received[0].mail_from, person.email, "4.2.2", "delayed"))
    assert OutboundMessage.objects.get().error == "temporary failure reported"
    assert not MailSettings.objects.filter(user=person, hard_bounces__gt=0).exists()


def test_bounces_to_forged_or_foreign_addresses_are_not_ours() -> None:
    person = make_staff("victim")
    verp = make_bounce_address(1)
    assert record_bounce(dsn(verp.replace("bounce+1.", "bounce+2."), person.email)) is False
    assert record_bounce(dsn("someone@elsewhere.example", person.email)) is False
    assert record_bounce(b"\x00\xff not a message at all") is False
    assert not MailSettings.objects.exists()
