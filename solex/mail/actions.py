"""Every write to a person's mail switches: pause, the default delivery, re-enabling."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from solex.accounts.models import User
from solex.mail import bounces
from solex.mail.models import Delivery, MailSettings


def mail_settings_of(user: User) -> MailSettings:
    settings_row, _created = MailSettings.objects.get_or_create(user=user)
    return settings_row


def set_paused(user: User, paused: bool) -> MailSettings:
    """Pause (or resume) every email from Solex to this person."""
    settings_row = mail_settings_of(user)
    if settings_row.paused != paused:
        settings_row.paused = paused
        settings_row.save(update_fields=["paused"])
    return settings_row


def set_default_delivery(user: User, delivery: str) -> MailSettings:
    """How notifications that are not about a community reach this person."""
    if delivery not in Delivery.values:
        raise ValidationError({"default_delivery": _("Choose how you want to receive messages.")})
    settings_row = mail_settings_of(user)
    if settings_row.default_delivery != delivery:
        settings_row.default_delivery = delivery
        settings_row.save(update_fields=["default_delivery"])
    return settings_row


def reenable(user: User) -> bool:
    """Turn email back on after bounces stopped it; True if it was stopped."""
    return bounces.reenable(user)
