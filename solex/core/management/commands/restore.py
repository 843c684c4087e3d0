"""`solex restore`: load a `solex backup` archive into a fresh instance, then verify it."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from solex.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive into this instance's database and uploaded files, "
        "and check every table's row count and every file's checksum afterwards."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("archive", type=Path, help="A .tar.gz written by `solex backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that already has accounts (its data is lost).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        if not archive.is_file():
            raise CommandError(f"{archive} does not exist")
        try:
            manifest = restore_backup(archive, force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {manifest.total_rows} rows and {len(manifest.files)} files from the "
            f"{manifest.engine} backup of {manifest.created_at}; counts and checksums match."
        )
