"""`solex run`: everything one machine needs, in the foreground.

It migrates the database, collects static files, loads the demo into a database with
no accounts, then starts two child processes, gunicorn (the web server) and `solex
worker` (background tasks), and watches them: Ctrl-C or SIGTERM stops both cleanly
and exits 0; if either dies, the other is stopped and the command exits 1. Running it
again reuses the database, so nothing is lost between runs.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.utils.module_loading import import_string

# Two cores and little memory: two gunicorn processes of four threads each serve a
# community comfortably; more processes would mostly queue on SQLite's single writer.
DEFAULT_WEB_PROCESSES = 2
DEFAULT_THREADS = 4
STARTUP_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0
# Where `solex run` looks for the demo accounts to print (a callable returning
# (login, password, who) triples); a missing one is not an error.
DEMO_LOGINS = "solex.demo.logins.demo_logins"


class Command(BaseCommand):
    help = (
        "Serve Solex: migrate, collect static files, load the demo into an empty "
        "database, then run the web server and the task worker until stopped."
    )
    # Checked in handle(), after the port: a busy port is the likeliest mistake.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--host",
            default=os.environ.get("HOST") or "127.0.0.1",
            help="Address to listen on (default: $HOST or 127.0.0.1; 0.0.0.0 for all).",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=_env_port(),
            help="Port to listen on (default: $PORT or 8000).",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=DEFAULT_WEB_PROCESSES,
            help="Web server processes (default: %(default)s).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=DEFAULT_THREADS,
            help="Threads per web server process (default: %(default)s).",
        )
        parser.add_argument(
            "--no-demo",
            action="store_false",
            dest="demo",
            help="Do not load the demo data into an empty database.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host: str = options["host"]
        port: int = options["port"]
        if not 0 < port < 65536:
            raise CommandError(f"port {port} is not a port number (1-65535)")
        ensure_port_is_free(host, port)
        self.check()
        try:
            welcome = self.prepare(load_demo=options["demo"])
        except KeyboardInterrupt:
            raise CommandError("interrupted before the server started", returncode=130) from None
        # The children open their own connections; do not keep SQLite busy here.
        connections.close_all()
        self.serve(host, port, options["processes"], options["threads"], welcome)

    def prepare(self, *, load_demo: bool) -> str:
        """Bring the database and static files up to date; return the sign-in help."""
        self.stdout.write(f"Database: {describe_database()}")
        self.stdout.write("Applying migrations...")
        call_command("migrate", interactive=False, verbosity=0)
        if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
            call_command("createcachetable", verbosity=0)
        self.stdout.write("Collecting static files...")
        call_command("collectstatic", interactive=False, verbosity=0)
        if not load_demo or get_user_model().objects.exists():
            return "\n".join(demo_login_lines())
        if "demo" not in get_commands():
            self.stdout.write(
                "The database has no accounts and the demo data is not available in this "
                "version; create an account with `solex createsuperuser`."
            )
            return ""
        self.stdout.write("Empty database: loading the demo data...")
        output = io.StringIO()
        call_command("demo", stdout=output)
        return output.getvalue()

    def serve(self, host: str, port: int, processes: int, threads: int, welcome: str) -> None:
        stop = threading.Event()
        received: list[int] = []

        def on_signal(signum: int, frame: FrameType | None) -> None:
            received.append(signum)
            stop.set()

        # Before the children exist, so a signal during start-up still stops them.
        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)

        children: dict[str, subprocess.Popen[bytes]] = {}
        try:
            children["web server"] = spawn(gunicorn_command(host, port, processes, threads))
            children["task worker"] = spawn(
                [sys.executable, "-m", "solex.cli", "worker", "--no-startup-delay", "--no-reload"]
            )
            failure = wait_until_listening(host, port, children, stop)
            if failure is None and not stop.is_set():
                self.announce(host, port, welcome)
                failure = supervise(children, stop)
        finally:
            stop_children(children)
        if failure is not None:
            name, code = failure
            others = [other for other in children if other != name]
            raise CommandError(
                f"the {name} stopped unexpectedly (exit code {code}); "
                f"stopped the {' and '.join(others)} too. See the messages above.",
                returncode=1,
            )
        self.stdout.write("Solex stopped.")

    def announce(self, host: str, port: int, welcome: str) -> None:
        url = f"http://{browser_host(host)}:{port}/"
        self.stdout.write(self.style.SUCCESS(f"Solex is running at {url}"))
        if host in {"0.0.0.0", "::"}:  # noqa: S104 - reporting the user's choice
            self.stdout.write("(listening on every network interface)")
        if welcome.strip():
            self.stdout.write(welcome.rstrip())
        self.stdout.write("Press Ctrl-C to stop.")


def _env_port() -> int:
    value = os.environ.get("PORT") or "8000"
    try:
        return int(value)
    except ValueError:
        raise CommandError(f"PORT must be a port number, not {value!r}") from None


def browser_host(host: str) -> str:
    if host in {"0.0.0.0", ""}:  # noqa: S104 - reporting the user's choice
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


def describe_database() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite at {db['NAME']}"
    return f"{connection.display_name} {db.get('NAME')} on {db.get('HOST') or 'localhost'}"


def ensure_port_is_free(host: str, port: int) -> None:
    """Fail with one line now rather than after migrations, inside gunicorn."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise CommandError(f"cannot listen on {host!r}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        # As gunicorn does: a port held only by closed connections is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise CommandError(
                    f"port {port} is in use; stop the other server or run "
                    f"`make run PORT={port + 1}`"
                ) from None
            raise CommandError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def gunicorn_command(host: str, port: int, processes: int, threads: int) -> list[str]:
    bind = f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"
    return [
        sys.executable, "-m", "gunicorn", "solex.wsgi:application",
        "--bind", bind,
        "--worker-class", "gthread",
        "--workers", str(max(1, processes)),
        "--threads", str(max(1, threads)),
        # Load the app once before forking: faster start, shared memory pages.
        "--preload",
        "--timeout", "60",
        "--graceful-timeout", "20",
        # Recycle processes now and then so a slow leak cannot grow without bound.
        "--max-requests", "2000",
        "--max-requests-jitter", "200",
        "--log-level", "warning",
    ]  # fmt: skip


