"""Tables of the kernel: only what the runtime itself needs."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class PeriodicTaskRun(models.Model):
    """One periodic task enqueued for one period ("slot") of its schedule.

    The unique constraint is the lock: every worker that finds a slot due tries to
    insert its row, and only the one whose insert succeeds enqueues the task, so a
    task runs once per slot however many workers are running.
    """

    task_path = models.CharField(max_length=255)
    slot_start = models.DateTimeField()
    enqueued_at = models.DateTimeField()
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["task_path", "slot_start"], name="core_periodic_run_once_per_slot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_path} @ {self.slot_start:%Y-%m-%d %H:%M}"


class StoredFile(models.Model):
    """One uploaded file, checked by content and kept outside the web root.

    Written only by :func:`solex.core.files.accept_upload`; apps point at it from their
    own attachment rows and serve it with :func:`solex.core.files.file_response` after
    checking who may read it. Identical content is stored once on disk (by SHA-256);
    each upload keeps its own row and name.
    """

    class Extraction(models.TextChoices):
        PENDING = "pending", "pending"
        EXTRACTED = "extracted", "extracted"
        NOT_EXTRACTED = "not extracted", "not extracted"
        FAILED = "failed", "failed"

    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=120)
    original_name = models.CharField(max_length=255)
    storage_path = models.CharField(max_length=255)
    uploaded_at = models.DateTimeField(default=timezone.now)
    extracted_text = models.TextField(blank=True)
    extraction_status = models.CharField(
        max_length=20, choices=Extraction.choices, default=Extraction.PENDING
    )
    extraction_error = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.original_name
