"""The task worker: django-tasks-db's worker plus leases, retries, periodic tasks and a clean stop.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it
again, so a task whose worker was killed stays RUNNING forever; and Django's task
framework does not retry a task that raised, nor has a scheduler. This module adds them:

* **Lease.** A task RUNNING for longer than ``SOLEX_TASK_LEASE_SECONDS`` since it was
  claimed belongs to a dead worker. It goes back to READY, or is marked FAILED once
  it has used up ``SOLEX_TASK_MAX_ATTEMPTS`` claims. The lease must therefore be
  longer than the slowest task: a task still running when its lease ends may run
  twice, which idempotent tasks (a rule for every Solex task) tolerate.
* **Periodic tasks.** Between batches the worker enqueues the periodic tasks that
  are due (``SOLEX_PERIODIC_TASKS``), once per period across all workers; see
  ``solex.core.schedule``.
* **Retry.** A task that raised is put back to READY with an exponential backoff
  (``run_after``) until it has been tried ``SOLEX_TASK_MAX_ATTEMPTS`` times; then it
  stays FAILED, with its traceback, and the give-up is logged.

Attempts are counted from the row itself: each claim appends the worker's id to
``worker_ids``, so the count survives worker restarts.
"""

from __future__ import annotations

import dataclasses
import logging
import random
import signal
import threading
import time
from datetime import datetime, timedelta
from types import FrameType
from typing import Any

from django.db import close_old_connections
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from solex.core.schedule import Scheduler

logger = logging.getLogger("solex.worker")

# Backoff after the n-th failed attempt: RETRY_BASE_DELAY * 2 ** (n - 1), capped.
RETRY_BASE_DELAY = timedelta(seconds=30)
RETRY_MAX_DELAY = timedelta(hours=1)
# How many expired leases one pass reclaims; the next pass takes the rest.
RECLAIM_BATCH = 100


