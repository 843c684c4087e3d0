"""Sending copies over real SMTP: idempotency, failures and retries, DKIM, no address."""

from __future__ import annotations

import base64
import email
import email.policy
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import dkim  # type: ignore[import-untyped]
import pytest
from django.utils import timezone

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.mail import sending
from solex.mail.models import MailContent, OutboundMessage, OutboundStatus
from solex.mail.render import render_content
from solex.mail.testing import SmtpSink

pytestmark = pytest.mark.django_db


def content(subject: str = "Hello members") -> MailContent:
    made = render_content(
        "mail/notification",
        {"text": "Something happened", "count": 1, "url": "http://x/", "title": subject},
        kind="test",
        language="en",
        subject=subject,
        thread="exchange.7",
        community_id=None,
    )
    made.save()
    return made


def people(count: int) -> list[User]:
    return [make_staff(f"reader{n}") for n in range(count)]


def test_queueing_the_same_keys_twice_and_sending_twice_delivers_one_copy_each(
    smtp_sink: SmtpSink,
) -> None:
    readers = people(5)
    message = content()
    ids = sending.queue(message, [(f"k:{p.pk}", p) for p in readers])
    again = sending.queue(message, [(f"k:{p.pk}", p) for p in readers])
    assert len(ids) == 5 and sorted(again) == sorted(ids)
    assert OutboundMessage.objects.count() == 5
    first = sending.send_copies(ids)
    second = sending.send_copies(ids)
    assert first["sent"] == 5 and second == {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    delivered = sorted(rcpt for r in smtp_sink.received for rcpt in r.rcpt_tos)
    assert delivered == sorted(p.email for p in readers)
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_a_refused_recipient_is_recorded_and_retried_later_then_sent_once(
    smtp_sink: SmtpSink,
) -> None:
    (reader,) = people(1)
    ids = sending.queue(content(), [("once", reader)])
    smtp_sink.handler.refuse_rcpt = 451
    assert sending.send_copies(ids)["retry"] == 1
    copy = OutboundMessage.objects.get()
    assert copy.status == OutboundStatus.RETRY and copy.attempts == 1
    assert "451" in copy.error and copy.next_attempt_at > timezone.now()
    assert smtp_sink.received == []
    # Not due yet: nothing happens.
    assert sending.send_copies(ids)["sent"] == 0
    smtp_sink.handler.refuse_rcpt = None
    OutboundMessage.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert sending.due_ids(limit=10) == ids
    assert sending.send_copies(ids)["sent"] == 1
    assert sending.send_copies(ids)["sent"] == 0
    assert len(smtp_sink.received) == 1
    copy.refresh_from_db()
    assert (copy.status, copy.attempts, copy.error) == (OutboundStatus.SENT, 2, "")


def test_a_permanently_refused_recipient_fails_at_once(smtp_sink: SmtpSink) -> None:
    (reader,) = people(1)
    ids = sending.queue(content(), [("gone", reader)])
    smtp_sink.handler.refuse_rcpt = 550
    assert sending.send_copies(ids)["failed"] == 1
    assert OutboundMessage.objects.get().status == OutboundStatus.FAILED


def test_no_server_is_a_retry_with_backoff_not_a_crash(settings: Any) -> None:
    from solex.mail.testing import free_port

    settings.MAILERS = SmtpSink(free_port()).mailers()  # nobody listens there
    (reader,) = people(1)
    ids = sending.queue(content(), [("down", reader)])
    assert sending.send_copies(ids)["retry"] == 1
    copy = OutboundMessage.objects.get()
    assert copy.status == OutboundStatus.RETRY and "Connection" in copy.error
    assert sending.retry_delay(1) < sending.retry_delay(2) < sending.retry_delay(3)


def test_a_copy_for_a_person_without_address_is_not_sent(smtp_sink: SmtpSink) -> None:
    (reader,) = people(1)
    ids = sending.queue(content(), [("noaddress", reader)])
    User.objects.filter(pk=reader.pk).update(email="")
    assert sending.send_copies(ids)["skipped"] == 1
    copy = OutboundMessage.objects.get()
    assert (copy.status, copy.error) == (OutboundStatus.SKIPPED, "no email address")
    assert smtp_sink.received == []
    # Nobody without an address is even queued.
    assert sending.queue(content(), [("none", User.objects.get(pk=reader.pk))]) == []


def test_dkim_signature_verifies_and_breaks_when_the_body_changes(
    smtp_sink: SmtpSink, settings: Any, tmp_path: Path
) -> None:
    key = tmp_path / "dkim.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(key), "2048"], check=True, capture_output=True)
    public = subprocess.run(
        ["openssl", "rsa", "-in", str(key), "-pubout", "-outform", "DER"],
        check=True,
        capture_output=True,
    ).stdout
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)
    settings.SOLEX_DKIM_KEY_FILE = str(key)
    settings.SOLEX_DKIM_SELECTOR = "mail2026"
    (reader,) = people(1)
    sending.send_copies(sending.queue(content(), [("signed", reader)]))
    raw = smtp_sink.received[0].raw

    def dns(name: bytes, timeout: int = 5) -> bytes:
        assert name == f"mail2026._domainkey.{settings.SOLEX_MAIL_DOMAIN}.".encode()
        return record

    assert b"DKIM-Signature:" in raw
    assert dkim.verify(raw, dnsfunc=dns)
    assert not dkim.verify(raw.replace(b"Something happened", b"Something else"), dnsfunc=dns)
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert "d=" + settings.SOLEX_MAIL_DOMAIN in str(parsed["DKIM-Signature"]).replace(" ", "")


def test_other_mail_backends_get_the_same_message(mailoutbox: list[Any]) -> None:
    (reader,) = people(1)
    sending.send_copies(sending.queue(content("Through locmem"), [("local", reader)]))
    assert len(mailoutbox) == 1
    sent = mailoutbox[0]
    assert sent.subject == "Through locmem" and sent.to == [reader.email]
    assert sent.message()["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert OutboundMessage.objects.get().status == OutboundStatus.SENT


def test_personal_data_export_and_erasure_cover_the_mail_log() -> None:
    from solex.mail.personal_data import erase_mail, export_mail

    (reader,) = people(1)
    sending.queue(content("Kept for export"), [("pd", reader)])
    exported = export_mail(reader)
    assert exported["emails_sent"][0]["subject"] == "Kept for export"
    assert exported["emails_sent"][0]["to"] == reader.email
    erase_mail(reader)
    assert export_mail(reader) == {"mail_settings": None, "emails_sent": []}
