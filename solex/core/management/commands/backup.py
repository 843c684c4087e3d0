"""`solex backup`: the database and uploaded files in one archive (see solex.core.backup)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from solex.core.backup import BackupError, create_backup


def _size(octets: int) -> str:
    return f"{octets / 1e6:.1f} MB" if octets >= 1e6 else f"{octets / 1e3:.0f} kB"


class Command(BaseCommand):
    help = "Write a backup archive (.tar.gz) of the database and the uploaded files."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "archive",
            nargs="?",
            type=Path,
            help="Where to write it (default: DATA_DIR/backups/solex-<date>.tar.gz).",
        )
        parser.add_argument(
            "--portable",
            action="store_true",
            help="On SQLite, dump the rows as JSON instead of copying the database file, "
            "so the archive also restores into PostgreSQL.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path | None = options["archive"]
        if archive is None:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            archive = Path(settings.DATA_DIR) / "backups" / f"solex-{stamp}.tar.gz"
        if archive.is_dir():
            raise CommandError(f"{archive} is a directory; give a file name ending in .tar.gz")
        try:
            manifest = create_backup(archive, portable=options["portable"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        kind = "SQLite copy" if manifest.database.endswith(".sqlite3") else "portable JSON"
        self.stdout.write(
            f"Backed up {manifest.total_rows} rows ({kind}) and {len(manifest.files)} files "
            f"to {archive} ({_size(archive.stat().st_size)})."
        )
