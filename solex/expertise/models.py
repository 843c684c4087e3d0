"""The evidence ledger: what each person did that shows they know a topic.

``ExpertiseEvidence`` holds one row per piece of evidence and topic (a reply on a query
with two topics is two rows), written only by ``solex.expertise.ledger`` from the
evidence sources each app registers (``settings.SOLEX_EXPERTISE_SOURCES``). A row's
``source`` names what it comes from ("reply:12"), unique with its topic, so reading a
source twice changes nothing.

``ExpertiseSummary`` folds the ledger per person, topic and kind, so a ranking reads a
few rows per person instead of every reply they ever wrote. Decay is folded in too:
``growth`` is each row's weight times 2^(days since 2020 / half-life), so today's
decayed weight of a whole group is ``growth * 2^(-days until now / half-life)``: one
multiplication, whatever the number of rows. ``lasting`` is the part that never fades
(a share of declared and endorsed expertise).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solex.taxonomy.models import Topic


class EvidenceKind(models.TextChoices):
    DECLARED = "declared", _("declared expertise")
    ENDORSED = "endorsed", _("endorsed by a colleague")
    REPLIED = "replied", _("replied to a query")
    HELPFUL = "helpful", _("reply marked helpful")
    CONSOLIDATED = "consolidated", _("contributed to a consolidated reply")
    AUTHORED = "authored", _("authored a knowledge item")
    ASKED = "asked", _("asked a query that was answered")


class ExpertiseEvidence(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expertise_evidence"
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices)
    weight = models.FloatField()
    lasting = models.FloatField(default=0.0)  # the share of the weight that never fades
    growth = models.FloatField(default=0.0)  # the fading share, scaled (see the module doc)
    occurred_at = models.DateTimeField()
    # What it comes from ("reply:12"), and what it is about, counted once ("exchange:4").
    source = models.CharField(max_length=80)
    subject = models.CharField(max_length=80, blank=True)
    seen_at = models.DateTimeField(default=timezone.now)  # last read from its source

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "topic"], name="expertise_evidence_once"),
        ]
        indexes = [
            models.Index(fields=["person", "topic"]),
            models.Index(fields=["seen_at"]),
        ]
        verbose_name = _("expertise evidence")
        verbose_name_plural = _("expertise evidence")

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.topic_id} ({self.source})"


class ExpertiseSummary(models.Model):
    """The ledger folded per person, topic and kind (rebuilt from it, never edited)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices)
    count = models.PositiveIntegerField(default=0)  # rows
    subjects = models.PositiveIntegerField(default=0)  # distinct subjects (queries, items)
    lasting = models.FloatField(default=0.0)
    growth = models.FloatField(default=0.0)
    last_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "topic", "kind"], name="expertise_summary_once"
            ),
        ]
        indexes = [models.Index(fields=["topic", "person"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.topic_id} x{self.count}"


class LedgerCursor(models.Model):
    """How far each evidence source has been read (the incremental refresh starts there)."""

    source = models.CharField(max_length=200, unique=True)
    read_until = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.source} until {self.read_until:%Y-%m-%d %H:%M}"