def _die_with_parent() -> None:
    """In the child, before exec: get SIGTERM if `solex run` itself is killed (Linux)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def spawn(command: list[str]) -> subprocess.Popen[bytes]:
    # A process group of its own: Ctrl-C in the terminal reaches only `solex run`,
    # which then stops each child gracefully and in order.
    return subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
        command, process_group=0, preexec_fn=_die_with_parent
    )


def first_exited(children: dict[str, subprocess.Popen[bytes]]) -> tuple[str, int] | None:
    for name, child in children.items():
        code = child.poll()
        if code is not None:
            return name, code
    return None


def wait_until_listening(
    host: str, port: int, children: dict[str, subprocess.Popen[bytes]], stop: threading.Event
) -> tuple[str, int] | None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    target = browser_host(host).strip("[]")
    while not stop.is_set():
        failure = first_exited(children)
        if failure is not None:
            return failure
        with contextlib.suppress(OSError), socket.create_connection((target, port), timeout=1):
            return None
        if time.monotonic() > deadline:
            raise CommandError(
                f"the web server did not start listening on port {port} "
                f"within {STARTUP_TIMEOUT:.0f} s"
            )
        stop.wait(0.2)
    return None


def supervise(
    children: dict[str, subprocess.Popen[bytes]], stop: threading.Event
) -> tuple[str, int] | None:
    while not stop.wait(0.5):
        failure = first_exited(children)
        if failure is not None:
            return failure
    return None


def stop_children(children: dict[str, subprocess.Popen[bytes]]) -> None:
    """SIGTERM to each (both finish their current request or task), then wait."""
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    for child in children.values():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def demo_login_lines() -> list[str]:
    """The demo accounts, if the demo app says which they are and they still exist."""
    try:
        logins = import_string(DEMO_LOGINS)()
    except ImportError:
        return []
    usernames = set(
        get_user_model()
        .objects.filter(username__in=[login for login, _, _ in logins])
        .values_list("username", flat=True)
    )
    lines = [
        f"  {login} / {password}  ({who})" for login, password, who in logins if login in usernames
    ]
    return ["Demo logins:", *lines] if lines else []
