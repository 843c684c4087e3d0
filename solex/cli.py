"""The `solex` command: Django's management commands under the project's own name.

`solex run`, `solex worker`, `solex demo`, `solex migrate`, `solex check`, ... are all
management commands; this wrapper only picks the settings and turns mistakes in the
environment (configuration, an unreachable or unreadable database, a file Solex may
not touch) into one clear line instead of a traceback. Everything else, real bugs
included, still ends in a traceback. `--traceback` shows it for these errors too.
"""

from __future__ import annotations

import os
import sys


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


# Two-word commands and their management command: `solex mail ingest` runs `mail_ingest`.
SUBCOMMANDS = {
    ("mail-server",): "mail_server",
    ("mail", "ingest"): "mail_ingest",
    ("import", "mbox"): "import_mbox",
}


def _subcommand(args: list[str]) -> list[str]:
    for words, command in SUBCOMMANDS.items():
        if tuple(args[: len(words)]) == words:
            return [command, *args[len(words) :]]
    return args


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solex.settings")
    args = _subcommand(sys.argv[1:] if argv is None else argv)
    from django.core.exceptions import ImproperlyConfigured
    from django.db.utils import OperationalError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["solex", *args])
    except ImproperlyConfigured as exc:
        if "--traceback" in args:
            raise
        sys.stderr.write(f"solex: configuration error: {_one_line(exc)}\n")
        sys.exit(2)
    except OperationalError as exc:
        # Raised for a database that cannot be reached or opened (wrong host, password
        # or path, a server that is down), before any command logic runs.
        if "--traceback" in args:
            raise
        message = _one_line(exc)
        missing_table = "no such table" in message or (
            "relation" in message and "does not exist" in message
        )
        hint = (
            "run `solex migrate` first" if missing_table else "check DATABASE_URL or SOLEX_DATA_DIR"
        )
        sys.stderr.write(f"solex: cannot use the database: {message} ({hint})\n")
        sys.exit(2)
    except (PermissionError, IsADirectoryError, NotADirectoryError, FileExistsError) as exc:
        # Only errors about a named path: the data directory, the secret key file.
        if exc.filename is None or "--traceback" in args:
            raise
        sys.stderr.write(f"solex: cannot use {exc.filename}: {exc.strerror}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
