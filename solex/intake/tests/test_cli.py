"""The two-word spellings of the intake's commands reach their management commands."""

from __future__ import annotations

import subprocess
import sys

from solex.cli import _subcommand


def test_two_word_commands_map_to_management_commands() -> None:
    assert _subcommand(["mail", "ingest", "--recipient", "a@b"]) == [
        "mail_ingest",
        "--recipient",
        "a@b",
    ]
    assert _subcommand(["mail-server", "--lmtp"]) == ["mail_server", "--lmtp"]
    assert _subcommand(["import", "mbox", "f.mbox", "--community", "x"]) == [
        "import_mbox",
        "f.mbox",
        "--community",
        "x",
    ]
    assert _subcommand(["migrate"]) == ["migrate"]


def test_solex_import_mbox_help_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "solex.cli", "import", "mbox", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "--community" in done.stdout
