"""`solex scheduler`: enqueue the periodic tasks when the worker is not Solex's own.

`solex worker` schedules by itself with the database queue. At scale, tasks run on
RQ workers (SOLEX_TASK_BACKEND=rq), which know nothing of SOLEX_PERIODIC_TASKS: run
one `solex scheduler` beside them. Several are harmless (each period is claimed once
in the database), so it can run on every worker machine.
"""

from __future__ import annotations

import signal
import threading
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand

from solex.core.schedule import Scheduler


class Command(BaseCommand):
    help = "Enqueue the periodic tasks of SOLEX_PERIODIC_TASKS as they fall due."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=30.0, help="Seconds between checks (default 30)."
        )
        parser.add_argument(
            "--once", action="store_true", help="Check once, enqueue what is due, and exit."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scheduler = Scheduler.from_settings()
        if options["once"]:
            self.tick(scheduler)
            return
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        while True:
            self.tick(scheduler)
            if stop.wait(options["interval"]):
                return

    def tick(self, scheduler: Scheduler) -> None:
        for path in scheduler.tick():
            self.stdout.write(f"enqueued {path}")
