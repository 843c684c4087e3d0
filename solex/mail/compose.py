"""Turn one queued copy into an email: multipart text + HTML, list and threading headers.

Content is rendered once per message and language (``MailContent``); what differs per
recipient is filled in here: the To address, the signed Reply-To of an exchange, the
signed unsubscribe link and mailto, the VERP envelope sender, and a Message-ID.
Copies on one thread (``MailContent.thread``, e.g. ``exchange.42``) all name the same
root in ``In-Reply-To``/``References``, so mail clients put them in one conversation.
"""

from __future__ import annotations

import email.policy
from email.message import Message
from email.utils import formataddr, parseaddr
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

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


class SolexEmail(EmailMultiAlternatives):
    """An email that adds a DKIM signature when ``SOLEX_DKIM_KEY_FILE`` is set."""

    def message(self, *, policy: Any = email.policy.default) -> Message:  # type: ignore[override]
        message = super().message(policy=policy)
        key = _dkim_key()
        if key is not None:
            sign(message, key)
        return message


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


def sign(message: Message, key: bytes) -> None:
    """Prepend a DKIM-Signature (relaxed/relaxed, rsa-sha256) to ``message``."""
    import dkim  # type: ignore[import-untyped]

    raw = message.as_bytes(policy=email.policy.SMTP)
    selector = settings.SOLEX_DKIM_SELECTOR.encode()
    domain = (settings.SOLEX_DKIM_DOMAIN or settings.SOLEX_MAIL_DOMAIN).encode()
    signature = dkim.sign(
        raw,
        selector,
        domain,
        key,
        canonicalize=(b"relaxed", b"relaxed"),
        include_headers=[h for h in SIGNED_HEADERS if message.get(h.decode()) is not None],
    )
    name, _colon, value = signature.decode().partition(":")
    # Keep the signature's own folding: relaxed canonicalisation unfolds it again.
    message._headers.insert(0, (name, value.strip()))  # type: ignore[attr-defined]


def build(copy: OutboundMessage) -> SolexEmail:
    """The email for one copy (``copy.content`` and ``copy.recipient`` loaded)."""
    content = copy.content
    user = copy.recipient
    domain = settings.SOLEX_MAIL_DOMAIN
    scope = content.community_id
    link = unsubscribe_url(user.pk, scope)
    text = content.text.replace(UNSUBSCRIBE_MARK, link)
    html = content.html.replace(UNSUBSCRIBE_MARK, link)
    from_name, from_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    sender_name = content.list_name or from_name or "Solex"
    headers: dict[str, str] = {
        "From": formataddr((sender_name, from_address)),
        "Message-ID": copy.message_id,
        "List-Id": list_id(content),
        "List-Unsubscribe": f"<mailto:{make_unsubscribe_address(user.pk, scope)}>, <{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Help": f"<{absolute(reverse('digests:preferences'))}>",
        "Auto-Submitted": "auto-generated",
        "Precedence": "list" if content.list_slug else "bulk",
        "X-Auto-Response-Suppress": "All",
    }
    if content.list_slug:
        headers["List-Post"] = f"<mailto:{content.list_slug}@{domain}>"
        headers["List-Help"] = (
            f"<mailto:{content.list_slug}-help@{domain}>, " + headers["List-Help"]
        )
    else:
        headers["List-Post"] = "NO"
    if content.archive_url:
        headers["List-Archive"] = f"<{absolute(content.archive_url)}>"
    if content.thread:
        root = thread_root(content.thread)
        headers["In-Reply-To"] = root
        headers["References"] = root
    reply_to: list[str] = []
    if content.reply_exchange_id:
        reply_to = [make_reply_address(content.reply_exchange_id, user.pk)]
    message = SolexEmail(
        subject=content.subject,
        body=text,
        from_email=make_bounce_address(copy.pk),
        to=[formataddr((user.name or user.username, copy.to_address))],
        reply_to=reply_to,
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message
