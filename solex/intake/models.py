"""Inbound mail, stored whole before the listener accepts it, and the archive imports.

An ``InboundMessage`` is written (raw bytes, envelope, time) in the same transaction
that enqueues its processing, and only then does the SMTP/LMTP listener answer 250:
a crash after that loses nothing, a crash before it makes the sending server retry.
Processing moves it from *received* to one final state, once, whatever the number of
times the task runs: *posted* (it became a query or a reply), *replied* (Solex
answered it: a command, or an explanation), *ignored* (an automatic message: an
out-of-office, a bounce, a loop) or *quarantined* (held for a person to look at).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solex.communities.models import Community
from solex.exchanges.models import Exchange, Reply


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    PROCESSING = "processing", _("Processing")
    POSTED = "posted", _("Posted")
    REPLIED = "replied", _("Answered by Solex")
    QUARANTINED = "quarantined", _("Quarantined")
    IGNORED = "ignored", _("Ignored (automatic mail)")


#: The states a message may still be processed from.
PENDING_STATES = (State.RECEIVED, State.PROCESSING)


class InboundMessage(models.Model):
    raw = models.BinaryField(_("raw message"))
    size = models.PositiveIntegerField(default=0)
    mail_from = models.CharField(_("envelope sender"), max_length=320, blank=True)
    recipients = models.JSONField(_("envelope recipients"), default=list)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.RECEIVED
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # Filled in while processing, for the quarantine lists and their filters.
    message_id = models.CharField(max_length=998, blank=True)
    from_address = models.CharField(_("from"), max_length=320, blank=True)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    community = models.ForeignKey(
        Community, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    exchange = models.ForeignKey(
        Exchange, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reply = models.ForeignKey(
        Reply, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attempts = models.PositiveIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["state", "received_at"], name="intake_state_idx"),
            models.Index(fields=["community", "state"], name="intake_community_state_idx"),
            models.Index(fields=["message_id"], name="intake_message_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.from_address or self.mail_from} → {', '.join(self.recipients)}"

    @property
    def raw_bytes(self) -> bytes:
        return bytes(self.raw)


class InboundAttachment(models.Model):
    """A file that came with a message, kept for moderators within the size limits."""

    message = models.ForeignKey(
        InboundMessage, on_delete=models.CASCADE, related_name="attachments"
    )
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    data = models.BinaryField(blank=True)
    dropped_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename


class ImportedMessage(models.Model):
    """One message of an imported archive: re-running the import skips it (by Message-ID)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    message_id = models.CharField(max_length=998)
    subject_key = models.CharField(max_length=500, blank=True)
    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="+")
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "message_id"], name="intake_imported_once")
        ]
        indexes = [models.Index(fields=["community", "subject_key"], name="intake_subject_idx")]

    def __str__(self) -> str:
        return self.message_id
