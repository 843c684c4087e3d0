"""Consultations: a draft put to the community for comment by a deadline.

The consultation itself is an ``exchanges.Exchange`` of kind ``consultation``: its
``body`` is the current draft, ``context`` the purpose, ``closes_at`` the deadline and
``author`` the owner. Comments are ``exchanges.Reply`` rows (``paragraph`` says which
paragraph, ``parent`` threads them). This app adds, beside those rows:

- ``DraftVersion``: every version of the draft, split into numbered paragraphs once,
  when it is posted, so a paragraph's number never changes within a version;
- ``CommentRecord``: per comment, the version it was made on and the owner's answer
  ("you said, we did");
- ``SummaryDraft``: the owner's working copy of the feedback summary, versioned
  against concurrent edits, until it is published as a knowledge item.

An exchange of kind ``consultation`` without these rows (older data) reads as
version 1 of its ``body``, with every comment on version 1 and no answer yet.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solex.exchanges.models import Exchange, Reply


class DraftVersion(models.Model):
    """One version of a consultation's draft, with its paragraphs numbered for good."""

    exchange = models.ForeignKey(
        Exchange, on_delete=models.CASCADE, related_name="consultation_versions"
    )
    number = models.PositiveIntegerField(_("version"))
    body = models.TextField(_("draft"), help_text=_("Markdown."))
    # [{"number": 3 or null for a heading, "text": Markdown, "html": sanitised HTML}, ...]
    paragraphs = models.JSONField(default=list)
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    # The document as a file (a PDF or Word version of the draft), served by this app
    # after its own permission check; a new version without a file keeps the previous one.
    attachment = models.ForeignKey(
        "core.StoredFile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("attached file"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["exchange", "number"]
        verbose_name = _("draft version")
        constraints = [
            models.UniqueConstraint(
                fields=["exchange", "number"], name="consultations_version_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exchange_id} v{self.number}"

    @property
    def paragraph_count(self) -> int:
        return sum(1 for block in self.paragraphs if block.get("number"))


class Response(models.TextChoices):
    TAKEN_UP = "taken_up", _("Taken up")
    PARTLY = "partly", _("Partly taken up")
    NOT_TAKEN_UP = "not_taken_up", _("Not taken up")


class CommentRecord(models.Model):
    """What a consultation keeps about one comment: its version, and what became of it."""

    reply = models.OneToOneField(
        Reply, on_delete=models.CASCADE, primary_key=True, related_name="consultation_record"
    )
    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField(_("version"), default=1)
    response = models.CharField(
        _("what became of it"), max_length=20, choices=Response.choices, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("consultation comment")
        indexes = [models.Index(fields=["exchange", "version"])]

    def __str__(self) -> str:
        return f"Comment {self.reply_id} on v{self.version}"


class SummaryDraft(models.Model):
    """The owner's working copy of the feedback summary, one per consultation.

    ``version`` goes up by one on every save through a conditional UPDATE: a save made
    on an older version changes nothing and is reported as a conflict.
    """

    exchange = models.OneToOneField(Exchange, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    body = models.TextField(_("feedback summary"), blank=True, help_text=_("Markdown."))
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    published_item = models.OneToOneField(
        "knowledge.KnowledgeItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("feedback summary draft")

    def __str__(self) -> str:
        return self.title
