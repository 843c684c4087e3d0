"""Every write to notifications: notify people, mark notifications read.

``notify`` is how the apps above tell a person something. It never notifies the
person who did the thing, renders the text in each recipient's own language, and
folds repeated events on one group key into the recipient's unread notification.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from solex.accounts.models import User
from solex.notifications.models import Notification

Text = str | Promise


def _interpolate(message: str, params: dict[str, object]) -> str:
    return gettext(message) % params


_lazy_interpolate = lazy(_interpolate, str)


def translated(message: str, /, **params: object) -> Text:
    """``gettext(message) % params``, worked out later in each reader's language.

    Mark ``message`` with ``gettext_noop`` where it is written, so that makemessages
    finds it: ``translated(gettext_noop("%(name)s replied"), name=...)``.
    """
    return _lazy_interpolate(message, params)


def _fold(recipient: User, group_key: str, fields: dict[str, object]) -> int:
    return Notification.objects.filter(
        recipient=recipient, group_key=group_key, read_at__isnull=True
    ).update(count=F("count") + 1, **fields)


def _deliver(recipient: User, *, group_key: str, fields: dict[str, object]) -> None:
    if not group_key:
        Notification.objects.create(recipient=recipient, **fields)
        return
    if _fold(recipient, group_key, fields):
        return
    try:
        # The unique constraint, not a prior look, decides whether this is the first
        # unread notification of its group: a concurrent insert wins and we fold.
        with transaction.atomic():
            Notification.objects.create(recipient=recipient, group_key=group_key, **fields)
    except IntegrityError:
        _fold(recipient, group_key, fields)


def notify(
    recipients: Iterable[User],
    *,
    kind: str,
    text: Text,
    target_url: str,
    target_label: Text = "",
    group_key: str = "",
    actor: User | None = None,
) -> int:
    """Tell each recipient (once, and never the actor) what happened; returns how many.

    ``text`` and ``target_label`` may be lazy (``translated``): they are rendered in
    each recipient's interface language.
    """
    now = timezone.now()
    told: set[int] = set()
    for recipient in recipients:
        if recipient.pk in told or not recipient.is_active:
            continue
        if actor is not None and recipient.pk == actor.pk:
            continue
        told.add(recipient.pk)
        with translation.override(recipient.preferred_language or settings.LANGUAGE_CODE):
            fields: dict[str, object] = {
                "kind": kind,
                "text": Truncator(str(text)).chars(500),
                "target_url": target_url[:500],
                "target_label": Truncator(str(target_label)).chars(200),
                "actor": actor,
                "updated_at": now,
                "mail_pending": True,
            }
        _deliver(recipient, group_key=group_key[:100], fields=fields)
    return len(told)


def mark_read(notification: Notification, *, actor: User) -> bool:
    """Mark one of the actor's notifications read; False if it already was."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied(_("This notification is someone else's."))
    now = timezone.now()
    updated = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=now, mail_pending=False
    )
    if updated:
        notification.read_at = now
    return bool(updated)


def mark_all_read(*, actor: User) -> int:
    """Mark every unread notification of the actor read; returns how many."""
    return (
        Notification.objects.filter(recipient=actor)
        .unread()
        .update(read_at=timezone.now(), mail_pending=False)
    )
