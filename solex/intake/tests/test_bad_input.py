"""Bad input over real SMTP: each is answered or quarantined with a reason; the listener lives on."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import call_command

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.communities.models import Community
from solex.communities.testing import add_member, make_community
from solex.exchanges.models import Exchange, Reply
from solex.exchanges.testing import make_exchange
from solex.intake.models import InboundAttachment, InboundMessage, State
from solex.intake.testing import build_mail, list_address, running_listener, smtp_send
from solex.mail.tokens import make_reply_address

pytestmark = pytest.mark.django_db(transaction=True)

LIST = list_address("water-sanitation")


@pytest.fixture
def listener() -> Iterator[Controller]:
    with running_listener() as controller:
        yield controller


@pytest.fixture
def community() -> Community:
    return make_community("Water and Sanitation", slug="water-sanitation", visibility="public")


@pytest.fixture
def member(community: Community) -> User:
    user = make_staff("wash_member", email="wash@undp.org")
    add_member(community, user)
    return user


def _send(
    listener: Controller, raw: bytes, to: str = LIST, mail_from: str = "wash@undp.org"
) -> InboundMessage:
    smtp_send(listener, raw, mail_from=mail_from, to=[to])
    return InboundMessage.objects.order_by("-pk").first()  # type: ignore[return-value]


def _listener_still_works(listener: Controller, member: User) -> None:
    raw = build_mail(sender=member.email, to=LIST, subject="Still listening after that?")
    assert _send(listener, raw).state == State.POSTED


def test_malformed_mime_is_quarantined_with_its_defects(listener: Controller, member: User) -> None:
    raw = (
        b"From: wash@undp.org\r\nTo: water-sanitation@lists.localhost\r\nSubject: broken\r\n"
        b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="XYZ"\r\n\r\n'
        b"no boundary ever appears here\r\n\x00\xff\xfe garbage\r\n"
    )
    stored = _send(listener, raw)
    assert stored.state == State.QUARANTINED
    assert "malformed MIME" in stored.reason
    assert not Exchange.objects.exists()
    _listener_still_works(listener, member)


def test_a_30_mb_attachment_is_received_and_not_kept_and_the_post_says_so(
    listener: Controller, member: User
) -> None:
    big = b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024)
    raw = build_mail(
        sender=member.email,
        to=LIST,
        subject="The full household survey",
        body="The survey is attached.\n",
        attachments=[
            ("survey.pdf", "application/pdf", big),
            ("map.png", "image/png", b"\x89PNG\r\n\x1a\nsmall"),
        ],
    )
    stored = _send(listener, raw)
    assert stored.state == State.POSTED
    kept = {a.filename: a for a in InboundAttachment.objects.filter(message=stored)}
    assert kept["survey.pdf"].dropped_reason == "larger than 10 MB"
    assert kept["survey.pdf"].size == len(big)
    assert bytes(kept["map.png"].data).startswith(b"\x89PNG")
    exchange = Exchange.objects.get()
    assert exchange.body == "The survey is attached."
    assert [a.file.original_name for a in exchange.attachments.all()] == ["map.png"]


def test_a_file_the_site_refuses_stays_with_the_moderators_and_the_post_says_so(
    listener: Controller, member: User
) -> None:
    raw = build_mail(
        sender=member.email,
        to=LIST,
        subject="The installer for the survey tool",
        body="Here is the tool.\n",
        attachments=[("setup.exe", "application/octet-stream", b"MZ\x90\x00binary")],
    )
    stored = _send(listener, raw)
    assert stored.state == State.POSTED
    exchange = Exchange.objects.get()
    assert not exchange.attachments.exists()
    assert exchange.body == (
        "Here is the tool.\n\n*Attachments sent by email are kept for the moderators: setup.exe.*"
    )
    assert bytes(InboundAttachment.objects.get(message=stored).data).startswith(b"MZ")


def test_an_unknown_charset_is_guessed(listener: Controller, member: User) -> None:
    text = "Les résultats de l’enquête sont arrivés : très encourageants, à discuter jeudi."
    raw = (
        b"From: wash@undp.org\r\nTo: water-sanitation@lists.localhost\r\nSubject: Enqu\xeate\r\n"
        b'MIME-Version: 1.0\r\nContent-Type: text/plain; charset="x-no-such-charset"\r\n'
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + text.encode("utf-8") + b"\r\n"
    )
    stored = _send(listener, raw)
    assert stored.state == State.POSTED
    assert Exchange.objects.get().body == text


def test_a_message_without_from_is_quarantined(listener: Controller, member: User) -> None:
    raw = (
        b"To: water-sanitation@lists.localhost\r\nSubject: who am I\r\n\r\nHello there, anyone?\r\n"
    )
    stored = _send(listener, raw)
    assert stored.state == State.QUARANTINED
    assert stored.reason.startswith("no From address")
    assert mail.outbox == []


def test_a_forged_reply_token_is_quarantined_and_nothing_is_posted(
    listener: Controller, community: Community, member: User
) -> None:
    exchange = make_exchange(community, author=member, title="Latrine designs for floods")
    genuine = make_reply_address(exchange.pk, member.pk)
    forged = genuine.replace("reply+", "reply+").replace(".", ".0", 1)[:-25] + genuine[-25:]
    other_user = make_reply_address(exchange.pk, member.pk + 1000)
    for address in (forged, other_user.split(".")[0] + "." + "0" * 20 + "@lists.localhost"):
        stored = _send(
            listener, build_mail(sender=member.email, to=address, body="Forged!"), to=address
        )
        assert stored.state == State.QUARANTINED
        assert "forged or altered reply address" in stored.reason
    assert not Reply.objects.exists()


def test_a_genuine_token_used_from_someone_elses_address_is_quarantined(
    listener: Controller, community: Community, member: User
) -> None:
    exchange = make_exchange(community, author=member, title="Latrine designs for floods")
    other = make_staff("other_person", email="other@undp.org")
    add_member(community, other)
    address = make_reply_address(exchange.pk, member.pk)
    stored = _send(
        listener, build_mail(sender=other.email, to=address), to=address, mail_from=other.email
    )
    assert stored.state == State.QUARANTINED
    assert "does not belong" in stored.reason
    assert not Reply.objects.exists()


def test_a_non_member_with_an_account_is_told_how_to_join_once(
    listener: Controller, community: Community
) -> None:
    make_staff("outsider", email="outsider@undp.org")
    for _attempt in range(2):
        _send(
            listener, build_mail(sender="outsider@undp.org", to=LIST), mail_from="outsider@undp.org"
        )
    assert not Exchange.objects.exists()
    assert len(mail.outbox) == 1
    assert "water-sanitation-join@lists.localhost" in mail.outbox[0].body


def test_an_empty_body_after_stripping_gets_a_polite_answer_not_a_post(
    listener: Controller, member: User
) -> None:
    body = "\nSent from my iPhone\n\nOn 23 Nov 2026, at 10:15, Solex <n@lists.localhost> wrote:\n> Old text\n"
    stored = _send(listener, build_mail(sender=member.email, to=LIST, body=body))
    assert stored.state == State.REPLIED
    assert stored.reason == "empty after removing quotes and signature"
    assert not Exchange.objects.exists()
    assert "nothing left to post" in mail.outbox[0].body


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Loop": "lists.localhost"},
        {"Precedence": "bulk"},
        {"Auto-Submitted": "auto-generated"},
        {"List-Id": "Water <water-sanitation.lists.localhost>"},
        {"X-Autoreply": "yes"},
    ],
)
def test_a_message_in_a_loop_is_ignored_and_never_answered(
    listener: Controller, member: User, headers: dict[str, str]
) -> None:
    stored = _send(listener, build_mail(sender=member.email, to=LIST, headers=headers))
    assert stored.state == State.IGNORED
    assert stored.reason
    assert not Exchange.objects.exists()
    assert mail.outbox == []


def test_our_own_message_coming_back_is_a_loop(listener: Controller, member: User) -> None:
    raw = build_mail(sender=member.email, to=LIST, message_id="<abc.123@lists.localhost>")
    stored = _send(listener, raw)
    assert stored.state == State.IGNORED
    assert "our own Message-ID" in stored.reason


def test_a_bounce_is_handed_to_bounce_processing_or_quarantined(listener: Controller) -> None:
    raw = (
        b"From: MAILER-DAEMON@mx.example\r\nTo: bounce+1.abc@lists.localhost\r\n"
        b"Subject: Undelivered Mail Returned to Sender\r\nContent-Type: text/plain\r\n\r\nUser unknown\r\n"
    )
    stored = _send(listener, raw, to="bounce+1.abc@lists.localhost", mail_from="")
    # Either the outbound side read it, or it is held for a person: never posted, never lost.
    assert stored.state in (State.IGNORED, State.QUARANTINED)
    assert stored.reason
    assert mail.outbox == []


def test_an_unexpected_error_while_routing_quarantines_the_message(
    listener: Controller, member: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database hiccup")

    monkeypatch.setattr("solex.exchanges.actions.ask_query", broken)
    stored = _send(listener, build_mail(sender=member.email, to=LIST))
    assert stored.state == State.QUARANTINED
    assert "RuntimeError: database hiccup" in stored.reason


def _ingest(raw: bytes, *args: str) -> int:
    stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(raw))
    try:
        call_command("mail_ingest", *args, stdout=io.StringIO())
    except SystemExit as exit_:
        return int(exit_.code or 0)
    finally:
        sys.stdin = stdin
    return 0


def test_mail_ingest_stores_a_piped_message_and_answers_in_sysexits(member: User) -> None:
    raw = build_mail(sender=member.email, to=LIST, subject="Piped in by the MTA")
    assert _ingest(raw, "--recipient", LIST, "--sender", member.email) == 0
    assert Exchange.objects.get().title == "Piped in by the MTA"
    assert _ingest(raw) == 64  # no recipient: EX_USAGE
    assert _ingest(b"   ", "--recipient", LIST) == 65  # empty: EX_DATAERR
    assert InboundMessage.objects.count() == 1
