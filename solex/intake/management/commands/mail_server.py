"""`solex mail-server`: the SMTP (or LMTP) listener of the mail intake."""

from __future__ import annotations

import signal
import threading
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from solex.intake.server import make_controller


class Command(BaseCommand):
    help = (
        "Receive mail for SOLEX_MAIL_DOMAIN over SMTP (or LMTP): each message is stored "
        "before it is accepted, then processed by the task worker."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", type=int, default=8025, help="Port (default %(default)s).")
        parser.add_argument("--lmtp", action="store_true", help="Speak LMTP instead of SMTP.")

    def handle(self, *args: Any, **options: Any) -> None:
        controller = make_controller(options["host"], options["port"], lmtp=options["lmtp"])
        controller.start()
        protocol = "LMTP" if options["lmtp"] else "SMTP"
        self.stdout.write(
            f"Receiving mail for {settings.SOLEX_MAIL_DOMAIN} over {protocol} on "
            f"{options['host']}:{options['port']} (Ctrl-C to stop)."
        )
        self.stdout.flush()
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_args: stop.set())
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()
