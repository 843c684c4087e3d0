"""`solex search reindex|sweep|prune`: rebuild or refresh the search index by hand.

The worker keeps the index current on its own (``sweep_index`` every minute,
``prune_index`` hourly); run ``reindex`` after a restore, an upgrade that changes what
is indexed, or switching database.
"""

from __future__ import annotations

import sys
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from solex.search import actions
from solex.search.sources import sources

WIDTH = 28


class _Bar:
    """One line per kind of document, redrawn in place on a terminal."""

    def __init__(self, command: BaseCommand, totals: dict[str, int]) -> None:
        self.stream = command.stderr
        self.interactive = bool(getattr(sys.stderr, "isatty", lambda: False)())
        self.totals = totals
        self.done: dict[str, int] = {}
        self.started = time.monotonic()
        self.kind_started = self.started
        self.current = ""
        self.drawn_at = 0.0

    def __call__(self, kind: str, count: int) -> None:
        now = time.monotonic()
        if kind != self.current:
            if self.current:
                self._draw(self.current, now, final=True)
            self.current, self.kind_started = kind, now
        self.done[kind] = self.done.get(kind, 0) + count
        if self.interactive and now - self.drawn_at >= 0.1:
            self._draw(kind, now, final=False)

    def finish(self) -> None:
        if self.current:
            self._draw(self.current, time.monotonic(), final=True)

    def _draw(self, kind: str, now: float, *, final: bool) -> None:
        self.drawn_at = now
        done, total = self.done.get(kind, 0), max(self.totals.get(kind, 0), 1)
        filled = min(WIDTH, WIDTH * done // total)
        elapsed = now - self.kind_started
        rate = done / elapsed if elapsed > 0 else 0.0
        line = (
            f"  {kind:<10} [{'#' * filled}{'.' * (WIDTH - filled)}] "
            f"{done:>10,} documents {elapsed:7.1f} s {rate:9,.0f}/s"
        )
        if self.interactive:
            self.stream.write("\r" + line, ending="\n" if final else "")
            self.stream.flush()
        elif final:
            self.stream.write(line)


class Command(BaseCommand):
    help = "Rebuild the search index (reindex), index what changed (sweep), drop deleted objects (prune)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["reindex", "sweep", "prune"])
        parser.add_argument(
            "--kind",
            action="append",
            default=None,
            help="Reindex only this kind of document (repeat for several): " + ", ".join(sources()),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        started = time.monotonic()
        if action == "reindex":
            kinds = options["kind"]
            unknown = sorted(set(kinds or []) - set(sources()))
            if unknown:
                raise CommandError(
                    f"Unknown kind {', '.join(unknown)}: choose among {', '.join(sources())}."
                )
            chosen = kinds or list(sources())
            bar = _Bar(self, {kind: sources()[kind].count() for kind in chosen})
            total = actions.rebuild(bar, kinds=kinds)
            bar.finish()
            seconds = time.monotonic() - started
            self.stdout.write(
                f"Indexed {total:,} documents in {seconds:.1f} s "
                f"({total / seconds if seconds else 0:,.0f} per second)."
            )
        elif action == "sweep":
            written = actions.sweep()
            self.stdout.write(
                "Reindexed what changed: "
                + ", ".join(f"{kind} {count:,}" for kind, count in written.items())
                + "."
            )
        else:
            removed = actions.prune()
            self.stdout.write(f"Removed {removed:,} documents of deleted objects.")
