"""An SMTP backend that can commit "sent" at the one moment a copy becomes delivered.

Django's SMTP backend sends a message in one call; if the process dies after the
server accepted it but before the caller recorded it as sent, a retry sends it again.
``SMTPBackend.send_committing`` sends everything up to the final ``.`` of DATA, calls
``commit`` (which marks the copy sent, or says another worker already did), and only
then sends the final dot. The server delivers a message only once it has that dot:
killed before it, the server discards the message and the copy is still queued;
after it, the copy is already marked sent. The window left is the microseconds
between the commit and one ``send``; a server that refuses the message after the dot
is reported to the caller, which marks the copy for a retry.

Use it like Django's backend (``MAILERS = {"default": {"BACKEND":
"solex.mail.backends.SMTPBackend", "OPTIONS": {...}}}``); every other backend is
also accepted by ``solex.mail.sending``, which then commits after the send.
"""

from __future__ import annotations

import contextlib
import email.policy
import re
import smtplib
import socket
from collections.abc import Callable

from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend

CRLF = b"\r\n"
_LEADING_DOT = re.compile(rb"(?m)^\.")


class Aborted(Exception):  # noqa: N818 - a signal, not an error
    """``commit`` said no: the copy was sent by someone else; nothing was delivered."""


class SMTPBackend(EmailBackend):
    def open(self) -> bool | None:
        opened: bool | None = super().open()
        sock = getattr(self.connection, "sock", None)
        if sock is not None:
            # The body and the final dot are two writes before one read: without
            # TCP_NODELAY, Nagle's algorithm and the server's delayed ACK stall every
            # message by tens of milliseconds.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return opened

    def send_committing(self, message: EmailMessage, commit: Callable[[], bool]) -> None:
        """Send one Django email, calling ``commit`` just before the server can deliver it."""
        self.send_raw_committing(
            self.prep_address(message.from_email),
            [self.prep_address(address) for address in message.recipients()],
            message.message(policy=email.policy.SMTP).as_bytes(),
            commit,
        )

    def send_raw_committing(
        self, sender: str, recipients: list[str], raw: bytes, commit: Callable[[], bool]
    ) -> None:
        """Send ``raw`` (CRLF line ends), calling ``commit`` before the final dot.

        ``commit`` returns False to abort (the connection is dropped without the final
        dot, so the server discards the message; ``Aborted`` is raised). SMTP errors
        raise ``smtplib.SMTPException`` subclasses as ``smtplib.sendmail`` does.
        """
        if self.connection is None:
            self.open()
        connection = self.connection
        assert connection is not None
        if not connection.does_esmtp:
            connection.ehlo_or_helo_if_needed()
        code, reply = connection.mail(sender)
        if code != 250:
            self._reset(connection)
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        refused: dict[str, tuple[int, bytes]] = {}
        for recipient in recipients:
            code, reply = connection.rcpt(recipient)
            if code not in (250, 251):
                refused[recipient] = (code, reply)
        if len(refused) == len(recipients):
            self._reset(connection)
            raise smtplib.SMTPRecipientsRefused(refused)
        connection.putcmd("data")
        code, reply = connection.getreply()
        if code != 354:
            self._reset(connection)
            raise smtplib.SMTPDataError(code, reply)
        body = _LEADING_DOT.sub(b"..", raw)
        if not body.endswith(CRLF):
            body += CRLF
        connection.send(body)
        try:
            committed = commit()
        except BaseException:
            self._drop()
            raise
        if not committed:
            self._drop()
            raise Aborted
        connection.send(b"." + CRLF)
        code, reply = connection.getreply()
        if code != 250:
            raise smtplib.SMTPDataError(code, reply)

    @staticmethod
    def _reset(connection: smtplib.SMTP) -> None:
        with contextlib.suppress(smtplib.SMTPException):
            connection.rset()

    def _drop(self) -> None:
        """Close the socket mid-DATA: the server never gets the dot and discards the message."""
        connection = self.connection
        self.connection = None
        if connection is not None and connection.sock is not None:
            connection.sock.close()
            connection.sock = None
            connection.file = None
