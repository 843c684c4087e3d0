"""Bounces: delivery status notifications sent back to a copy's VERP address.

Each copy leaves with its own envelope sender, ``bounce+TOKEN@SOLEX_MAIL_DOMAIN``,
whose signed token names the copy (so its recipient and address). The inbound
listener hands any mail to such an address to :func:`record_bounce`. A permanent
failure counts against the person's address; after ``SOLEX_MAIL_BOUNCE_LIMIT``
in a row, delivery to that address stops, the reason is kept, and the person sees
a notice on their next visit with a way to turn email back on (``reenable``). A
temporary failure is only recorded on the copy. A successful delivery does not
reset the count (we do not hear of those); re-enabling or a new address does.
"""

from __future__ import annotations

import email
import email.policy
import logging
from email.message import Message
from email.utils import getaddresses

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from flufl.bounce import all_failures

from solex.accounts.models import User
from solex.mail.models import MailSettings, OutboundMessage
from solex.mail.tokens import read_bounce_address

logger = logging.getLogger("solex.mail")


def _addresses(message: Message, *names: str) -> list[str]:
    values = [str(value) for name in names for value in message.get_all(name, [])]
    return [address for _name, address in getaddresses(values) if address]


def _copy_for(message: Message, envelope_to: list[str]) -> OutboundMessage | None:
    candidates = envelope_to + _addresses(
        message, "Delivered-To", "X-Original-To", "Envelope-To", "To"
    )
    for address in candidates:
        outbound_id = read_bounce_address(address)
        if outbound_id is not None:
            return (
                OutboundMessage.objects.select_related("recipient").filter(pk=outbound_id).first()
            )
    return None


def _failures(message: Message) -> tuple[set[str], set[str]]:
    try:
        temporary, permanent = all_failures(message)
    except Exception:  # the detectors choke on some malformed reports
        logger.warning("flufl.bounce could not read a bounce", exc_info=True)
        return set(), set()

    def decode(addresses: object) -> set[str]:
        return {
            (a.decode("utf-8", "replace") if isinstance(a, bytes) else str(a)).lower()
            for a in addresses  # type: ignore[attr-defined]
        }

    return decode(temporary), decode(permanent)


def record_bounce(raw: bytes, envelope_to: list[str] | None = None) -> bool:
    """Read a bounce sent to a VERP address; True if it named one of our copies.

    ``envelope_to`` are the SMTP RCPT TO addresses, if known (the token is also looked
    for in the delivery headers). A permanent failure of the copy's address counts
    towards stopping delivery to it; a temporary one is only noted on the copy.
    """
    try:
        message = email.message_from_bytes(raw, policy=email.policy.compat32)
    except Exception:
        return False
    copy = _copy_for(message, list(envelope_to or []))
    if copy is None:
        return False
    temporary, permanent = _failures(message)
    address = copy.to_address.lower()
    # The report's own status code decides when there is one (4.x.x is temporary even
    # if the reporting server says "failed"); otherwise what flufl.bounce found.
    status = _status_class(message)
    is_permanent = status == "5" or (not status and address in permanent)
    is_temporary = status == "4" or (not status and address in temporary)
    if not (is_permanent or is_temporary):
        OutboundMessage.objects.filter(pk=copy.pk).update(error="bounce received, unreadable")
        return True
    note = "permanent failure reported" if is_permanent else "temporary failure reported"
    OutboundMessage.objects.filter(pk=copy.pk).update(error=note)
    if is_permanent:
        _count_hard_bounce(copy.recipient, copy.to_address)
    return True


def _status_class(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "message/delivery-status":
            payload = part.get_payload()
            blocks = payload if isinstance(payload, list) else [part]
            for block in blocks:
                if not isinstance(block, Message):
                    continue
                status = str(block.get("Status", "")).strip()
                if status[:1] in {"4", "5"}:
                    return status[:1]
            text = part.as_string()
            for line in text.splitlines():
                if line.lower().startswith("status:"):
                    value = line.split(":", 1)[1].strip()
                    if value[:1] in {"4", "5"}:
                        return value[:1]
    return ""


@transaction.atomic
def _count_hard_bounce(user: User, address: str) -> None:
    if address.lower() != user.email.lower():
        return  # the person has moved to another address since
    mail_settings, _created = MailSettings.objects.get_or_create(user=user)
    MailSettings.objects.filter(pk=mail_settings.pk).update(hard_bounces=F("hard_bounces") + 1)
    mail_settings.refresh_from_db()
    if (
        mail_settings.hard_bounces >= settings.SOLEX_MAIL_BOUNCE_LIMIT
        and not mail_settings.stopped_at
    ):
        mail_settings.stopped_address = user.email
        mail_settings.stopped_at = timezone.now()
        mail_settings.stop_reason = (
            f"{mail_settings.hard_bounces} messages to {user.email} were returned as undeliverable"
        )
        mail_settings.save(update_fields=["stopped_address", "stopped_at", "stop_reason"])
        logger.info(
            "Stopped email to user %s after %s hard bounces", user.pk, mail_settings.hard_bounces
        )
        handler = getattr(settings, "SOLEX_MAIL_STOPPED_HANDLER", "")
        if handler:
            # A higher layer tells the person (a notification they see on their next visit).
            import_string(handler)(user)


def stopped_notice(user: User) -> MailSettings | None:
    """The person's mail settings if delivery to their current address stopped, else None."""
    settings_row = MailSettings.objects.filter(user=user, stopped_at__isnull=False).first()
    if settings_row is None or settings_row.stopped_address.lower() != user.email.lower():
        return None
    return settings_row


def reenable(user: User) -> bool:
    """Turn email back on after the person fixed their address; True if it was stopped."""
    return bool(
        MailSettings.objects.filter(user=user, stopped_at__isnull=False).update(
            stopped_at=None, stopped_address="", stop_reason="", hard_bounces=0
        )
    )