class _QuietBatches(logging.Filter):
    """Drop the package's per-batch start/stop lines, which we would log every second."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(("Starting worker", "No more tasks to run"))


_quiet_batches = _QuietBatches()


class LeaseExpired(Exception):  # noqa: N818 - recorded as the task's exception class
    """Recorded on a task whose worker died on its last allowed attempt."""


@dataclasses.dataclass(frozen=True)
class Reclaimed:
    requeued: int
    failed: int


def retry_delay(attempts: int, base: timedelta = RETRY_BASE_DELAY) -> timedelta:
    """How long to wait before the next try, after ``attempts`` failed tries."""
    delay: timedelta = base * 2 ** max(attempts - 1, 0)
    return min(delay, RETRY_MAX_DELAY)


def reclaim_expired_tasks(
    *,
    lease_seconds: int,
    max_attempts: int,
    backend_name: str = DEFAULT_TASK_BACKEND_ALIAS,
    now: datetime | None = None,
) -> Reclaimed:
    """Put back tasks whose worker died: RUNNING longer than the lease since claimed."""
    now = now or timezone.now()
    expired = (
        DBTaskResult.objects.running()
        .filter(backend_name=backend_name, started_at__lt=now - timedelta(seconds=lease_seconds))
        .order_by("started_at")
    )
    requeued = failed = 0
    with exclusive_transaction(expired.db):
        # skip_locked: on PostgreSQL two workers reclaiming at once split the rows.
        for result in expired.select_for_update(skip_locked=True)[:RECLAIM_BATCH]:
            attempts = len(result.worker_ids)
            worker = result.worker_ids[-1] if result.worker_ids else "?"
            if attempts >= max_attempts:
                result.status = TaskResultStatus.FAILED
                result.finished_at = now
                result.exception_class_path = f"{__name__}.{LeaseExpired.__qualname__}"
                result.traceback = (
                    f"{LeaseExpired.__qualname__}: worker {worker} claimed this task at "
                    f"{result.started_at:%Y-%m-%d %H:%M:%S} UTC and did not finish it within "
                    f"{lease_seconds} s; gave up after {attempts} attempts.\n"
                )
                result.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                failed += 1
                logger.error(
                    "Task id=%s path=%s: lease expired on attempt %d of %d; marked failed",
                    result.id,
                    result.task_path,
                    attempts,
                    max_attempts,
                )
            else:
                result.status = TaskResultStatus.READY
                result.save(update_fields=["status"])
                requeued += 1
                logger.warning(
                    "Task id=%s path=%s: worker %s held it longer than %d s; queued again "
                    "(attempt %d of %d)",
                    result.id,
                    result.task_path,
                    worker,
                    lease_seconds,
                    attempts,
                    max_attempts,
                )
    return Reclaimed(requeued=requeued, failed=failed)


class SolexWorker(Worker):
    """Runs tasks until stopped; reclaims expired leases and retries failures.

    It drives the package's loop in batch mode (drain the ready tasks, then return)
    and does the waiting itself, so that it can reclaim leases between batches and
    a stop signal interrupts the wait at once instead of calling ``sys.exit``.
    """

    def __init__(
        self,
        *,
        queue_names: list[str],
        interval: float,
        backend_name: str = DEFAULT_TASK_BACKEND_ALIAS,
        worker_id: str,
        lease_seconds: int,
        max_attempts: int,
        excluded_queue_names: list[str] | None = None,
        max_tasks: int | None = None,
        exit_when_idle: bool = False,
        startup_delay: bool = False,
        retry_base_delay: timedelta = RETRY_BASE_DELAY,
        scheduler: Scheduler | None = None,
    ) -> None:
        super().__init__(
            queue_names=queue_names,
            interval=interval,
            batch=True,
            backend_name=backend_name,
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names or [],
        )
        self.lease_seconds = lease_seconds
        self.max_attempts = max(1, max_attempts)
        self.exit_when_idle = exit_when_idle
        self.solex_startup_delay = startup_delay
        self.retry_base_delay = retry_base_delay
        self.scheduler = scheduler
        self.reclaim_every = max(1.0, min(60.0, lease_seconds / 10))
        self._stop = threading.Event()
        self._next_reclaim = 0.0

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if not self.running:
            # Second Ctrl-C: the package's behaviour (interrupt the task, exit 1).
            super().shutdown(signum, frame)
            return
        logger.info(
            "Received %s: %s (send it again to force)",
            signal.strsignal(signum),
            "finishing the current task, then stopping" if self.running_task else "stopping",
        )
        self.running = False
        self._stop.set()

    def run(self) -> None:
        logging.getLogger("django_tasks_db").addFilter(_quiet_batches)  # idempotent
        logger.info(
            "Worker %s started: queues=%s lease=%ss max_attempts=%d",
            self.worker_id,
            ",".join(self.queue_names),
            self.lease_seconds,
            self.max_attempts,
        )
        if self.solex_startup_delay and self.interval:
            # Spread workers started together (thundering herd).
            self._stop.wait(random.random())  # noqa: S311
        while self.running:
            self.reclaim_if_due()
            self.schedule_due_tasks()
            super().run()  # drains the ready tasks (batch mode), then returns
            close_old_connections()
            if self.exit_when_idle or not self.running:
                break
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                break
            self._stop.wait(self.interval)
        logger.info("Worker %s stopped", self.worker_id)

    def reclaim_if_due(self) -> None:
        if time.monotonic() < self._next_reclaim:
            return
        reclaim_expired_tasks(
            lease_seconds=self.lease_seconds,
            max_attempts=self.max_attempts,
            backend_name=self.backend_name,
        )
        self._next_reclaim = time.monotonic() + self.reclaim_every

    def schedule_due_tasks(self) -> None:
        if self.scheduler is None:
            return
        try:
            self.scheduler.tick()
        except Exception:
            # A queue or database hiccup must not stop the worker: the slot stays
            # free, so the next pass tries again.
            logger.exception("Could not enqueue the periodic tasks; trying again next pass")

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        super().run_task(db_task_result)
        if db_task_result.status == TaskResultStatus.FAILED:
            self.schedule_retry(db_task_result)

    def schedule_retry(self, result: DBTaskResult[Any, Any]) -> None:
        attempts = len(result.worker_ids)
        if attempts >= self.max_attempts:
            logger.error(
                "Task id=%s path=%s failed %d times (%s); giving up",
                result.id,
                result.task_path,
                attempts,
                result.exception_class_path,
            )
            return
        delay = retry_delay(attempts, self.retry_base_delay)
        # Conditional update: only a row still FAILED by this attempt goes back.
        DBTaskResult.objects.filter(id=result.id, status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY, run_after=timezone.now() + delay, finished_at=None
        )
        logger.warning(
            "Task id=%s path=%s failed on attempt %d of %d (%s); retrying in %d s",
            result.id,
            result.task_path,
            attempts,
            self.max_attempts,
            result.exception_class_path,
            delay.total_seconds(),
        )
