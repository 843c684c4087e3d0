"""The kill test: SIGKILL the real worker in the middle of a fan-out, restart it, and
every recipient still gets exactly one copy at the SMTP sink.

It runs ``solex migrate`` and ``solex worker`` as separate processes on their own
SQLite database, with the outbound SMTP server pointed at an aiosmtpd sink in this
process. The sink answers slowly enough that the kill lands mid-batch.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from solex.mail.testing import SinkHandler, SmtpSink

RECIPIENTS = 500
SETUP = f"""
import django
django.setup()
from django.utils import timezone
from solex.accounts.models import User
from solex.communities.models import Community, Membership
from solex.exchanges.models import Exchange
from solex.digests.delivery import fan_out

community = Community.objects.create(name="Kill Test Network", slug="kill-test", purpose="p")
users = User.objects.bulk_create(
    User(username=f"r{{n}}", email=f"r{{n}}@example.net", name=f"Reader {{n}}")
    for n in range({RECIPIENTS})
)
Membership.objects.bulk_create(
    Membership(user=u, community=community, delivery="every_message") for u in users
)
exchange = Exchange.objects.create(
    community=community, kind="query", title="One post for everyone", body="Hello",
    body_html="<p>Hello</p>", status="open",
)
print("queued", fan_out(exchange))
"""


class SlowSink(SinkHandler):
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        await asyncio.sleep(0.004)
        return await super().handle_DATA(server, session, envelope)


def _env(data_dir: Path, port: int) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SOLEX_", "DATABASE_URL", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="solex.settings",
        SOLEX_DATA_DIR=str(data_dir),
        SOLEX_EMAIL_HOST="127.0.0.1",
        SOLEX_EMAIL_PORT=str(port),
        SOLEX_MAIL_BATCH_SIZE="50",
        SOLEX_LOG_LEVEL="WARNING",
    )
    return env


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "solex.cli", "worker", "--lease-seconds", "3", "--interval", "0.2"],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_a_killed_worker_sends_every_copy_exactly_once_after_restart(tmp_path: Path) -> None:
    sink = SmtpSink()
    sink.handler = SlowSink()
    sink.controller.handler = sink.handler
    sink.start()
    workers: list[subprocess.Popen[bytes]] = []
    try:
        env = _env(tmp_path, sink.port)
        migrated = subprocess.run(
            [sys.executable, "-m", "solex.cli", "migrate", "--noinput"],
            env=env,
            capture_output=True,
            timeout=300,
            check=False,
        )
        assert migrated.returncode == 0, migrated.stderr.decode()
        setup = subprocess.run(
            [sys.executable, "-c", SETUP], env=env, capture_output=True, timeout=120, check=False
        )
        assert setup.returncode == 0, setup.stderr.decode()
        assert f"queued {RECIPIENTS}" in setup.stdout.decode()

        log = tmp_path / "worker.log"
        workers.append(_worker(env, log))
        assert _wait(lambda: len(sink.received) >= RECIPIENTS // 3, 120), log.read_text()
        os.killpg(workers[0].pid, signal.SIGKILL)
        workers[0].wait(timeout=10)
        at_kill = len(sink.received)
        assert at_kill < RECIPIENTS, "the worker finished before it could be killed"

        workers.append(_worker(env, log))
        _wait(lambda: len(sink.received) >= RECIPIENTS, 120)
        time.sleep(1)  # anything sent twice would arrive now
        workers[1].send_signal(signal.SIGTERM)
        workers[1].wait(timeout=30)

        copies = Counter(rcpt for message in sink.received for rcpt in message.rcpt_tos)
        expected = {f"r{n}@example.net" for n in range(RECIPIENTS)}
        assert set(copies) == expected, f"missing: {sorted(expected - set(copies))[:10]}"
        twice = {address: count for address, count in copies.items() if count > 1}
        assert not twice, f"sent more than once: {twice}"
        assert at_kill < len(sink.received) == RECIPIENTS
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait(timeout=10)
        sink.stop()
