"""Background work for consultations: close them at their deadline.

Runs periodically (``SOLEX_PERIODIC_TASKS``); each closing drafts the feedback summary
and tells the owner it is ready. Idempotent: see ``actions.close_due``.
"""

from __future__ import annotations

from django.tasks import task

from solex.consultations import actions


@task()
def close_due_consultations() -> int:
    """Close every open consultation past its deadline; returns how many."""
    return actions.close_due()
