"""In-app notifications: one row per person per thing that concerns them.

The app sits below communities and exchanges, so a notification knows nothing of
what it is about: a text, a link (URL and label) and a *group key* the caller
chooses ("exchange:42"). Events on the same group key fold into the person's one
unread notification for it (its count goes up and its text becomes the latest),
so a busy query is one line in the inbox, not thirty. Email delivery
(``solex.digests.delivery``) reads these same rows: ``mail_pending`` marks a new
event not yet looked at for email, ``emailed_at`` when the latest event was emailed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # What happened, as a short machine name chosen by the caller ("exchange.reply").
    kind = models.CharField(_("kind"), max_length=40)
    # Plain text, already in the recipient's language (templates escape it).
    text = models.CharField(_("text"), max_length=500)
    target_url = models.CharField(max_length=500)
    target_label = models.CharField(max_length=200, blank=True)
    # Events with the same key fold into one unread notification; "" never folds.
    group_key = models.CharField(max_length=100, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # How many events this notification stands for.
    count = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    # The latest event folded in: the inbox is in this order, newest first.
    updated_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # An event came in that email delivery has not decided on yet (the sweep's index).
    mail_pending = models.BooleanField(default=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            # The one unread notification per group that events fold into: the
            # insert of a second one fails, and notify() folds into the first.
            models.UniqueConstraint(
                fields=["recipient", "group_key"],
                condition=Q(read_at__isnull=True) & ~Q(group_key=""),
                name="notifications_one_unread_per_group",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-updated_at"], name="notifications_inbox"),
            # The header's unread count, on every page.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notifications_unread"
            ),
            models.Index(fields=["recipient", "group_key"], name="notifications_group"),
            models.Index(
                fields=["updated_at"], condition=Q(mail_pending=True), name="notifications_mail"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.text}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
