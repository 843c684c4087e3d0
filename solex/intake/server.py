"""The SMTP/LMTP listener: a message is stored in the database before the 250.

aiosmtpd runs the protocol on an event loop; storing runs in a worker thread
(Django's ORM is synchronous). If storing fails the client gets a temporary failure
(451) and retries later, so nothing is lost; once stored, processing is a task.
Recipients outside ``SOLEX_MAIL_DOMAIN`` are refused at RCPT time (no open relay).
"""

from __future__ import annotations

import logging
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections

from solex.intake import actions

logger = logging.getLogger(__name__)


def _store(raw: bytes, mail_from: str, recipients: list[str]) -> int:
    close_old_connections()
    try:
        return actions.receive_message(raw, mail_from=mail_from, recipients=recipients).pk
    finally:
        close_old_connections()


class IntakeHandler:
    """aiosmtpd handler: accept our domain's recipients; store, then say 250."""

    async def handle_RCPT(  # noqa: N802 (aiosmtpd names the hooks)
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        domain = settings.SOLEX_MAIL_DOMAIN.lower()
        if address.rpartition("@")[2].lower().rstrip(">") != domain:
            return "550 5.1.2 Relay denied: this server only accepts mail for " + domain
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        mail_from = envelope.mail_from or "<>"
        try:
            pk = await sync_to_async(_store, thread_sensitive=True)(
                raw, mail_from, list(envelope.rcpt_tos)
            )
        except Exception:
            logger.exception("Could not store an inbound message from %s", mail_from)
            return "451 4.3.0 Could not store the message; try again later"
        return f"250 2.0.0 Stored as {pk}"


def make_controller(host: str = "127.0.0.1", port: int = 8025, *, lmtp: bool = False) -> Controller:
    handler = IntakeHandler()
    kwargs: dict[str, Any] = {
        "data_size_limit": actions.max_message_bytes(),
        "decode_data": False,
        "enable_SMTPUTF8": True,
    }
    controller_class = _LMTPController if lmtp else Controller
    return controller_class(handler, hostname=host, port=port, **kwargs)


class _LMTPController(Controller):
    def factory(self) -> SMTP:
        return LMTP(self.handler, **self.SMTP_kwargs)
