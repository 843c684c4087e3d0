"""Scheduling background work so that it never runs for a change that did not happen.

Every action that schedules a task does it with :func:`enqueue_on_commit`: the task is
handed to the backend only once the surrounding transaction commits, so a rolled-back
change schedules nothing, and a task never runs before the rows it reads are visible.
That holds for every backend (the database queue by default, Redis/RQ at scale).

With the default database backend (``django_tasks_db``) a plain ``task.enqueue()``
inside the same ``transaction.atomic()`` as the change is also safe, and slightly
stronger: the task row is written in the same transaction as the change, so both are
committed or both are lost (``solex/core/tests/test_tasks.py`` checks this). Prefer
``enqueue_on_commit`` anyway, because it keeps that guarantee on backends that live
outside the database.

Tasks run at least once, not exactly once: the worker retries failures and re-runs
tasks whose worker died (see ``solex.core.worker``), so every task must be idempotent.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import DEFAULT_DB_ALIAS, transaction
from django.tasks import Task


def enqueue_on_commit[**P, R](task: Task[P, R], /, *args: P.args, **kwargs: P.kwargs) -> None:
    """Enqueue ``task(*args, **kwargs)`` when the current transaction commits.

    Outside a transaction it is enqueued at once. Arguments must be JSON-serialisable
    (pass ids, not model instances), as for ``task.enqueue``.
    """
    transaction.on_commit(partial(_enqueue, task, args, kwargs), using=DEFAULT_DB_ALIAS)


def _enqueue(task: Task[Any, Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    task.enqueue(*args, **kwargs)
