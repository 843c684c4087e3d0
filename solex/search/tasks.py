"""Keeping the index current.

Two ways, both idempotent:

- ``sweep_index`` runs every minute (``SOLEX_PERIODIC_TASKS``) and reindexes what each
  source reports as changed since its last sweep (by the change timestamps the apps
  already keep: last activity, edits, events, profile updates). No other app has to
  remember to call search when it writes.
- ``schedule_reindex(kind, ids)`` reindexes at once after the transaction commits, for
  the few places where waiting a minute would surprise someone (a published
  consolidated reply, in the demo, in tests).

Permission never depends on freshness: every query checks the live rows.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.tasks import task

from solex.core.tasks import enqueue_on_commit
from solex.search import actions


@task()
def reindex_objects(kind: str, object_ids: list[int]) -> int:
    return actions.index_objects(kind, object_ids)


@task()
def sweep_index() -> dict[str, int]:
    return actions.sweep()


@task()
def prune_index() -> int:
    return actions.prune()


def schedule_reindex(kind: str, object_ids: Iterable[int]) -> None:
    """Reindex these objects once the current transaction commits."""
    ids = sorted({int(pk) for pk in object_ids})
    if ids:
        enqueue_on_commit(reindex_objects, kind, ids)
