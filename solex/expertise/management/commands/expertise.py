"""`solex expertise rebuild|refresh`: keep the evidence ledger current by hand.

The worker does both on its own (``SOLEX_PERIODIC_TASKS``); run ``rebuild`` after
changing ``SOLEX_EXPERTISE_HALF_LIFE_DAYS`` or the evidence sources, or after a restore.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from solex.expertise import ledger

WIDTH = 28


class _Bar:
    """One line per source, redrawn in place on a terminal (at most ten times a second)."""

    def __init__(self, command: BaseCommand) -> None:
        self.stream = command.stderr
        self.interactive = command.stderr.isatty()
        self.drawn_at = 0.0
        self.started = time.monotonic()
        self.current = ""

    def __call__(self, source: str, done: int, total: int, finished: bool) -> None:
        now = time.monotonic()
        if source != self.current:
            self.current, self.started = source, now
        if not finished and (not self.interactive or now - self.drawn_at < 0.1):
            return
        self.drawn_at = now
        filled = WIDTH * done // total if total else WIDTH
        label = source.rsplit(".", 2)[-2:]
        line = (
            f"  {'.'.join(label):<34} [{'#' * filled}{'.' * (WIDTH - filled)}] "
            f"{done:>10,}/{total:<10,} {now - self.started:6.1f} s"
        )
        if self.interactive:
            self.stream.write("\r" + line, ending="\n" if finished else "")
            self.stream.flush()
        elif finished:
            self.stream.write(line)


class Command(BaseCommand):
    help = "Rebuild the expertise evidence ledger from its sources, or read what is new."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "action",
            choices=["rebuild", "refresh"],
            help="rebuild: read every source in full; refresh: only what is new since the last run.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        if options["action"] == "rebuild":
            report = ledger.rebuild(progress=_Bar(self))
        elif options["action"] == "refresh":
            report = ledger.refresh()
        else:  # pragma: no cover - argparse refuses other values
            raise CommandError("Choose rebuild or refresh.")
        seconds = time.monotonic() - started
        rate = report.rows / seconds if seconds else 0.0
        self.stdout.write(
            f"{report.rows:,} evidence rows read ({rate:,.0f}/s), {report.removed:,} removed, "
            f"{report.summaries:,} summaries, in {seconds:.1f} s."
        )
