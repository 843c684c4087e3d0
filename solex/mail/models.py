"""Outbound mail: what is sent, to whom, and each person's mail switches.

``MailContent`` is one rendered message (subject, plain text, HTML) shared by every
recipient of a fan-out; ``OutboundMessage`` is one copy for one recipient, with a
unique idempotency ``key`` (message × recipient): queueing the same key twice adds
nothing, and a copy marked sent is never sent again. ``MailSettings`` holds a
person's site-wide switches (pause all email, the delivery for mail not about a
community) and the bounce state of their address.

The app sits below communities, so ``Delivery`` repeats the values of
``communities.models.DeliveryPreference`` (a test keeps them in step).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    EVERY_MESSAGE = "every_message", _("Every message")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    WEB_ONLY = "web_only", _("Web only, no email")


class MailSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="mail_settings",
    )
    paused = models.BooleanField(_("pause all email"), default=False)
    # For notifications that are not about a community (e.g. an invitation).
    default_delivery = models.CharField(
        _("other notifications"),
        max_length=20,
        choices=Delivery.choices,
        default=Delivery.EVERY_MESSAGE,
    )
    # Permanent failures reported for the person's current address, in a row.
    hard_bounces = models.PositiveIntegerField(default=0)
    # Set when delivery stopped: the address that kept bouncing, when and why.
    stopped_address = models.CharField(max_length=254, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    stop_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("mail settings")
        verbose_name_plural = _("mail settings")

    def __str__(self) -> str:
        return f"mail settings of {self.user_id}"


class MailContent(models.Model):
    """One rendered message; per-recipient parts are filled in when each copy is sent."""

    kind = models.CharField(max_length=40)
    language = models.CharField(max_length=10)
    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField()
    # Copies on one thread share References/In-Reply-To ("exchange.42"); "" for none.
    thread = models.CharField(max_length=100, blank=True)
    # The list the message belongs to (List-Id, List-Post, unsubscribe scope).
    list_slug = models.CharField(max_length=100, blank=True)
    list_name = models.CharField(max_length=200, blank=True)
    community_id = models.PositiveBigIntegerField(null=True, blank=True)
    # Replies go to the signed reply address of this exchange, per recipient.
    reply_exchange_id = models.PositiveBigIntegerField(null=True, blank=True)
    archive_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.subject


class OutboundStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    RETRY = "retry", _("Waiting to retry")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent")


class OutboundMessage(models.Model):
    """One copy of one message for one recipient; ``key`` makes queueing idempotent."""

    key = models.CharField(max_length=200, unique=True)
    content = models.ForeignKey(MailContent, on_delete=models.CASCADE, related_name="copies")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    to_address = models.CharField(max_length=254)
    status = models.CharField(
        max_length=10, choices=OutboundStatus.choices, default=OutboundStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["queued", "retry"]),
                name="mail_outbound_due",
            ),
            models.Index(fields=["recipient", "-created_at"], name="mail_outbound_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.to_address} ({self.status})"

    @property
    def message_id(self) -> str:
        return f"<m{self.pk}.{self.content_id}@{settings.SOLEX_MAIL_DOMAIN}>"
