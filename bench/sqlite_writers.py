"""SQLite under concurrent writers: Django's default settings against Solex's.

N writer processes (default 8) each run short read-then-write transactions through
Django (read a balance, update it, append a ledger row) for a fixed time, against
(a) Django's default SQLite settings: rollback journal, BEGIN DEFERRED, 5 s busy
timeout, a new connection per request; and (b) the settings Solex ships
(``solex.settings.SQLITE_OPTIONS``): WAL, BEGIN IMMEDIATE, 30 s busy timeout,
synchronous=NORMAL, persistent connections; and, to show what synchronous=NORMAL
buys, (c) Solex's settings with synchronous=FULL.

It prints, for each, the share of transactions that failed with "database is
locked", the committed throughput and latency, then Solex's figures as ratios of the
default's. Run it with ``python -m bench.sqlite_writers [--writers 8 --seconds 10]``.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

ACCOUNTS = 100


@dataclass
class Profile:
    name: str
    options: dict[str, Any]
    persistent: bool  # CONN_MAX_AGE None (Solex) or 0 (Django's default)


@dataclass
class Tally:
    committed: int = 0
    locked: int = 0
    other_errors: int = 0
    latencies_ms: list[float] = field(default_factory=list)


def solex_sqlite_options() -> dict[str, Any]:
    """The options Solex really ships, read from its settings without side effects here."""
    for name in ("DATABASE_URL", "SOLEX_PRODUCTION"):
        os.environ.pop(name, None)
    # Importing the settings creates a data directory and a secret key: keep them out
    # of the real one.
    with tempfile.TemporaryDirectory(prefix="solex-bench-settings-") as data_dir:
        os.environ["SOLEX_DATA_DIR"] = data_dir
        from solex import settings

        return dict(settings.SQLITE_OPTIONS)


def create_schema(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE account (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL)")
        db.execute(
            "CREATE TABLE ledger (id INTEGER PRIMARY KEY AUTOINCREMENT, "
            "account_id INTEGER NOT NULL REFERENCES account(id), amount INTEGER NOT NULL, "
            "at REAL NOT NULL)"
        )
        db.executemany("INSERT INTO account VALUES (?, 0)", [(n,) for n in range(ACCOUNTS)])
    db.close()


def writer(
    profile: Profile, path: str, seconds: float, seed: int, start: Event, results: Any
) -> None:
    import django
    from django.conf import settings

    database: dict[str, Any] = {"ENGINE": "django.db.backends.sqlite3", "NAME": path}
    if profile.options:
        database["OPTIONS"] = profile.options
    database["CONN_MAX_AGE"] = None if profile.persistent else 0
    settings.configure(DATABASES={"default": database}, INSTALLED_APPS=[], USE_TZ=True)
    django.setup()
    from django.db import OperationalError, connection, transaction

    rng = random.Random(seed)
    tally = Tally()
    start.wait()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        account = rng.randrange(ACCOUNTS)
        began = time.perf_counter()
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT balance FROM account WHERE id = %s", [account])
                (balance,) = cursor.fetchone()
                cursor.execute(
                    "UPDATE account SET balance = %s WHERE id = %s", [balance + 1, account]
                )
                cursor.execute(
                    "INSERT INTO ledger (account_id, amount, at) VALUES (%s, 1, %s)",
                    [account, time.time()],
                )
            tally.committed += 1
            tally.latencies_ms.append((time.perf_counter() - began) * 1000)
        except OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                tally.locked += 1
            else:
                tally.other_errors += 1
        if not profile.persistent:
            connection.close()  # Django's default: one connection per request
    connection.close()
    results.put(tally)


def run_profile(profile: Profile, writers: int, seconds: float) -> tuple[Tally, float]:
    with tempfile.TemporaryDirectory(prefix="solex-bench-") as work:
        path = Path(work) / "bench.sqlite3"
        create_schema(path)
        context = mp.get_context("spawn")  # each writer sets up its own Django
        start = context.Event()
        results = context.Queue()
        processes = [
            context.Process(
                target=writer, args=(profile, str(path), seconds, seed, start, results)
            )
            for seed in range(writers)
        ]
        for process in processes:
            process.start()
        time.sleep(2.0)  # let every writer import Django before the clock starts
        began = time.monotonic()
        start.set()
        tallies = [results.get(timeout=seconds + 120) for _ in processes]
        elapsed = time.monotonic() - began
        for process in processes:
            process.join(timeout=30)
        total = Tally()
        for tally in tallies:
            total.committed += tally.committed
            total.locked += tally.locked
            total.other_errors += tally.other_errors
            total.latencies_ms += tally.latencies_ms
        with sqlite3.connect(path) as db:
            (ledger,) = db.execute("SELECT COUNT(*) FROM ledger").fetchone()
            (balance,) = db.execute("SELECT SUM(balance) FROM account").fetchone()
        db.close()
        # Every committed transaction, and only those, left its two writes behind.
        assert ledger == balance == total.committed, (ledger, balance, total.committed)
    return total, elapsed


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(share * 100) - 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args(argv)

    solex = solex_sqlite_options()
    # The same with synchronous=FULL: what the durability trade-off buys.
    solex_full = solex | {
        "init_command": solex["init_command"].replace("synchronous=NORMAL", "synchronous=FULL")
    }
    profiles = [
        Profile("Django default", options={}, persistent=False),
        Profile("Solex", options=solex, persistent=True),
        Profile("Solex, FULL", options=solex_full, persistent=True),
    ]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"SQLite {sqlite3.sqlite_version}, Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs, load average {load:.1f} at start"
    )
    print(
        f"{args.writers} writer processes x {args.seconds:g} s of read-then-write "
        "transactions (SELECT, UPDATE, INSERT) per profile\n"
    )
    header = (
        f"{'profile':<15} {'attempted':>9} {'committed':>9} {'locked':>7} "
        f"{'locked %':>8} {'tx/s':>7} {'p50 ms':>7} {'p99 ms':>8}"
    )
    print(header)
    print("-" * len(header))
    measured: dict[str, tuple[float, float, float]] = {}
    for profile in profiles:
        tally, elapsed = run_profile(profile, args.writers, args.seconds)
        attempted = tally.committed + tally.locked + tally.other_errors
        locked_share = tally.locked / attempted if attempted else 0.0
        throughput = tally.committed / elapsed
        p99 = percentile(tally.latencies_ms, 0.99)
        measured[profile.name] = (locked_share, throughput, p99)
        print(
            f"{profile.name:<15} {attempted:>9} {tally.committed:>9} {tally.locked:>7} "
            f"{locked_share:>8.1%} {throughput:>7.0f} "
            f"{percentile(tally.latencies_ms, 0.50):>7.1f} {p99:>8.1f}"
            + (f"  ({tally.other_errors} other errors)" if tally.other_errors else "")
        )
    default = measured["Django default"]
    print()
    for name in ("Solex", "Solex, FULL"):
        ours = measured[name]
        print(
            f"{name} vs Django default: throughput x{ours[1] / default[1]:.2f} "
            f"({ours[1]:.0f} vs {default[1]:.0f} tx/s); locked failures "
            f"{ours[0]:.1%} vs {default[0]:.1%}; p99 latency {ours[2]:.1f} vs {default[2]:.1f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
