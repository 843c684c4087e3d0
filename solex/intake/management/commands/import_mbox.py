"""`solex import mbox FILE --community SLUG`: import a list archive into a community."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from solex.communities.models import Community
from solex.intake.importing import import_mbox

BAR_WIDTH = 30


def _progress(done: int, total: int) -> None:
    filled = BAR_WIDTH * done // max(total, 1)
    percent = 100 * done // max(total, 1)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} {percent}%")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


class Command(BaseCommand):
    help = (
        "Import a mailing-list archive (mbox) into a community: threads rebuilt, senders "
        "matched to members or given unclaimed profiles. Safe to run again."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="The mbox file.")
        parser.add_argument("--community", required=True, help="The community's web address.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        community = Community.objects.filter(slug=options["community"]).first()
        if community is None:
            raise CommandError(f"No community has the address {options['community']!r}.")
        report = import_mbox(
            community, path, progress=None if options["no_progress"] else _progress
        )
        self.stdout.write(
            f"Imported {report.imported} messages ({report.threads} threads, {report.replies} "
            f"replies), skipped {report.skipped} already imported, created "
            f"{report.unclaimed_profiles} unclaimed profiles."
        )
