"""Backup and restore: every row and every uploaded file comes back identical.

These tests need real transactions (a restore replaces the whole database), so they
use ``transaction=True``; they run on SQLite and on PostgreSQL like the rest.
"""

from __future__ import annotations

import hashlib
import json
import tarfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from solex.core.backup import BackupError, create_backup, read_manifest, restore_backup

pytestmark = pytest.mark.django_db(transaction=True)

MEDIA = {
    "avatars/amina.png": bytes(range(256)) * 40,
    "library/2026/water-report.pdf": b"%PDF-1.7\n" + b"\x00\xff" * 5000,
    "notes/caf\u00e9 r\u00e9sum\u00e9.txt": "Caf\u00e9 notes \u2014 \u0645\u0631\u062d\u0628\u0627\n".encode(),
}


ATTACHMENTS = {"ab/abcdef0123": b"%PDF-1.7\n attached field brief"}


@pytest.fixture
def media_root(settings: Settings, tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    # Attachments live outside the web root, in their own directory: backed up too.
    settings.SOLEX_FILES_DIR = tmp_path / "files"
    for path, content in ATTACHMENTS.items():
        (settings.SOLEX_FILES_DIR / path).parent.mkdir(parents=True)
        (settings.SOLEX_FILES_DIR / path).write_bytes(content)
    yield root


def populate(media_root: Path) -> None:
    user_model = get_user_model()
    amina = user_model.objects.create_user(
        "amina", email="amina@example.org", password="pw-amina-1", name="Amina Diallo"
    )
    user_model.objects.create_user(
        "pedro",
        email="pedro@example.org",
        password="pw-pedro-1",
        name="Pedro Alves",
        is_active=False,
    )
    facilitators = Group.objects.create(name="Facilitators")
    facilitators.permissions.set(Permission.objects.order_by("pk")[:3])
    amina.groups.add(facilitators)
    DBTaskResult.objects.create(
        task_path="solex.example.send_digest",
        args_kwargs={"args": [1], "kwargs": {"lang": "fr"}},
        backend_name="default",
        status=TaskResultStatus.FAILED,
        run_after=timezone.now() + timedelta(hours=1),
        exception_class_path="builtins.RuntimeError",
        traceback="RuntimeError: \u00e9chec\n",
        worker_ids=["w1", "w2"],
    )
    for path, content in MEDIA.items():
        (media_root / path).parent.mkdir(parents=True, exist_ok=True)
        (media_root / path).write_bytes(content)


def all_rows() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, by table, in primary-key order."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            rows[model._meta.db_table] = list(model._base_manager.order_by("pk").values())
    return rows


def all_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def become_fresh_instance(settings: Settings, tmp_path: Path) -> Path:
    """An empty database (as after `migrate`) and an empty media directory."""
    call_command("flush", interactive=False, verbosity=0)
    fresh_media = tmp_path / "fresh-media"
    settings.MEDIA_ROOT = fresh_media
    settings.SOLEX_FILES_DIR = tmp_path / "fresh-files"
    return fresh_media


@pytest.mark.parametrize("portable", [False, True], ids=["native", "portable"])
def test_restore_into_a_fresh_instance_brings_back_every_row_and_file(
    portable: bool, media_root: Path, settings: Settings, tmp_path: Path
) -> None:
    populate(media_root)
    rows_before = all_rows()
    archive = tmp_path / "backup.tar.gz"

    manifest = create_backup(archive, portable=portable)

    assert manifest.engine == connection.vendor
    assert manifest.database == (
        "database.sqlite3" if connection.vendor == "sqlite" and not portable else "database.jsonl"
    )
    assert manifest.rows[get_user_model()._meta.db_table] == 2
    assert manifest.rows["accounts_user_groups"] == 1
    assert set(manifest.files) == set(MEDIA)

    fresh_media = become_fresh_instance(settings, tmp_path)
    assert not get_user_model().objects.exists()

    restore_backup(archive)

    assert all_rows() == rows_before
    assert all_files(fresh_media) == MEDIA
    assert all_files(settings.SOLEX_FILES_DIR) == ATTACHMENTS
    amina = get_user_model().objects.get(username="amina")
    assert amina.check_password("pw-amina-1")
    assert list(amina.groups.values_list("name", flat=True)) == ["Facilitators"]
    # Sequences continue after the restored ids (PostgreSQL resets them after loading).
    newcomer = get_user_model().objects.create_user("sam", email="sam@example.org", name="Sam")
    assert newcomer.pk > amina.pk


def test_archive_holds_a_manifest_with_counts_and_checksums(
    media_root: Path, tmp_path: Path
) -> None:
    populate(media_root)
    archive = tmp_path / "backup.tar.gz"

    call_command("backup", str(archive), verbosity=0)

    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest_file = tar.extractfile("manifest.json")
        assert manifest_file is not None
        manifest = json.loads(manifest_file.read())
    assert names[0] == "manifest.json"
    assert {f"media/{path}" for path in MEDIA} <= set(names)
    assert manifest["format"] == 1
    assert manifest["engine"] == connection.vendor
    assert manifest["rows"]["auth_group"] == 1
    assert manifest["rows"][DBTaskResult._meta.db_table] == 1
    assert manifest["files"] == {
        path: hashlib.sha256(content).hexdigest() for path, content in MEDIA.items()
    }
    assert read_manifest(archive).total_rows == sum(manifest["rows"].values())


def test_restore_refuses_an_instance_that_has_data_unless_forced(
    media_root: Path, settings: Settings, tmp_path: Path
) -> None:
    populate(media_root)
    archive = tmp_path / "backup.tar.gz"
    create_backup(archive)
    rows_at_backup = all_rows()
    get_user_model().objects.filter(username="pedro").delete()
    get_user_model().objects.create_user("late", email="late@example.org", name="Late Comer")
    rows_now = all_rows()

    with pytest.raises(CommandError, match="already has 2 accounts and 4 uploaded files"):
        call_command("restore", str(archive), verbosity=0)
    assert all_rows() == rows_now  # nothing changed

    call_command("restore", str(archive), "--force", verbosity=0)
    assert all_rows() == rows_at_backup


def test_restore_detects_a_damaged_archive(
    media_root: Path, settings: Settings, tmp_path: Path
) -> None:
    populate(media_root)
    archive = tmp_path / "backup.tar.gz"
    manifest = create_backup(archive, portable=True)
    # Forge an archive whose manifest promises one more user than it holds.
    tampered = tmp_path / "tampered.tar.gz"
    rows = dict(manifest.rows)
    rows[get_user_model()._meta.db_table] += 1
    forged = json.loads(manifest.to_json()) | {"rows": rows}
    (tmp_path / "manifest.json").write_text(json.dumps(forged))
    with tarfile.open(archive) as source, tarfile.open(tampered, "w:gz") as target:
        target.add(tmp_path / "manifest.json", "manifest.json")
        for member in source.getmembers():
            if member.name != "manifest.json":
                target.addfile(member, source.extractfile(member))
    become_fresh_instance(settings, tmp_path)

    with pytest.raises(BackupError, match="accounts_user: 2 rows instead of 3"):
        restore_backup(tampered)


def test_restore_of_something_that_is_not_a_backup_is_a_clear_error(tmp_path: Path) -> None:
    not_a_backup = tmp_path / "photo.tar.gz"
    not_a_backup.write_bytes(b"not gzip at all")

    with pytest.raises(CommandError, match="cannot read .*photo.tar.gz"):
        call_command("restore", str(not_a_backup), verbosity=0)
