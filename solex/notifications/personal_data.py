"""What notifications hold about a person, for the personal-data export and erasure.

Meant for ``SOLEX_PERSONAL_DATA_EXPORTERS`` and ``SOLEX_PERSONAL_DATA_ERASERS``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q

from solex.accounts.models import User
from solex.notifications.models import Notification


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_notifications(user: User) -> dict[str, Any]:
    return {
        "notifications": [
            {
                "kind": notification.kind,
                "text": notification.text,
                "target_url": notification.target_url,
                "target_label": notification.target_label,
                "count": notification.count,
                "created_at": _when(notification.created_at),
                "updated_at": _when(notification.updated_at),
                "read_at": _when(notification.read_at),
            }
            for notification in Notification.objects.filter(recipient=user).order_by("pk")
        ]
    }


def erase_notifications(user: User) -> None:
    """Delete the person's inbox, and others' notifications of what they did.

    A notification's text was written with the actor's name in it; rewriting
    stored sentences in every language is not possible, and notifications are
    transient, so those go too.
    """
    Notification.objects.filter(Q(recipient=user) | Q(actor=user)).delete()
