"""Sending queued copies in batches: each at most once, each send recorded.

``queue`` writes the copies of one message (one row per recipient, keyed for
idempotency: queueing again adds nothing) and schedules ``send_batch`` tasks for
them. ``send_copies`` sends the due copies it is given over one SMTP connection:

* A copy is marked sent by a conditional UPDATE (only if still queued or waiting to
  retry) at the moment it becomes deliverable (see ``solex.mail.backends``): a
  copy that another worker, or an earlier run of the same task, already sent is
  never sent again, even when a killed worker's task runs a second time.
* A failure is recorded on the copy (attempts, error, time) and retried with an
  exponential backoff by the periodic ``send_due`` task, up to
  ``SOLEX_MAIL_MAX_ATTEMPTS``; a refused recipient fails at once.
* A copy whose recipient has since lost their address, paused email, or whose
  address stopped after bounces is marked "not sent" with the reason.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import F, Q
from django.utils import timezone

from solex.accounts.models import User
from solex.core.tasks import enqueue_on_commit
from solex.mail import compose
from solex.mail.backends import Aborted, SMTPBackend
from solex.mail.models import MailContent, MailSettings, OutboundMessage, OutboundStatus

logger = logging.getLogger("solex.mail")

PENDING = [OutboundStatus.QUEUED, OutboundStatus.RETRY]
RETRY_BASE = timedelta(minutes=1)
RETRY_MAX = timedelta(hours=6)


def retry_delay(attempts: int) -> timedelta:
    """Wait before the next try after ``attempts`` failed ones: 1, 2, 4 ... minutes, capped."""
    delay: timedelta = RETRY_BASE * 2 ** max(attempts - 1, 0)
    return min(delay, RETRY_MAX)


def why_not_deliverable(user: User, mail_settings: MailSettings | None) -> str:
    """ "" if the person can be emailed now; otherwise the reason, for the record."""
    if not user.is_active:
        return "account inactive"
    if not user.email:
        return "no email address"
    if mail_settings is not None:
        if mail_settings.paused:
            return "email paused"
        if mail_settings.stopped_at and mail_settings.stopped_address.lower() == user.email.lower():
            return "address stopped after bounces"
    return ""


def queue(content: MailContent, recipients: Iterable[tuple[str, User]]) -> list[int]:
    """Queue one copy of ``content`` per (idempotency key, recipient); returns new copy ids.

    Keys already queued are skipped, so calling this again after a crash adds only
    the copies that were missing. Schedules the send tasks when the transaction commits.
    """
    rows = [
        OutboundMessage(key=key[:200], content=content, recipient=user, to_address=user.email)
        for key, user in recipients
        if user.email
    ]
    if not rows:
        return []
    keys = [row.key for row in rows]
    existing: set[str] = set()
    for start in range(0, len(keys), 500):
        existing.update(
            OutboundMessage.objects.filter(key__in=keys[start : start + 500]).values_list(
                "key", flat=True
            )
        )
    fresh = [row for row in rows if row.key not in existing]
    OutboundMessage.objects.bulk_create(fresh, batch_size=500, ignore_conflicts=True)
    ids = list(
        OutboundMessage.objects.filter(content=content, status__in=PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    schedule(ids)
    return ids


def schedule(ids: Sequence[int]) -> None:
    from solex.mail.tasks import send_batch

    size = max(1, settings.SOLEX_MAIL_BATCH_SIZE)
    for start in range(0, len(ids), size):
        enqueue_on_commit(send_batch, list(ids[start : start + size]))


def _connection() -> BaseEmailBackend:
    return mailers.default


def send_copies(ids: Iterable[int], *, now: datetime | None = None) -> dict[str, int]:
    """Send the given copies that are due; returns counts by outcome."""
    now = now or timezone.now()
    copies = list(
        OutboundMessage.objects.filter(
            pk__in=list(ids), status__in=PENDING, next_attempt_at__lte=now
        )
        .select_related("content", "recipient", "recipient__mail_settings")
        .order_by("pk")
    )
    counts = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    if not copies:
        return counts
    connection = _connection()
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as error:
        for copy in copies:
            counts[_failed(copy, error, permanent=False)] += 1
        return counts
    try:
        for copy in copies:
            counts[_send_one(connection, copy)] += 1
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            connection.close()
    return counts


def _mail_settings(user: User) -> MailSettings | None:
    # The reverse one-to-one raises RelatedObjectDoesNotExist, an AttributeError.
    row = getattr(user, "mail_settings", None)
    return row if isinstance(row, MailSettings) else None


def _send_one(connection: BaseEmailBackend, copy: OutboundMessage) -> str:
    reason = why_not_deliverable(copy.recipient, _mail_settings(copy.recipient))
    if not reason and copy.to_address.lower() != copy.recipient.email.lower():
        copy.to_address = copy.recipient.email  # the person changed their address since
        copy.save(update_fields=["to_address"])
    if reason:
        OutboundMessage.objects.filter(pk=copy.pk, status__in=PENDING).update(
            status=OutboundStatus.SKIPPED, error=reason
        )
        return "skipped"
    try:
        message = compose.build(copy)
    except Exception as error:  # a broken copy must not stop the batch
        logger.exception("Could not compose outbound copy %s", copy.pk)
        return _failed(copy, error, permanent=True)

    committed = False

    def commit() -> bool:
        nonlocal committed
        committed = bool(
            OutboundMessage.objects.filter(pk=copy.pk, status__in=PENDING).update(
                status=OutboundStatus.SENT,
                sent_at=timezone.now(),
                attempts=F("attempts") + 1,
                error="",
            )
        )
        return committed

    try:
        _deliver(connection, message, commit)
    except Aborted:
        return "skipped"  # already sent by another run; nothing was delivered now
    except smtplib.SMTPRecipientsRefused as error:
        return _failed(copy, error, permanent=_permanent(error))
    except smtplib.SMTPResponseException as error:
        # Refused with a code (before the dot, or after it: then nothing was delivered).
        _reopen(connection)
        return _failed(copy, error, permanent=False, after_commit=committed)
    except (OSError, smtplib.SMTPException) as error:
        _reopen(connection)
        if committed:
            # The connection broke after the final dot: the server may have the message.
            # Sending again could duplicate it; keep it sent and record the doubt.
            OutboundMessage.objects.filter(pk=copy.pk).update(
                error=f"no answer after sending: {type(error).__name__}: {error}"[:500]
            )
            return "sent"
        return _failed(copy, error, permanent=False)
    return "sent"


def _deliver(connection: BaseEmailBackend, message: compose.Composed, commit: object) -> None:
    assert callable(commit)
    if isinstance(connection, SMTPBackend):
        connection.send_raw_committing(message.sender, message.recipients, message.raw, commit)
        return
    if not commit():
        raise Aborted
    if not connection.send_messages([message.email()]):
        raise smtplib.SMTPException("the mail backend sent nothing")


def _permanent(error: smtplib.SMTPRecipientsRefused) -> bool:
    return all(code >= 500 for code, _reply in error.recipients.values())


def _reopen(connection: BaseEmailBackend) -> None:
    with contextlib.suppress(OSError, smtplib.SMTPException):
        connection.close()
    with contextlib.suppress(OSError, smtplib.SMTPException):
        connection.open()


def _failed(
    copy: OutboundMessage, error: BaseException, *, permanent: bool, after_commit: bool = False
) -> str:
    """Record a failed try; the copy goes back to retry (or fails for good)."""
    attempts = copy.attempts + 1
    give_up = permanent or attempts >= settings.SOLEX_MAIL_MAX_ATTEMPTS
    status = OutboundStatus.FAILED if give_up else OutboundStatus.RETRY
    text = f"{type(error).__name__}: {error}"[:500]
    # If our commit() already marked it sent and the server then refused: undo our mark.
    mine = Q(status=OutboundStatus.SENT) if after_commit else Q(status__in=PENDING)
    OutboundMessage.objects.filter(mine, pk=copy.pk).update(
        status=status,
        attempts=attempts,
        error=text,
        sent_at=None,
        next_attempt_at=timezone.now() + retry_delay(attempts),
    )
    logger.warning("Outbound copy %s to %s: %s (%s)", copy.pk, copy.to_address, text, status)
    return "failed" if give_up else "retry"


def due_ids(limit: int, now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        OutboundMessage.objects.filter(status__in=PENDING, next_attempt_at__lte=now)
        # Fresh copies have their batch task queued already; pick up the forgotten ones.
        .filter(Q(status=OutboundStatus.RETRY) | Q(created_at__lt=now - timedelta(minutes=10)))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
