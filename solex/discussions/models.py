"""Discussions: facilitated, time-boxed e-discussions that end in a synthesis.

A discussion is an ``Exchange`` of kind "discussion" (its title, its purpose as the
body, its window in ``opens_at`` / ``closes_at``, its posts as ``Reply`` rows) plus
the rows here: the facilitator, the numbered framing questions, the invited
contributors, the periodic summaries and the synthesis draft. A post that answers a
framing question carries the question's number in ``Reply.paragraph``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solex.exchanges.models import Exchange
from solex.knowledge.models import KnowledgeItem


class Discussion(models.Model):
    exchange = models.OneToOneField(
        Exchange, on_delete=models.CASCADE, primary_key=True, related_name="discussion"
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("facilitator"),
    )
    # The weekly reminder claims its week with a conditional UPDATE on this field.
    summary_reminded_at = models.DateTimeField(null=True, blank=True)
    # Set when the close (by the facilitator or the clock) drafted the synthesis.
    synthesis_drafted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")

    def __str__(self) -> str:
        return str(self.exchange)


class FramingQuestion(models.Model):
    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveIntegerField(_("number"))
    text = models.CharField(_("question"), max_length=500)

    class Meta:
        ordering = ["discussion", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["discussion", "number"], name="discussions_question_number_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class Invitation(models.Model):
    """A member the facilitator asked to contribute (anyone in the community may post)."""

    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["discussion", "user"], name="discussions_invite_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} invited to {self.discussion_id}"


class Summary(models.Model):
    """The facilitator's summary of one period of the discussion, shown in it."""

    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="summaries")
    period_start = models.DateTimeField(_("from"))
    period_end = models.DateTimeField(_("to"))
    body = models.TextField(_("summary"), help_text=_("Markdown."))
    body_html = models.TextField(editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["period_end", "pk"]
        verbose_name = _("summary")
        verbose_name_plural = _("summaries")

    def __str__(self) -> str:
        return f"Summary of {self.discussion_id} to {self.period_end:%Y-%m-%d}"


class SynthesisDraft(models.Model):
    """The facilitators' working copy of the closing synthesis, one per discussion.

    ``version`` goes up by one on each save through a conditional UPDATE: a save made
    on an older version changes nothing and is reported as a conflict.
    """

    discussion = models.OneToOneField(
        Discussion, on_delete=models.CASCADE, primary_key=True, related_name="synthesis"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    body = models.TextField(_("synthesis"), blank=True, help_text=_("Markdown."))
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    published_item = models.OneToOneField(
        KnowledgeItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("synthesis draft")

    def __str__(self) -> str:
        return self.title
