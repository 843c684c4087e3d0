"""Periodic tasks keeping the evidence ledger current (``settings.SOLEX_PERIODIC_TASKS``)."""

from __future__ import annotations

from django.tasks import task

from solex.expertise import ledger


@task()
def refresh_expertise_ledger() -> int:
    """Read what the sources recorded since the last run; the new rows' count."""
    return ledger.refresh().rows


@task()
def rebuild_expertise_ledger() -> int:
    """Read every source in full: what was withdrawn or hidden leaves the ledger."""
    return ledger.rebuild().rows
