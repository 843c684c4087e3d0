"""The search index: one row per findable thing, whatever app it comes from.

``Document`` holds what a result shows (title, text, address, community) and what
filters and ranking need (kind, topics, countries, language, date, quality). The
full-text part lives beside it, per database: an FTS5 table ``search_fts`` on SQLite,
a ``search_vector`` tsvector column with a GIN index on PostgreSQL (see
``backends.py`` and the migration). Nothing here decides who may see a row: the
sources (``sources.py``) filter every query through the owning model's
``visible_to(user)``.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Document(models.Model):
    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    # The community the object lives in (none for people).
    community_id = models.BigIntegerField(null=True, blank=True)
    community_name = models.CharField(max_length=150, blank=True)
    # The object's short name in addresses (a community's slug, a person's username).
    slug = models.CharField(max_length=150, blank=True)
    # A line under the title (a person's job title, a knowledge item's kind).
    subtitle = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=300)
    # Plain text: what is searched and what snippets are cut from.
    text = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    language = models.CharField(max_length=10, blank=True)
    date = models.DateTimeField(default=timezone.now)
    # Space-padded ISO codes (" KE UG "), so one LIKE filters by country.
    countries = models.CharField(max_length=300, blank=True)
    # "open" or "answered" for exchanges; empty otherwise.
    state = models.CharField(max_length=20, blank=True)
    # Ranking: text relevance is multiplied by this (1 = no boost).
    quality = models.FloatField(default=1.0)
    is_consolidated = models.BooleanField(default=False)
    helpful_count = models.PositiveIntegerField(default=0)
    indexed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_once"),
        ]
        indexes = [models.Index(fields=["community_id", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"


class DocumentTopic(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="topic_links")
    topic_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "topic_id"], name="search_topic_once"),
        ]
        indexes = [models.Index(fields=["topic_id", "document"])]

    def __str__(self) -> str:
        return f"{self.document_id} #{self.topic_id}"


class IndexState(models.Model):
    """Where the incremental sweep got to (one row per source kind)."""

    kind = models.CharField(max_length=20, unique=True)
    swept_until = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.kind} swept until {self.swept_until}"
