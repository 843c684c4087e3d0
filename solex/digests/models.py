"""What delivery remembers: which posts were fanned out, and each week's top 5."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solex.communities.models import Community
from solex.exchanges.models import Exchange


class PostBroadcast(models.Model):
    """A new post was sent to the members who receive every message (once: unique)."""

    exchange = models.OneToOneField(
        Exchange, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"post {self.exchange_id} to {self.recipients}"


class TopFive(models.Model):
    """A facilitator's weekly pick of up to five items, with an intro, sent to the members."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    intro = models.TextField(_("introduction"), max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("top 5 digest")
        verbose_name_plural = _("top 5 digests")

    def __str__(self) -> str:
        return f"Top 5 of {self.community_id} on {self.created_at:%Y-%m-%d}"


class TopFiveItem(models.Model):
    top_five = models.ForeignKey(TopFive, on_delete=models.CASCADE, related_name="items")
    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()
    note = models.CharField(_("your line on it"), max_length=300)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["top_five", "exchange"], name="digests_top5_item_once")
        ]

    def __str__(self) -> str:
        return self.note
