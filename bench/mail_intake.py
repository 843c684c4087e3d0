"""Inbound mail: how fast `solex mail-server` accepts mail, and how fast the worker posts it.

In a fresh SQLite data directory it creates a community with members, starts the real
listener (`solex mail-server`, a separate process) and sends N messages over SMTP from
C concurrent clients (each keeping its connection open, as an MTA does). Every 250 means
the message was stored in the database first. It reports the acceptance rate and the
time per message (p50/p95) as a client sees it. Then `solex worker --batch` processes
the queue (parse, strip quotes, check the sender, post a query) and it reports the
processing rate. Goal: at least 50 messages/second accepted.

    python -m bench.mail_intake [--messages 1000 --clients 4]
"""

from __future__ import annotations

import argparse
import os
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

GOAL_ACCEPTED_PER_SECOND = 50.0
MEMBERS = 200

SETUP = """
import django
django.setup()
from solex.accounts.models import Organization, OrganizationDomain, User
from solex.communities.models import Community, Membership
org = Organization.objects.create(name="UNDP", acronym="UNDP", kind="un_agency", is_internal=True)
OrganizationDomain.objects.create(organization=org, domain="undp.org")
community = Community.objects.create(name="Bench", slug="bench", purpose="p", visibility="public")
users = User.objects.bulk_create(
    [User(username=f"m{n}", name=f"Member {n}", email=f"m{n}@undp.org", organization=org)
     for n in range(%(members)d)]
)
Membership.objects.bulk_create([Membership(community=community, user=u) for u in users])
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _env(data_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SOLEX_", "DATABASE_URL", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="solex.settings",
        SOLEX_DATA_DIR=str(data_dir),
        SOLEX_MAIL_DOMAIN="lists.bench.example",
        SOLEX_LOG_LEVEL="WARNING",
    )
    return env


def _solex(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "solex.cli", *args], env=env, check=True, capture_output=True
    )


def _message(number: int) -> bytes:
    sender = f"m{number % MEMBERS}@undp.org"
    body = (
        "Hello colleagues,\r\n\r\nHow did your office organise participatory budgeting "
        f"in secondary cities? This is question {number}.\r\n\r\nThanks,\r\nMember\r\n\r\n"
        "On Mon, 23 Nov 2026 at 10:15, Solex <n@lists.bench.example> wrote:\r\n> Earlier text\r\n"
    )
    return (
        f"From: Member <{sender}>\r\nTo: bench@lists.bench.example\r\n"
        f"Subject: Bench question number {number}\r\nMessage-ID: <{number}.bench@client.example>\r\n"
        "Date: Mon, 23 Nov 2026 10:20:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + body
    ).encode()


def _wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("the mail server did not start")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.mail_intake", description=__doc__)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="solex-bench-intake-") as directory:
        data_dir = Path(directory)
        env = _env(data_dir)
        _solex(env, "migrate", "--no-input")
        _solex(env, "createcachetable")
        subprocess.run(
            [sys.executable, "-c", SETUP % {"members": MEMBERS}],
            env=env,
            check=True,
            capture_output=True,
        )
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "solex.cli", "mail-server", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        try:
            _wait_for_port(port)

            def client(numbers: range) -> None:
                with smtplib.SMTP("127.0.0.1", port, timeout=60) as connection:
                    for number in numbers:
                        started = time.perf_counter()
                        try:
                            connection.sendmail(
                                f"m{number % MEMBERS}@undp.org",
                                ["bench@lists.bench.example"],
                                _message(number),
                            )
                        except smtplib.SMTPException as error:
                            with lock:
                                errors.append(str(error))
                            continue
                        with lock:
                            latencies.append(time.perf_counter() - started)

            share = args.messages // args.clients
            threads = [
                threading.Thread(target=client, args=(range(i * share, (i + 1) * share),))
                for i in range(args.clients)
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            accept_seconds = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=30)

        accepted = len(latencies)
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "solex.cli",
                "worker",
                "--batch",
                "--no-startup-delay",
                "--interval",
                "0.05",
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        process_seconds = time.perf_counter() - started
        import sqlite3

        database = next(data_dir.glob("*.sqlite3"))
        with sqlite3.connect(database) as connection:
            states = dict(
                connection.execute(
                    "SELECT state, COUNT(*) FROM intake_inboundmessage GROUP BY state"
                )
            )
            stored = sum(states.values())

    rate = accepted / accept_seconds
    print(f"Inbound mail, {args.messages} messages over SMTP from {args.clients} clients")
    print(
        f"  accepted (250, stored first): {accepted}, refused: {len(errors)}, stored rows: {stored}"
    )
    print(
        f"  acceptance: {rate:.1f} messages/s ({rate / GOAL_ACCEPTED_PER_SECOND:.1f}x the goal of "
        f"{GOAL_ACCEPTED_PER_SECOND:.0f}/s); per message p50 {1000 * statistics.median(latencies):.1f} ms, "
        f"p95 {1000 * _percentile(latencies, 0.95):.1f} ms"
    )
    print(
        f"  processing by `solex worker --batch`: {stored / process_seconds:.1f} messages/s "
        f"({process_seconds:.1f} s for {stored}, including the worker's start); states: {states}"
    )
    return 0 if rate >= GOAL_ACCEPTED_PER_SECOND and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
