"""Periodic tasks: the worker enqueues each one once per period, however many run.

``SOLEX_PERIODIC_TASKS`` lists the jobs, each a dict::

    {"task": "solex.communities.tasks.close_expired_communities", "every": 86400, "at": "02:00"}

``task`` is the dotted path of a ``django.tasks`` task taking no arguments, ``every``
the period in seconds, and the optional ``at`` a UTC time of day ("HH:MM") that
shifts the periods: daily at 02:00 instead of at midnight. Periods are counted from a
Monday at midnight UTC, so a weekly job runs on Mondays (at ``at``).

Each period is a *slot*. When a worker sees that the current slot of a task has no
``PeriodicTaskRun`` row, it inserts one and enqueues the task in the same
transaction. The row's unique constraint decides between workers that look at the
same moment: the insert of all but one fails, and those skip the slot. A worker that
was down for a whole period does not catch up on every missed slot; the current slot
still runs once when it starts.

Only ``solex worker`` schedules: with the RQ backend the tasks run in RQ workers but
the periodic ones are still enqueued by a ``solex worker``.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.tasks import Task
from django.utils import timezone
from django.utils.module_loading import import_string

from solex.core.models import PeriodicTaskRun

logger = logging.getLogger("solex.worker")

# Slots are counted from here: a Monday, so weekly jobs fall on Mondays.
SLOT_EPOCH = datetime(1970, 1, 5, tzinfo=UTC)
# Rows older than this (or three periods, if longer) are deleted; a worker whose clock
# lags behind can then never find an old slot free again.
KEEP_RUNS = timedelta(days=30)
_TIME_OF_DAY = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclasses.dataclass(frozen=True)
class PeriodicTask:
    path: str
    task: Task[[], Any]
    every: timedelta
    offset: timedelta = timedelta(0)

    def slot_start(self, now: datetime) -> datetime:
        """The start of the period that ``now`` falls in."""
        slots = (now - SLOT_EPOCH - self.offset) // self.every
        return SLOT_EPOCH + self.offset + slots * self.every


def _parse_entry(position: int, entry: Any) -> PeriodicTask:
    where = f"SOLEX_PERIODIC_TASKS[{position}]"
    if not isinstance(entry, dict) or not {"task", "every"} <= entry.keys():
        raise ImproperlyConfigured(
            f'{where} must be a dict with "task" (a dotted path) and "every" (seconds), '
            f"not {entry!r}."
        )
    unknown = entry.keys() - {"task", "every", "at"}
    if unknown:
        raise ImproperlyConfigured(f"{where} has unknown keys: {', '.join(sorted(unknown))}.")
    path, every, at = entry["task"], entry["every"], entry.get("at")
    if not isinstance(every, int) or isinstance(every, bool) or every <= 0:
        raise ImproperlyConfigured(
            f'{where}: "every" must be a positive number of seconds, not {every!r}.'
        )
    offset = timedelta(0)
    if at is not None:
        match = _TIME_OF_DAY.match(at) if isinstance(at, str) else None
        if match is None:
            raise ImproperlyConfigured(
                f'{where}: "at" must be a UTC time of day "HH:MM", not {at!r}.'
            )
        offset = timedelta(hours=int(match[1]), minutes=int(match[2]))
    try:
        task = import_string(path) if isinstance(path, str) else None
    except ImportError as error:
        raise ImproperlyConfigured(
            f"{where}: cannot import the task {path!r} ({error})."
        ) from error
    if not isinstance(task, Task):
        raise ImproperlyConfigured(
            f"{where}: {path!r} is not a task; decorate the function with @django.tasks.task."
        )
    return PeriodicTask(path=path, task=task, every=timedelta(seconds=every), offset=offset)


def parse_periodic_tasks(entries: Sequence[Any]) -> list[PeriodicTask]:
    """The schedule from the setting; ``ImproperlyConfigured`` says what is wrong."""
    return [_parse_entry(position, entry) for position, entry in enumerate(entries)]


def check_periodic_tasks(
    app_configs: Iterable[AppConfig] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """System check: a wrong schedule stops ``solex worker`` (and ``check``) at start-up."""
    try:
        parse_periodic_tasks(settings.SOLEX_PERIODIC_TASKS)
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="core.E001")]
    return []


def enqueue_for_slot(periodic: PeriodicTask, slot_start: datetime, *, now: datetime) -> bool:
    """Enqueue the task for this slot unless another worker did; True if this call did."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                run = PeriodicTaskRun.objects.create(
                    task_path=periodic.path, slot_start=slot_start, enqueued_at=now
                )
        except IntegrityError:
            return False  # another worker has it
        # Inside the transaction: if enqueueing fails, the slot is not taken and the
        # next tick tries again; with the database queue both rows commit together.
        result = periodic.task.enqueue()
        run.task_result_id = str(result.id)
        run.save(update_fields=["task_result_id"])
        PeriodicTaskRun.objects.filter(
            task_path=periodic.path,
            slot_start__lt=slot_start - max(KEEP_RUNS, 3 * periodic.every),
        ).delete()
    logger.info(
        "Periodic task %s enqueued for the period starting %s (id=%s)",
        periodic.path,
        f"{slot_start:%Y-%m-%d %H:%M} UTC",
        run.task_result_id,
    )
    return True


class Scheduler:
    """Enqueues the periodic tasks that are due; the worker calls ``tick`` between batches."""

    def __init__(self, periodic_tasks: Sequence[PeriodicTask]) -> None:
        self.periodic_tasks = list(periodic_tasks)
        # The slot each task was last seen taken in, so the database is asked once per slot.
        self._taken: dict[str, datetime] = {}

    @classmethod
    def from_settings(cls) -> Scheduler:
        return cls(parse_periodic_tasks(settings.SOLEX_PERIODIC_TASKS))

    def tick(self, now: datetime | None = None) -> list[str]:
        """Enqueue every task whose current slot is still free; returns their paths."""
        now = now or timezone.now()
        enqueued: list[str] = []
        for periodic in self.periodic_tasks:
            slot_start = periodic.slot_start(now)
            if self._taken.get(periodic.path) == slot_start:
                continue
            if enqueue_for_slot(periodic, slot_start, now=now):
                enqueued.append(periodic.path)
            self._taken[periodic.path] = slot_start
        return enqueued
