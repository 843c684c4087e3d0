"""Turn one queued copy into an email: multipart text + HTML, list and threading headers.

Content is rendered once per message and language (``MailContent``); what differs per
recipient is filled in here: the To address, the signed Reply-To of an exchange, the
signed unsubscribe link and mailto, the VERP envelope sender, and a Message-ID.
Copies on one thread (``MailContent.thread``, e.g. ``exchange.42``) all name the same
root in ``In-Reply-To``/``References``, so mail clients put them in one conversation.
"""

from __future__ import annotations

import binascii
import email
import email.message
import email.policy
from dataclasses import dataclass
from email.header import Header
from email.message import Message
from email.utils import format_datetime, formataddr, parseaddr
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from solex.mail.models import MailContent, OutboundMessage
from solex.mail.tokens import (
    make_bounce_address,
    make_reply_address,
    make_unsubscribe_address,
    unsubscribe_token,
)

# Markers in MailContent text and HTML that each copy replaces with its own link.
UNSUBSCRIBE_MARK = "[[unsubscribe-url]]"


def absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else f"{settings.BASE_URL}{path}"


def unsubscribe_url(user_id: int, community_id: int | None) -> str:
    token = unsubscribe_token(user_id, community_id)
    return absolute(reverse("digests:unsubscribe", kwargs={"key": token}))


def thread_root(thread: str) -> str:
    return f"<{thread}@{settings.SOLEX_MAIL_DOMAIN}>"


def list_id(content: MailContent) -> str:
    domain = settings.SOLEX_MAIL_DOMAIN
    if content.list_slug:
        return f"{_quoted(content.list_name)} <{content.list_slug}.{domain}>"
    return f"Solex <notifications.{domain}>"


def _quoted(name: str) -> str:
    return '"' + name.replace("\\", "").replace('"', "").replace("\n", " ") + '"'


@cache
def _read_key(path: str) -> bytes:
    return Path(path).read_bytes()


def _dkim_key() -> bytes | None:
    path = getattr(settings, "SOLEX_DKIM_KEY_FILE", "")
    return _read_key(path) if path else None


SIGNED_HEADERS = [
    b"from",
    b"to",
    b"subject",
    b"date",
    b"message-id",
    b"reply-to",
    b"in-reply-to",
    b"references",
    b"list-id",
    b"list-unsubscribe",
    b"list-unsubscribe-post",
    b"mime-version",
    b"content-type",
]


def sign(raw: bytes, key: bytes) -> bytes:
    """``raw`` with a DKIM-Signature (relaxed/relaxed, rsa-sha256) in front."""
    import dkim  # type: ignore[import-untyped]

    present = {
        line.split(b":", 1)[0].strip().lower()
        for line in raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
        if line and line[:1] not in (b" ", b"\t")
    }
    signature: bytes = dkim.sign(
        raw,
        settings.SOLEX_DKIM_SELECTOR.encode(),
        (settings.SOLEX_DKIM_DOMAIN or settings.SOLEX_MAIL_DOMAIN).encode(),
        key,
        canonicalize=(b"relaxed", b"relaxed"),
        include_headers=[h for h in SIGNED_HEADERS if h in present],
    )
    return signature.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") + raw


# --- Writing the message ----------------------------------------------------------------------
# Built as bytes directly: the standard library's header registry costs about a
# millisecond per header, which a fan-out to ten thousand people pays ten thousand times.

_NO_BREAKS = str.maketrans({"\r": " ", "\n": " "})


def _text(value: str) -> str:
    """A header value: one line, RFC 2047-encoded if it is not ASCII."""
    value = value.translate(_NO_BREAKS).strip()
    if value.isascii():
        return value
    return Header(value, "utf-8", maxlinelen=76).encode(linesep="\r\n")


def _address(name: str, address: str) -> str:
    name = name.translate(_NO_BREAKS).strip()
    return formataddr((name, address.translate(_NO_BREAKS).strip()), charset="utf-8")


