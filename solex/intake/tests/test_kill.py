"""The kill test: SIGKILL the worker in the middle of a batch of inbound mail; nothing is lost.

200 messages are stored as the listener stores them, the real `solex worker` starts on
them and is killed with SIGKILL once some are posted; a new worker then finishes. Every
message must end posted exactly once: one query each, no duplicates, none left behind.
Runs on SQLite in a temporary directory, in subprocesses, whatever the suite's database.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

MESSAGES = 200
MEMBERS = 40  # five messages each: under the per-sender posting limit
TIMEOUT = 240.0

SETUP = f"""
import django
django.setup()
from solex.accounts.models import Organization, OrganizationDomain, User
from solex.communities.models import Community, Membership
from solex.intake import actions
from solex.intake.testing import build_mail, list_address

org = Organization.objects.create(name="UNDP", acronym="UNDP", kind="un_agency", is_internal=True)
OrganizationDomain.objects.create(organization=org, domain="undp.org")
community = Community.objects.create(name="Kill Test", slug="kill-test", purpose="p", visibility="public")
users = [
    User.objects.create(username=f"m{{n}}", name=f"Member {{n}}", email=f"m{{n}}@undp.org", organization=org)
    for n in range({MEMBERS})
]
Membership.objects.bulk_create([Membership(community=community, user=u) for u in users])
for n in range({MESSAGES}):
    sender = users[n % {MEMBERS}].email
    raw = build_mail(sender=sender, to=list_address("kill-test"), subject=f"Kill test question {{n:03d}}")
    actions.receive_message(raw, mail_from=sender, recipients=[list_address("kill-test")])
print("ready")
"""


def _env(data_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SOLEX_", "DATABASE_URL", "DJANGO_"))
    }
    env.update(DJANGO_SETTINGS_MODULE="solex.settings", SOLEX_DATA_DIR=str(data_dir))
    return env


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def _counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database, timeout=30) as connection:
        rows = connection.execute(
            "SELECT state, COUNT(*) FROM intake_inboundmessage GROUP BY state"
        )
        return dict(rows.fetchall())


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "solex.cli",
            "worker",
            "--no-startup-delay",
            "--interval",
            "0.2",
            "--lease-seconds",
            "3",
            "--no-reload",
        ],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def test_a_worker_killed_mid_batch_loses_nothing_and_posts_each_message_once(
    tmp_path: Path,
) -> None:
    env = _env(tmp_path)
    _run([sys.executable, "-m", "solex.cli", "migrate", "--no-input"], env)
    _run([sys.executable, "-m", "solex.cli", "createcachetable"], env)
    _run([sys.executable, "-c", SETUP], env)
    database = next(tmp_path.glob("*.sqlite3"))
    assert _counts(database) == {"received": MESSAGES}

    log = tmp_path / "worker.log"
    worker = _worker(env, log)
    try:
        deadline = time.monotonic() + TIMEOUT
        while _counts(database).get("posted", 0) < 20:
            assert worker.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    at_kill = _counts(database).get("posted", 0)
    assert at_kill < MESSAGES, "the worker finished before it could be killed"

    worker = _worker(env, log)
    try:
        deadline = time.monotonic() + TIMEOUT
        while _counts(database).get("posted", 0) < MESSAGES:
            assert worker.poll() is None, log.read_text()
            assert time.monotonic() < deadline, (_counts(database), log.read_text()[-3000:])
            time.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()

    with sqlite3.connect(database) as connection:
        titles = [t for (t,) in connection.execute("SELECT title FROM exchanges_exchange")]
        linked = connection.execute(
            "SELECT COUNT(DISTINCT exchange_id) FROM intake_inboundmessage WHERE state = 'posted'"
        ).fetchone()[0]
    assert _counts(database) == {"posted": MESSAGES}
    assert len(titles) == MESSAGES
    assert sorted(titles) == [f"Kill test question {n:03d}" for n in range(MESSAGES)]
    assert linked == MESSAGES
