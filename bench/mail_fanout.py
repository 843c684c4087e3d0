"""Outbound mail: fan-out of one post to many subscribers, and the weekly digests.

In a fresh SQLite data directory it creates a community of N subscribers (every
message), posts one query, and times the real path: ``fan_out`` renders the message
(once per language) and queues one copy per recipient, then ``solex worker --batch``
sends the copies in batches to an aiosmtpd sink running in its own process (each copy
composed with its own headers, recorded as sent at the moment the sink can deliver
it). Goal: 10,000 subscribers in under 60 s. Then the weekly digests for M members
spread over 20 communities with a week of posts and notifications: time to build and
queue them, and to send them.

    python -m bench.mail_fanout [--subscribers 10000 --digest-members 20000]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

GOAL_SECONDS = 60.0

SINK = """
import asyncio, sys
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Sink
controller = Controller(Sink(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _env(data_dir: Path, port: int, workers_batch: int) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SOLEX_", "DATABASE_URL", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="solex.settings",
        SOLEX_DATA_DIR=str(data_dir),
        SOLEX_MAIL_DOMAIN="lists.bench.example",
        SOLEX_EMAIL_HOST="127.0.0.1",
        SOLEX_EMAIL_PORT=str(port),
        SOLEX_MAIL_BATCH_SIZE=str(workers_batch),
        SOLEX_LOG_LEVEL="WARNING",
    )
    return env


def _run_worker(env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "solex.cli", "worker", "--batch", "--interval", "0"],
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def _members(count: int, prefix: str, delivery: str, communities: list[Any]) -> None:
    from solex.accounts.models import User
    from solex.communities.models import Membership

    languages = ["en", "fr", "es", "ar"]
    users = User.objects.bulk_create(
        (
            User(
                username=f"{prefix}{n}",
                email=f"{prefix}{n}@bench.example",
                name=f"Member {n}",
                preferred_language=languages[n % 4],
            )
            for n in range(count)
        ),
        batch_size=2000,
    )
    Membership.objects.bulk_create(
        (
            Membership(user=u, community=communities[n % len(communities)], delivery=delivery)
            for n, u in enumerate(users)
        ),
        batch_size=2000,
    )


def fan_out_bench(subscribers: int, env: dict[str, str]) -> tuple[int, float, float]:
    from solex.communities.models import Community
    from solex.digests.delivery import fan_out
    from solex.exchanges.models import Exchange
    from solex.mail.models import OutboundMessage

    community = Community.objects.create(name="Fan-out Network", slug="fan-out", purpose="p")
    _members(subscribers, "s", "every_message", [community])
    exchange = Exchange.objects.create(
        community=community,
        kind="query",
        title="Has anyone costed a national adaptation plan?",
        body="We are costing our NAP and would like to compare methods.\n\n" * 3,
        body_html="<p>We are costing our NAP and would like to compare methods.</p>" * 3,
        status="open",
    )
    from django.urls import reverse

    reverse("core:home")  # load the URL configuration first, as a running worker has
    started = time.perf_counter()
    queued = fan_out(exchange)
    queue_seconds = time.perf_counter() - started
    send_seconds = _run_worker(env)
    sent = OutboundMessage.objects.filter(status="sent", key__startswith="post:").count()
    assert queued == subscribers, (queued, subscribers)
    return sent, queue_seconds, send_seconds


def digest_bench(members: int, env: dict[str, str]) -> tuple[int, float, float]:
    from datetime import UTC, datetime, timedelta

    from django.utils import timezone

    from solex.communities.models import Community, DeliveryPreference
    from solex.digests.digest import period_bounds, send_digests
    from solex.exchanges.models import Exchange
    from solex.mail.models import OutboundMessage
    from solex.notifications.models import Notification

    now = timezone.now()
    start, end = period_bounds(DeliveryPreference.WEEKLY, now)
    communities = [
        Community.objects.create(name=f"Digest Network {n}", slug=f"digest-{n}", purpose="p")
        for n in range(20)
    ]
    _members(members, "d", "weekly", communities)
    posts = []
    for n in range(200):
        posts.append(
            Exchange(
                community=communities[n % 20],
                kind="query",
                title=f"Week question {n}",
                body="What has worked for you? " * 10,
                body_html="<p>What has worked for you?</p>",
                status="open",
                created_at=start + timedelta(minutes=n * 40),
            )
        )
    Exchange.objects.bulk_create(posts)
    from solex.accounts.models import User

    readers = list(User.objects.filter(username__startswith="d").values_list("pk", flat=True))
    Notification.objects.bulk_create(
        (
            Notification(
                recipient_id=pk,
                kind="exchange.reply",
                text="New reply from a colleague",
                target_url=f"/exchanges/{posts[i % 200].pk}/",
                target_label=posts[i % 200].title,
                group_key=f"exchange:{posts[i % 200].pk}",
                updated_at=start + timedelta(hours=30),
            )
            for i, pk in enumerate(readers[: members // 4])
        ),
        batch_size=2000,
    )
    assert start.tzinfo == UTC or start.tzinfo is not None
    OutboundMessage.objects.all().delete()
    started = time.perf_counter()
    queued = send_digests(DeliveryPreference.WEEKLY, datetime.now(UTC))
    build_seconds = time.perf_counter() - started
    send_seconds = _run_worker(env)
    return queued, build_seconds, send_seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--digest-members", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=500, help="copies per send task")
    args = parser.parse_args(argv)

    port = _free_port()
    sink = subprocess.Popen(
        [sys.executable, "-c", SINK, str(port)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert sink.stdout is not None and sink.stdout.readline().strip() == "ready"
    try:
        with tempfile.TemporaryDirectory(prefix="solex-mail-bench-") as tmp:
            env = _env(Path(tmp), port, args.batch)
            subprocess.run(
                [sys.executable, "-m", "solex.cli", "migrate", "--noinput"],
                env=env,
                check=True,
                capture_output=True,
            )
            os.environ.update(env)
            import django

            django.setup()
            sent, queue_s, send_s = fan_out_bench(args.subscribers, env)
            total = queue_s + send_s
            print(f"Fan-out of one post to {args.subscribers:,} subscribers (4 languages):")
            print(f"  render + queue   {queue_s:7.2f} s")
            print(f"  send (worker)    {send_s:7.2f} s  ({sent:,} sent to the SMTP sink)")
            print(
                f"  total            {total:7.2f} s  = {sent / total:,.0f} messages/s "
                f"(goal: {args.subscribers:,} in {GOAL_SECONDS:.0f} s = "
                f"{args.subscribers / GOAL_SECONDS:,.0f}/s) "
                f"{'OK' if total <= GOAL_SECONDS and sent == args.subscribers else 'MISSED'}"
            )
            if args.digest_members:
                queued, build_s, dsend_s = digest_bench(args.digest_members, env)
                print(f"Weekly digests for {args.digest_members:,} members (20 communities):")
                print(
                    f"  build + queue    {build_s:7.2f} s  ({queued:,} digests, "
                    f"{queued / build_s:,.0f}/s)"
                )
                print(f"  send (worker)    {dsend_s:7.2f} s  ({queued / dsend_s:,.0f}/s)")
    finally:
        if sink.stdin:
            sink.stdin.close()
        sink.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