def _fold(name: str, value: str) -> str:
    """``Name: value``, folded after commas if longer than 78 characters."""
    line = f"{name}: {value}"
    if len(line) <= 78 or ", " not in value:
        return line
    return f"{name}: " + ",\r\n ".join(value.split(", "))


def _part(content_type: str, text: str) -> bytes:
    body = binascii.b2a_qp(text.replace("\r\n", "\n").encode("utf-8"), istext=True)
    return (
        f'Content-Type: {content_type}; charset="utf-8"\r\n'
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
    ).encode() + body.replace(b"\n", b"\r\n")


@dataclass(frozen=True)
class Composed:
    """One copy, ready for SMTP: envelope sender, recipients, and the message bytes."""

    sender: str
    recipients: list[str]
    raw: bytes

    def email(self) -> EmailMessage:
        """The same message as a Django email, for backends that are not SMTP (tests, console)."""
        return RawEmail(self)


class RawEmail(EmailMessage):
    def __init__(self, composed: Composed) -> None:
        super().__init__(from_email=composed.sender, to=composed.recipients)
        self.composed = composed
        parsed = email.message_from_bytes(composed.raw, policy=email.policy.default)
        self.subject = str(parsed["Subject"])
        body = (
            parsed.get_body(("plain",)) if isinstance(parsed, email.message.EmailMessage) else None
        )
        self.body = body.get_content() if body is not None else ""

    def message(self, *, policy: Any = email.policy.default) -> Message:  # type: ignore[override]
        return email.message_from_bytes(self.composed.raw, policy=policy)


def build(copy: OutboundMessage) -> Composed:
    """The message for one copy (``copy.content`` and ``copy.recipient`` loaded)."""
    content = copy.content
    user = copy.recipient
    domain = settings.SOLEX_MAIL_DOMAIN
    scope = content.community_id
    link = unsubscribe_url(user.pk, scope)
    from_name, from_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    help_url = f"<{absolute(reverse('digests:preferences'))}>"
    headers = [
        f"From: {_address(content.list_name or from_name or 'Solex', from_address)}",
        f"To: {_address(user.name or user.username, copy.to_address)}",
        f"Subject: {_text(content.subject)}",
        f"Date: {format_datetime(timezone.now())}",
        f"Message-ID: {copy.message_id}",
    ]
    if content.reply_exchange_id:
        headers.append(f"Reply-To: {make_reply_address(content.reply_exchange_id, user.pk)}")
    if content.thread:
        root = thread_root(content.thread)
        headers += [f"In-Reply-To: {root}", f"References: {root}"]
    headers.append(f"List-Id: {_text(list_id(content))}")
    if content.list_slug:
        headers.append(f"List-Post: <mailto:{content.list_slug}@{domain}>")
        headers.append(
            _fold("List-Help", f"<mailto:{content.list_slug}-help@{domain}>, {help_url}")
        )
    else:
        headers += ["List-Post: NO", f"List-Help: {help_url}"]
    if content.archive_url:
        headers.append(f"List-Archive: <{absolute(content.archive_url)}>")
    unsubscribe = f"<mailto:{make_unsubscribe_address(user.pk, scope)}>, <{link}>"
    boundary = f"=_solex_{copy.pk}_{content.pk}"
    headers += [
        _fold("List-Unsubscribe", unsubscribe),
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
        "Auto-Submitted: auto-generated",
        f"Precedence: {'list' if content.list_slug else 'bulk'}",
        "X-Auto-Response-Suppress: All",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/alternative; boundary="{boundary}"',
    ]
    separator = f"\r\n--{boundary}\r\n".encode()
    raw = b"".join(
        [
            "\r\n".join(headers).encode("ascii"),
            b"\r\n",
            separator,
            _part("text/plain", content.text.replace(UNSUBSCRIBE_MARK, link)),
            separator,
            _part("text/html", content.html.replace(UNSUBSCRIBE_MARK, link)),
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    key = _dkim_key()
    if key is not None:
        raw = sign(raw, key)
    return Composed(make_bounce_address(copy.pk), [copy.to_address], raw)
