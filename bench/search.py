"""``python -m bench.search``: full-text search at scale (1,000,000 posts by default).

Builds (or reuses) a demo database of ``--members`` people and ``--posts`` posts in its
own directory under ``var/bench/`` (the demo's last step builds the search index), then
prints:

- the full reindex (``solex search reindex``): time and documents per second, and
  the sweep with nothing new (what the worker pays every minute);
- search latency p50/p95 for common, rare, phrase, filtered and multilingual queries,
  for an external partner, internal staff and a member of several communities, as a
  function call (ranking, permission filter, count, snippets) and as the whole page.

Goal: p50 <= 30 ms, p95 <= 100 ms. Figures are server time on this machine.
``DATABASE_URL=postgres://... python -m bench.search --no-build`` measures a PostgreSQL
database that already holds the demo (build it with ``solex demo`` first).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from bench import database

DEFAULT_MEMBERS = 20_000
DEFAULT_POSTS = 1_000_000
GOAL_P50_MS = 30.0
GOAL_P95_MS = 100.0
QUERIES = (
    "cash transfers",
    "early warning",
    "menstrual health",
    "water trucking",
    "drought livestock feed",
    '"conditional cash transfer"',
    "procurement -tender",
    "girls OR scholarships",
    "Malawi",
    "zzyzx unknownword",
    "éducation",
    "the",
)


def _data_dir(members: int, posts: int, seed: str) -> Path:
    return database.ROOT / "var" / "bench" / f"search-{members}-{posts}-{seed}"


def _timed(function: Callable[[], object], *, requests: int, warmup: int) -> list[float]:
    for _number in range(warmup):
        function()
    seconds = []
    for _number in range(requests):
        started = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - started)
    return seconds


def _percentiles(seconds: list[float]) -> tuple[float, float]:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _line(label: str, seconds: list[float]) -> str:
    p50, p95 = _percentiles(seconds)
    marks = (
        ("ok" if p50 <= GOAL_P50_MS else "SLOW") + "/" + ("ok" if p95 <= GOAL_P95_MS else "SLOW")
    )
    return f"  {label:<46} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms   {marks}  (n={len(seconds)})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__)
    parser.add_argument("--members", type=int, default=DEFAULT_MEMBERS)
    parser.add_argument("--posts", type=int, default=DEFAULT_POSTS)
    parser.add_argument("--seed", default="solex")
    parser.add_argument("--requests", type=int, default=20, help="timed calls per query")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--no-build", action="store_true", help="use DATABASE_URL as it is")
    parser.add_argument("--no-reindex", action="store_true", help="skip timing the full reindex")
    args = parser.parse_args(argv)

    if not args.no_build:
        data_dir = _data_dir(args.members, args.posts, args.seed)
        expected = database.fingerprint(args.members, args.posts, args.seed)
        reuse = not args.rebuild and database.is_current(data_dir, expected)
        if not reuse and data_dir.exists():
            shutil.rmtree(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        os.environ.pop("DATABASE_URL", None)
        os.environ["SOLEX_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "solex.settings"
    import django

    django.setup()
    if not args.no_build:
        built = database.prepare(
            data_dir,
            members=args.members,
            posts=args.posts,
            seed=args.seed,
            expected=expected,
            reuse=reuse,
        )
        if built is not None:
            print(f"Built the demo in {built:.0f} s.")
    return measure(args)


def measure(args: argparse.Namespace) -> int:
    from django.db import connection
    from django.test import Client

    from solex.accounts.models import User
    from solex.communities.models import Membership
    from solex.search import actions
    from solex.search.models import Document
    from solex.search.queries import SearchParams, search

    print(f"Search on {connection.vendor}: {Document.objects.count():,} documents indexed.")
    if not args.no_reindex:
        started = time.monotonic()
        total = actions.rebuild()
        seconds = time.monotonic() - started
        print(
            f"  full reindex: {total:,} documents in {seconds:.1f} s "
            f"({total / seconds:,.0f} documents per second)"
        )
    started = time.monotonic()
    actions.sweep()
    print(f"  sweep with nothing new: {(time.monotonic() - started) * 1000:.0f} ms")

    partner = User.objects.filter(organization__is_internal=False, is_active=True).first()
    staff = User.objects.filter(organization__is_internal=True, is_active=True).first()
    busy_id = (
        Membership.objects.values("user_id")
        .order_by()
        .annotate(n=django_count())
        .order_by("-n")
        .values_list("user_id", flat=True)
        .first()
    )
    member = User.objects.get(pk=busy_id) if busy_id else staff
    people = [("partner", partner), ("staff", staff), ("member of most communities", member)]
    everything: list[float] = []
    print(f"\nSearch latency (goal p50 <= {GOAL_P50_MS:.0f} ms, p95 <= {GOAL_P95_MS:.0f} ms):")
    for label, person in people:
        if person is None:
            continue
        for query in QUERIES:
            timings = _timed(
                partial(search, person, SearchParams(q=query)),
                requests=args.requests,
                warmup=args.warmup,
            )
            everything += timings
            count = search(person, SearchParams(q=query)).count
            print(_line(f"{label}: {query[:24]} ({count:,})", timings))
        filtered = _timed(
            partial(search, person, SearchParams(q="cash", types=["knowledge"])),
            requests=args.requests,
            warmup=args.warmup,
        )
        everything += filtered
        print(_line(f"{label}: cash, knowledge only", filtered))
    p50, p95 = _percentiles(everything)
    print(f"\n  all queries above: p50 {p50:.1f} ms, p95 {p95:.1f} ms (n={len(everything)})")

    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # pages need the manifest
    client = Client()
    if staff is not None:
        client.force_login(staff)
    page = _timed(
        lambda: client.get("/search/", {"q": "cash transfers"}),
        requests=args.requests,
        warmup=args.warmup,
    )
    print(_line("whole page, staff: cash transfers", page))
    return 0


def django_count() -> object:
    from django.db.models import Count

    return Count("pk")


if __name__ == "__main__":
    raise SystemExit(main())
