"""`solex mail ingest`: store one message read on standard input (for an MTA pipe).

Exit codes follow sysexits.h, which MTAs understand: 0 stored, 65 (EX_DATAERR) empty
or too large, 75 (EX_TEMPFAIL) the database could not be reached (the MTA keeps the
message and tries again).
"""

from __future__ import annotations

import os
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from solex.intake import actions

EX_OK = 0
EX_USAGE = 64
EX_DATAERR = 65
EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Store one message from standard input; it is then processed by the task worker."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--sender",
            default=os.environ.get("SENDER", ""),
            help="Envelope sender (default: $SENDER, as set by Postfix and procmail).",
        )
        parser.add_argument(
            "--recipient",
            action="append",
            default=[],
            help="Envelope recipient, repeatable (default: $ORIGINAL_RECIPIENT or $RECIPIENT).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        recipients = options["recipient"] or [
            value
            for value in (os.environ.get("ORIGINAL_RECIPIENT") or os.environ.get("RECIPIENT"),)
            if value
        ]
        if not recipients:
            sys.stderr.write("solex mail ingest: give --recipient (or set $RECIPIENT)\n")
            sys.exit(EX_USAGE)
        limit = actions.max_message_bytes()
        raw = sys.stdin.buffer.read(limit + 1)
        if not raw.strip():
            sys.stderr.write("solex mail ingest: the message is empty\n")
            sys.exit(EX_DATAERR)
        if len(raw) > limit:
            sys.stderr.write(f"solex mail ingest: the message is larger than {limit} bytes\n")
            sys.exit(EX_DATAERR)
        try:
            message = actions.receive_message(
                raw, mail_from=options["sender"], recipients=recipients
            )
        except Exception as exc:  # the database is down or locked: the MTA will retry
            sys.stderr.write(f"solex mail ingest: could not store the message: {exc}\n")
            sys.exit(EX_TEMPFAIL)
        self.stdout.write(f"stored {message.pk}")
