"""Backups: one ``.tar.gz`` with the database, the uploaded files and a manifest.

Archive layout::

    manifest.json        format, Solex version, date, engine, rows per table, files
    database.sqlite3     SQLite's own copy (the default on SQLite), or
    database.jsonl       a portable dump (the default on PostgreSQL; `--portable`)
    media/...            everything under MEDIA_ROOT
    files/...            everything under SOLEX_FILES_DIR (attachments, kept outside the web root)

How the database is copied, and why:

* On **SQLite** the default is SQLite's online backup API: a page-by-page copy that is
  consistent while Solex keeps running and writing, and restores byte-for-byte.
* On **PostgreSQL**, and on SQLite with ``--portable``, the rows are dumped as JSON
  with Django's serialisers (JSON Lines) inside one snapshot transaction, so the
  dump is consistent while the site runs (REPEATABLE READ on PostgreSQL; a WAL read
  snapshot on SQLite). We chose this over ``pg_dump`` because it needs no client
  binaries of the server's exact major version, and because the same file restores
  into either engine: a SQLite instance moves to PostgreSQL with ``solex backup
  --portable`` then ``solex restore`` there. Primary keys are kept, so every row
  comes back identical. It is slower than ``pg_dump`` on very large databases; an
  operator at that scale should use PostgreSQL's own tools (and point-in-time
  recovery) beside it.

Restore goes into a fresh instance: it refuses a database that already has accounts
unless forced, and after loading it checks every table's row count and every file's
checksum against the manifest.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import shutil
import sqlite3
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
JSON_MEMBER = "database.jsonl"
MEDIA_DIR = "media"
STORED_FILES_DIR = "files"


def file_roots() -> dict[str, Path]:
    """The directories a backup carries, by their folder in the archive."""
    return {MEDIA_DIR: Path(settings.MEDIA_ROOT), STORED_FILES_DIR: Path(settings.SOLEX_FILES_DIR)}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclasses.dataclass(frozen=True)
class Manifest:
    format: int
    solex_version: str
    created_at: str
    engine: str
    database: str  # SQLITE_MEMBER or JSON_MEMBER
    rows: dict[str, int]  # per database table
    files: dict[str, str]  # media path -> sha256
    stored_files: dict[str, str] = dataclasses.field(default_factory=dict)  # SOLEX_FILES_DIR

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BackupError(
                f"this archive has backup format {data.get('format')!r} "
                f"(this version of Solex reads format {FORMAT})"
            )
        # Archives made before attachments existed have no stored_files: none to restore.
        return cls(**{field.name: data[field.name] for field in dataclasses.fields(cls)
                      if field.name in data or field.name != "stored_files"})  # fmt: skip


# --- Backup ------------------------------------------------------------------------


def create_backup(destination: Path, *, portable: bool = False) -> Manifest:
    """Write a backup archive to ``destination`` (written aside, then renamed)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    stored_root = Path(settings.SOLEX_FILES_DIR)
    with tempfile.TemporaryDirectory(prefix="solex-backup-") as work:
        workdir = Path(work)
        if connection.vendor == "sqlite" and not portable:
            member = SQLITE_MEMBER
            rows = snapshot_sqlite(workdir / member)
        else:
            member = JSON_MEMBER
            rows = dump_json(workdir / member)
        files = {path: sha256(media_root / path) for path in media_files(media_root)}
        stored = {path: sha256(stored_root / path) for path in media_files(stored_root)}
        manifest = Manifest(
            format=FORMAT,
            solex_version=_solex_version(),
            created_at=timezone.now().isoformat(timespec="seconds"),
            engine=connection.vendor,
            database=member,
            rows=rows,
            files=files,
            stored_files=stored,
        )
        (workdir / MANIFEST).write_text(manifest.to_json())
        partial = destination.with_name(destination.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(workdir / MANIFEST, MANIFEST)
            archive.add(workdir / member, member)
            for path in files:
                archive.add(media_root / path, f"{MEDIA_DIR}/{path}", recursive=False)
            for path in stored:
                archive.add(stored_root / path, f"{STORED_FILES_DIR}/{path}", recursive=False)
        partial.replace(destination)
    return manifest


def snapshot_sqlite(path: Path) -> dict[str, int]:
    """Copy the live SQLite database with the online backup API; count the copy."""
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
        # Self-contained file: no -wal beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        return count_rows(lambda sql: int(copy.execute(sql).fetchone()[0]))


class _ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes to milliseconds; a backup keeps microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def dump_models() -> list[type[models.Model]]:
    """Every model with rows of its own, many-to-many tables included."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def dump_json(path: Path) -> dict[str, int]:
    """Every row of every table as JSON Lines, from one consistent snapshot.

    Unlike ``dumpdata``, many-to-many tables are written as rows of their own (so
    their ids survive too) and datetimes keep their microseconds.
    """
    with snapshot_transaction(), path.open("w", encoding="utf-8") as stream:
        rows = count_rows(_count_with_django)
        for model in dump_models():
            serializers.serialize(
                "jsonl",
                model._base_manager.order_by("pk").iterator(chunk_size=2000),
                stream=stream,
                # Concrete columns only: many-to-many rows come from their own table.
                fields=[field.name for field in model._meta.local_fields],
                cls=_ExactJSONEncoder,
            )
    return rows


@contextmanager
def snapshot_transaction() -> Iterator[None]:
    """One read transaction, so every query sees the same committed state."""
    if connection.in_atomic_block:
        # Already inside a transaction (a caller's): its view is the one we get.
        yield
        return
    if connection.vendor == "sqlite":
        # Solex begins transactions IMMEDIATE (taking the write lock); a DEFERRED one
        # that only reads holds a WAL snapshot without blocking writers.
        connection.ensure_connection()
        previous = connection.transaction_mode  # type: ignore[attr-defined]
        connection.transaction_mode = "DEFERRED"  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                yield
        finally:
            connection.transaction_mode = previous  # type: ignore[attr-defined]
    else:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield


def model_tables() -> list[str]:
    """Every table Solex's models store rows in (many-to-many tables included)."""
    return sorted({model._meta.db_table for model in dump_models()})


def count_rows(count: Callable[[str], int], tables: list[str] | None = None) -> dict[str, int]:
    quote = connection.ops.quote_name
    # Table names come from the models (or our own manifest), never from users.
    return {
        table: count(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
        for table in (model_tables() if tables is None else tables)
    }


def _count_with_django(sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return int(row[0])


def media_files(root: Path) -> list[str]:
    if not root.is_dir():
        return []
    return sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _solex_version() -> str:
    try:
        return metadata.version("solex")
    except metadata.PackageNotFoundError:
        return "unknown"


# --- Restore -----------------------------------------------------------------------


def read_manifest(archive_path: Path) -> Manifest:
    with tarfile.open(archive_path, "r:gz") as archive:
        member = archive.extractfile(MANIFEST)
        if member is None:
            raise BackupError(f"{archive_path} has no {MANIFEST}; it is not a Solex backup")
        return Manifest.from_json(member.read().decode())


def existing_content() -> str:
    """What a restore would overwrite, in words; empty when the instance is fresh."""
    found = []
    accounts = get_user_model()._base_manager.count()
    if accounts:
        found.append(f"{accounts} account{'s' if accounts != 1 else ''}")
    files = sum(len(media_files(root)) for root in file_roots().values())
    if files:
        found.append(f"{files} uploaded file{'s' if files != 1 else ''}")
    return " and ".join(found)


def restore_backup(archive_path: Path, *, force: bool = False) -> Manifest:
    """Load a backup into this instance's database and MEDIA_ROOT, then verify it."""
    try:
        manifest = read_manifest(archive_path)
    except (tarfile.TarError, KeyError, OSError, ValueError) as exc:
        raise BackupError(f"cannot read {archive_path}: {exc}") from exc
    if manifest.database == SQLITE_MEMBER and connection.vendor != "sqlite":
        raise BackupError(
            "this archive holds a SQLite database file, which only restores into SQLite; "
            "to move to PostgreSQL, make the backup with `solex backup --portable`"
        )
    # The tables must exist to tell whether anything would be overwritten.
    call_command("migrate", interactive=False, verbosity=0)
    existing = existing_content()
    if existing and not force:
        raise BackupError(
            f"this instance already has {existing}; restore into a fresh instance, "
            "or add --force to replace its database and files with the backup"
        )
    with tempfile.TemporaryDirectory(prefix="solex-restore-") as work:
        workdir = Path(work)
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(workdir, filter="data")  # refuses paths outside workdir
        _check_files(workdir / MEDIA_DIR, manifest.files, "the archive")
        _check_files(workdir / STORED_FILES_DIR, manifest.stored_files, "the archive")
        if manifest.database == SQLITE_MEMBER:
            load_sqlite(workdir / SQLITE_MEMBER)
        else:
            load_json(workdir / JSON_MEMBER)
        _check_rows(manifest.rows)
        _copy_media(workdir / MEDIA_DIR, Path(settings.MEDIA_ROOT), manifest.files)
        _copy_media(
            workdir / STORED_FILES_DIR, Path(settings.SOLEX_FILES_DIR), manifest.stored_files
        )
    _check_files(Path(settings.MEDIA_ROOT), manifest.files, "MEDIA_ROOT")
    _check_files(Path(settings.SOLEX_FILES_DIR), manifest.stored_files, "SOLEX_FILES_DIR")
    # A backup from an older version gets this version's migrations now.
    call_command("migrate", interactive=False, verbosity=0)
    return manifest


def load_sqlite(path: Path) -> None:
    """Overwrite the whole database with the archived copy, page by page."""
    if connection.in_atomic_block:
        raise BackupError("cannot restore inside a transaction")
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as source:
        source.backup(connection.connection)
    ContentType.objects.clear_cache()


def load_json(path: Path) -> None:
    """Empty every table, then load every row with its primary key, atomically."""
    loaded: set[type[models.Model]] = set()
    with transaction.atomic():
        # No post-migrate handlers: content types and permissions come from the dump,
        # with their original ids, like every other row.
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        with path.open(encoding="utf-8") as stream:
            # Foreign keys are checked at commit (Django creates them deferrable on
            # both engines), so the order of the rows does not matter.
            for item in serializers.deserialize("jsonl", stream):
                item.save()
                loaded.add(type(item.object))
        # Rows came with their ids: move PostgreSQL's sequences past them.
        statements = connection.ops.sequence_reset_sql(no_style(), list(loaded))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
    ContentType.objects.clear_cache()


def _check_rows(expected: dict[str, int]) -> None:
    present = set(connection.introspection.table_names())
    missing = sorted(set(expected) - present)
    actual = count_rows(_count_with_django, sorted(set(expected) & present))
    wrong = [
        f"{table}: {actual.get(table)} rows instead of {rows}"
        for table, rows in sorted(expected.items())
        if table in present and actual.get(table) != rows
    ]
    if missing or wrong:
        problems = [f"{table}: missing" for table in missing] + wrong
        raise BackupError("the restored database does not match the backup: " + "; ".join(problems))


def _check_files(root: Path, expected: dict[str, str], where: str) -> None:
    bad = [path for path, digest in expected.items() if not (root / path).is_file()
           or sha256(root / path) != digest]  # fmt: skip
    if bad:
        raise BackupError(
            f"files in {where} do not match the backup's checksums: {', '.join(bad[:5])}"
        )


def _copy_media(source: Path, target: Path, files: dict[str, str]) -> None:
    for path in files:
        destination = target / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / path, destination)
