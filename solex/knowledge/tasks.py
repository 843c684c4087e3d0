"""Background work for the library: remind reviewers of items past their review date."""

from __future__ import annotations

from django.tasks import task

from solex.knowledge import actions


@task()
def remind_reviewers() -> None:
    """Weekly (``SOLEX_PERIODIC_TASKS``): idempotent, reminders fold into one per person."""
    actions.remind_reviewers()
