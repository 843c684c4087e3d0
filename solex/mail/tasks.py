"""Mail tasks: send a batch of queued copies; retry the copies that are due."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task

from solex.mail import sending


@task()
def send_batch(outbound_ids: list[int]) -> dict[str, int]:
    """Send these copies (those still due); safe to run again: sent copies are skipped."""
    return sending.send_copies(outbound_ids)


@task()
def send_due() -> int:
    """Periodic: hand the copies waiting for a retry (or never picked up) to batches."""
    ids = sending.due_ids(limit=settings.SOLEX_MAIL_BATCH_SIZE * 20)
    sending.schedule(ids)
    return len(ids)
