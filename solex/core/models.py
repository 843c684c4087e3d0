"""Tables of the kernel: only what the runtime itself needs."""

from __future__ import annotations

from django.db import models


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
