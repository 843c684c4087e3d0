"""``python -m bench.expertise``: the expertise locator and query routing at scale.

Builds (or reuses) a demo database of ``--members`` people and ``--posts`` posts in its
own directory under ``var/bench/`` (the demo's last step fills the evidence ledger),
then prints:

- the full ledger rebuild: rows read per second, and the incremental refresh with
  nothing new (what the worker pays every ten minutes);
- "who knows about X?" latency p50/p95, for topic names and free-text questions, as
  a function call and as the whole page (in process, no network);
- routing latency p50/p95 (``suggest_experts`` on open queries);
- the gap view's latency.

Figures are server time on this machine; a busy machine is noted with its load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bench import database

DEFAULT_MEMBERS = 20_000
DEFAULT_POSTS = 1_000_000
QUESTIONS = (
    "who knows about cash transfers",
    "targeting social protection in emergencies",
    "community early warning for floods",
    "menstrual hygiene in schools",
    "e-procurement reform",
    "mental health and psychosocial support for refugees",
    "youth employment programmes that worked",
    "climate finance for adaptation",
)


def _data_dir(members: int, posts: int, seed: str) -> Path:
    return database.ROOT / "var" / "bench" / f"expertise-{members}-{posts}-{seed}"


def _timed(function: Callable[[], object], *, requests: int, warmup: int) -> list[float]:
    for _number in range(warmup):
        function()
    seconds = []
    for _number in range(requests):
        started = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - started)
    return seconds


def _line(label: str, seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p50 = statistics.median(ordered) * 1000
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000
    return f"  {label:<44} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms   (n={len(ordered)})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.expertise", description=__doc__)
    parser.add_argument("--members", type=int, default=DEFAULT_MEMBERS)
    parser.add_argument("--posts", type=int, default=DEFAULT_POSTS)
    parser.add_argument("--seed", default="solex")
    parser.add_argument("--requests", type=int, default=40, help="timed calls per measure")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument(
        "--as-is",
        action="store_true",
        help="measure the database already in the directory, even if stale or partly built",
    )
    parser.add_argument(
        "--no-ledger-rebuild",
        action="store_true",
        help="skip timing a full ledger rebuild (the demo's last step already did one)",
    )
    args = parser.parse_args(argv)

    data_dir = _data_dir(args.members, args.posts, args.seed)
    expected = database.fingerprint(args.members, args.posts, args.seed)
    reuse = args.as_is or (not args.rebuild and database.is_current(data_dir, expected))
    if not reuse and data_dir.exists():
        import shutil

        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    from bench.cli import configure

    configure(data_dir)
    built = database.prepare(
        data_dir,
        members=args.members,
        posts=args.posts,
        seed=args.seed,
        expected=expected,
        reuse=reuse,
    )
    print(
        f"Database: {args.members:,} members, {args.posts:,} posts "
        + ("(reused)" if built is None else f"(built in {built:.1f} s)")
    )
    load_before = os.getloadavg()[0]

    from django.db.models import Count
    from django.test import Client

    from solex.accounts.models import User
    from solex.exchanges import routing
    from solex.exchanges.models import Exchange, Kind, Status
    from solex.expertise import ledger
    from solex.expertise.models import ExpertiseEvidence, ExpertiseSummary
    from solex.people import locator
    from solex.taxonomy.models import Topic

    print("\nLedger")
    if not args.no_ledger_rebuild:
        started = time.perf_counter()
        report = ledger.rebuild()
        seconds = time.perf_counter() - started
        print(
            f"  full rebuild: {report.rows:,} rows in {seconds:.1f} s "
            f"({report.rows / seconds:,.0f} rows/s), {report.summaries:,} summaries"
        )
    started = time.perf_counter()
    ledger.refresh()
    ledger.refresh()
    print(
        f"  incremental refresh, nothing new: {(time.perf_counter() - started) / 2 * 1000:.0f} ms"
    )
    print(
        f"  ledger rows {ExpertiseEvidence.objects.count():,}; summaries "
        f"{ExpertiseSummary.objects.count():,}; people with evidence "
        f"{ExpertiseSummary.objects.values('person_id').distinct().count():,}"
    )

    member = User.objects.get(username="member")
    partner = User.objects.get(username="partner")
    admin = User.objects.get(username="admin")
    # The topics with the most evidence: the heaviest rankings.
    heavy = list(
        ExpertiseSummary.objects.values("topic_id")
        .annotate(rows=Count("id"))
        .order_by("-rows")
        .values_list("topic_id", flat=True)[:8]
    )
    topics = list(Topic.objects.filter(pk__in=heavy))
    parents = list(Topic.objects.filter(parent__isnull=True)[:4])

    def cycle[T](items: list[T]) -> Callable[[], T]:
        position = [0]

        def next_item() -> T:
            position[0] += 1
            return items[position[0] % len(items)]

        return next_item

    next_topic, next_parent = cycle(topics), cycle(parents)
    next_question = cycle(list(QUESTIONS))
    timed = {"requests": args.requests, "warmup": args.warmup}
    print("\nWho knows about X? (a staff member; top 20)")
    print(
        _line(
            "busiest topics", _timed(lambda: locator.who_knows(member, topic=next_topic()), **timed)
        )
    )
    print(
        _line(
            "top-level topics (with sub-topics)",
            _timed(lambda: locator.who_knows(member, topic=next_parent()), **timed),
        )
    )
    print(
        _line(
            "free-text questions",
            _timed(lambda: locator.who_knows(member, text=next_question()), **timed),
        )
    )
    print(
        _line(
            "free text, language fr, region africa",
            _timed(
                lambda: locator.who_knows(
                    member, text=next_question(), language="fr", region="africa"
                ),
                **timed,
            ),
        )
    )
    print(
        _line(
            "free text, as an external partner",
            _timed(lambda: locator.who_knows(partner, text=next_question()), **timed),
        )
    )
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(member)
    assert client.get("/people/who-knows/", {"q": QUESTIONS[0]}).status_code == 200
    print(
        _line(
            "the page /people/who-knows/?q=…",
            _timed(lambda: client.get("/people/who-knows/", {"q": next_question()}), **timed),
        )
    )

    print("\nRouting (suggest_experts on open queries)")
    queries = list(
        Exchange.objects.filter(kind=Kind.QUERY, status=Status.OPEN, is_direct_connect=False)
        .select_related("community", "author")
        .order_by("-created_at")[:50]
    )
    next_query = cycle(queries)
    print(_line("suggest_experts", _timed(lambda: routing.suggest_experts(next_query()), **timed)))

    print("\nGap view (knowledge manager)")
    gap_calls = {"requests": max(5, args.requests // 4), "warmup": 1}
    print(_line("gaps, last 12 months", _timed(lambda: locator.gaps(admin, days=365), **gap_calls)))
    print(_line("gaps, last 3 years", _timed(lambda: locator.gaps(admin, days=1095), **gap_calls)))

    busiest = max(load_before, os.getloadavg()[0])
    if busiest > (os.cpu_count() or 1):
        print(
            f"\nNote: the machine was busy (load average {busiest:.1f} on {os.cpu_count()} CPUs); "
            "the figures are pessimistic."
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
