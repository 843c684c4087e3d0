"""Test helpers: build a message, run the listener on a free port, speak SMTP to it."""

from __future__ import annotations

import asyncio
import smtplib
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections
from django.utils import timezone

from solex.intake.server import make_controller


def build_mail(
    *,
    sender: str,
    to: str,
    subject: str = "A question about budgets",
    body: str = "Hello,\n\nHow do other offices plan participatory budgets?\n",
    html: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, str, bytes]] = (),  # type: ignore[assignment]
    message_id: str | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = message_id or make_msgid(domain="client.example")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for filename, content_type, data in attachments:
        maintype, subtype = content_type.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


def list_address(local: str) -> str:
    return f"{local}@{settings.SOLEX_MAIL_DOMAIN}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running_listener(*, lmtp: bool = False) -> Iterator[Controller]:
    controller = make_controller("127.0.0.1", free_port(), lmtp=lmtp)
    controller.start()
    try:
        yield controller
    finally:
        # Close the database connection of the thread that stored the messages, so the
        # test database can be dropped (PostgreSQL refuses while a session is open).
        closing = sync_to_async(connections.close_all, thread_sensitive=True)()
        asyncio.run_coroutine_threadsafe(closing, controller.loop).result(timeout=30)
        controller.stop()


def smtp_send(
    controller: Controller, raw: bytes, *, mail_from: str, to: list[str], **kwargs: Any
) -> dict[str, tuple[int, bytes]]:
    """Send over SMTP; returns refused recipients (raises if the server refuses the data)."""
    wire = crlf(raw)
    with smtplib.SMTP(controller.hostname, controller.port, timeout=60) as client:
        return client.sendmail(mail_from, to, wire, **kwargs)


def crlf(raw: bytes) -> bytes:
    """Line ends as on the wire (smtplib sends bytes as they are)."""
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
