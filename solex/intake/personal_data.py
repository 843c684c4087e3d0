"""What the mail intake holds about a person, for the personal-data export and erasure.

Named in ``solex.people.privacy``'s default lists. The export lists the messages the
person sent (not their raw bytes, which also carry other people's quoted text); erasure
deletes the stored messages themselves, while what was posted from them stays as the
"Former member"'s contributions, like every other post.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from solex.accounts.models import User
from solex.intake.models import InboundMessage


def _sent_by(user: User) -> QuerySet[InboundMessage]:
    mine = Q(sender=user)
    if user.email:
        mine |= Q(from_address__iexact=user.email) | Q(mail_from__iexact=user.email)
    return InboundMessage.objects.filter(mine)


def export_inbound_mail(user: User) -> dict[str, Any]:
    return {
        "emails_received_from_you": [
            {
                "received_at": message.received_at.isoformat(),
                "subject": message.subject,
                "state": message.state,
                "reason": message.reason,
            }
            for message in _sent_by(user).only("received_at", "subject", "state", "reason")
        ]
    }


def erase_inbound_mail(user: User) -> None:
    _sent_by(user).delete()
