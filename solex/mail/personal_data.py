"""What outbound mail holds about a person, for the personal-data export and erasure.

Meant for ``SOLEX_PERSONAL_DATA_EXPORTERS`` and ``SOLEX_PERSONAL_DATA_ERASERS``
(``solex.people.privacy``): the mail switches, and the log of copies sent to them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from solex.accounts.models import User
from solex.mail.models import MailSettings, OutboundMessage


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_mail(user: User) -> dict[str, Any]:
    row = MailSettings.objects.filter(user=user).first()
    return {
        "mail_settings": None
        if row is None
        else {
            "paused": row.paused,
            "default_delivery": row.default_delivery,
            "hard_bounces": row.hard_bounces,
            "stopped_address": row.stopped_address,
            "stopped_at": _when(row.stopped_at),
        },
        "emails_sent": [
            {
                "subject": copy.content.subject,
                "to": copy.to_address,
                "status": copy.status,
                "created_at": _when(copy.created_at),
                "sent_at": _when(copy.sent_at),
            }
            for copy in OutboundMessage.objects.filter(recipient=user)
            .select_related("content")
            .order_by("pk")
        ],
    }


def erase_mail(user: User) -> None:
    """Delete the person's switches and the log of mail to their address."""
    OutboundMessage.objects.filter(recipient=user).delete()
    MailSettings.objects.filter(user=user).delete()
