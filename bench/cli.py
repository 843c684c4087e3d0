"""``python -m bench`` (``make bench``): measure Solex on a large demo database.

1. Build, or reuse, a demo database of ``--members`` people and ``--posts`` posts
   (exchanges and replies) in ``var/bench/``.
2. For every target in ``bench/targets.py``: server time p50/p95 and SQL queries,
   in process; page weight (HTML + CSS + JS, gzip).
3. Start the production server as ``solex run`` does, with the task worker, and load
   each target with wrk at concurrency 1 and 8, then a static file of the same size
   served by the same server, for reference. Then read the processes' memory.
4. Print a table and write ``bench/results/<timestamp>.json``.

Runs are bounded (``--duration`` seconds per wrk run) and stay on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import database

RESULTS = database.ROOT / "bench" / "results"
DEFAULT_MEMBERS = 20_000
DEFAULT_POSTS = 1_000_000
DEFAULT_SEED = "solex"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=DEFAULT_MEMBERS, help="demo members (default: %(default)s)")
    parser.add_argument(
        "--posts", type=int, default=DEFAULT_POSTS, help="demo posts: exchanges and replies (default: %(default)s)"
    )
    parser.add_argument("--seed", default=DEFAULT_SEED, help="demo seed (default: %(default)s)")
    parser.add_argument(
        "--requests", type=int, default=40, help="timed in-process requests per target (default: %(default)s)"
    )
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests first (default: %(default)s)")
    parser.add_argument(
        "--duration", type=int, default=5, help="seconds of each wrk run (default: %(default)s)"
    )
    parser.add_argument("--only", action="append", default=[], help="measure only targets whose name has this")
    parser.add_argument("--no-server", action="store_true", help="skip the wrk and memory measurements")
    parser.add_argument("--rebuild", action="store_true", help="build the bench database again")
    args = parser.parse_args(argv)
    if not 1 <= args.duration <= 60:
        parser.error("--duration must be between 1 and 60 seconds")
    if args.requests < 1 or args.members < 0 or args.posts < 0:
        parser.error("--requests must be 1 or more, and --members and --posts 0 or more")
    return args


def configure(data_dir: Path) -> None:
    """Point Django at the bench's own data directory, with the production settings."""
    if os.environ.pop("DATABASE_URL", None):
        print("Note: the bench runs on its own SQLite database; DATABASE_URL is ignored.")
    if os.environ.pop("SOLEX_DEBUG", None):
        print("Note: SOLEX_DEBUG is ignored: the bench measures the production settings.")
    os.environ["SOLEX_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "solex.settings"
    import django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.no_server and shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk); or run with --no-server.", file=sys.stderr)
        return 2
    data_dir = database.data_dir_for(args.members, args.posts, args.seed)
    expected = database.fingerprint(args.members, args.posts, args.seed)
    reuse = not args.rebuild and database.is_current(data_dir, expected)
    if not reuse:
        database.discard(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    configure(data_dir)

    from bench import measure
    from bench.report import Run, table, write_json

    build_seconds = database.prepare(
        data_dir, members=args.members, posts=args.posts, seed=args.seed, expected=expected, reuse=reuse
    )
    print(
        f"Bench database: {data_dir.relative_to(database.ROOT)} "
        + ("(reused)" if build_seconds is None else f"(built in {build_seconds:.1f} s)")
    )
    started = datetime.now(UTC)
    load_before = os.getloadavg()[0]
    results, web_memory, worker_memory, server_meta = measure.run_all(
        only=args.only,
        requests=args.requests,
        warmup=args.warmup,
        duration=args.duration,
        with_server=not args.no_server,
        log=data_dir / "server.log",
    )
    server_meta["load_average"] = {"before": load_before, "after": os.getloadavg()[0]}
    run = Run(
        meta=_meta(args, started, build_seconds, server_meta),
        results=results,
        web_memory=web_memory,
        worker_memory=worker_memory,
    )
    print()
    print(table(run))
    busiest = max(load_before, os.getloadavg()[0])
    if busiest > (os.cpu_count() or 1):
        print(
            f"Note: the machine was busy (load average {busiest:.1f} on {os.cpu_count()} CPUs): "
            "other processes competed with the server, so the figures are pessimistic."
        )
    path = write_json(run, RESULTS, started.strftime("%Y%m%dT%H%M%SZ"))
    print(f"\nWrote {path.relative_to(database.ROOT)}")
    return 0


def _meta(
    args: argparse.Namespace, started: datetime, build_seconds: float | None, server: dict[str, Any]
) -> dict[str, Any]:
    import django
    from django.db import connection

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=database.ROOT, check=False
    ).stdout.strip()
    return {
        "started": started.isoformat(),
        "members": args.members,
        "posts": args.posts,
        "seed": args.seed,
        "build_seconds": build_seconds,
        "requests_per_target": args.requests,
        "warmup": args.warmup,
        "wrk_seconds": args.duration,
        "database": connection.vendor,
        "commit": commit,
        "python": platform.python_version(),
        "django": django.get_version(),
        "cpus": os.cpu_count(),
        "server": server,
        "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
