"""`solex worker`: run background tasks from the database queue.

The options are django-tasks-db's ``db_worker`` options plus ``--lease-seconds`` and
``--max-attempts``; see ``solex.core.worker`` for what the lease and retries do. It
also enqueues the periodic tasks of ``SOLEX_PERIODIC_TASKS`` (``solex.core.schedule``):
only this command schedules them.
"""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from solex.core.schedule import Scheduler
from solex.core.worker import SolexWorker


def _positive_int(value: str) -> int:
    number = int(value)
    if number <= 0:
        raise ValueError(value)
    return number


class Command(DbWorkerCommand):
    help = "Run background tasks, reclaiming tasks of dead workers and retrying failures."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--lease-seconds",
            type=_positive_int,
            default=settings.SOLEX_TASK_LEASE_SECONDS,
            help="A task running longer than this belongs to a dead worker and is queued "
            "again (default: SOLEX_TASK_LEASE_SECONDS, %(default)s).",
        )
        parser.add_argument(
            "--max-attempts",
            type=_positive_int,
            default=settings.SOLEX_TASK_MAX_ATTEMPTS,
            help="Tries per task before it stays failed (default: SOLEX_TASK_MAX_ATTEMPTS, "
            "%(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = SolexWorker(
            queue_names=queue_names,
            excluded_queue_names=excluded,
            interval=options["interval"],
            backend_name=options["backend_name"],
            worker_id=options["worker_id"],
            lease_seconds=options["lease_seconds"],
            max_attempts=options["max_attempts"],
            max_tasks=options["max_tasks"],
            exit_when_idle=options["batch"],
            startup_delay=options["startup_delay"],
            scheduler=Scheduler.from_settings(),
        )
        if options["reload"] and not options["batch"]:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the reloaded child handles signals
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
