"""The task worker: leases of dead workers, retries with backoff, transactional enqueue.

The suite runs tasks with the immediate backend; these tests switch to the database
backend that production uses and drive the worker in-process, with real transactions
and commits as in production (the worker manages its own). Time is "shifted" by
writing old timestamps into the task rows, never by sleeping.
"""

from __future__ import annotations

import logging
import signal
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.tasks import task
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from solex.core.tasks import enqueue_on_commit
from solex.core.worker import RETRY_BASE_DELAY, SolexWorker, reclaim_expired_tasks

CALLS: Counter[str] = Counter()


@task
def record_call(key: str) -> str:
    CALLS[key] += 1
    return f"ran {key}"


@task
def always_fails(key: str) -> None:
    CALLS[key] += 1
    raise RuntimeError(f"{key} is broken")


@task
def fails_first_time(key: str) -> str:
    CALLS[key] += 1
    if CALLS[key] == 1:
        raise ConnectionError("mail server away")
    return "sent"


@pytest.fixture
def db_tasks(settings: Settings, transactional_db: None) -> Iterator[None]:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    CALLS.clear()
    yield
    CALLS.clear()


def run_worker(max_attempts: int = 3, lease_seconds: int = 600) -> None:
    """Run every task that is ready now, then return (like `solex worker --batch`)."""
    SolexWorker(
        queue_names=["default"],
        interval=0,
        worker_id="worker-b",
        lease_seconds=lease_seconds,
        max_attempts=max_attempts,
        exit_when_idle=True,
    ).run()


def make_due(row_id: Any) -> None:
    """Skip the retry backoff: move the task's earliest start into the past."""
    DBTaskResult.objects.filter(id=row_id).update(run_after=timezone.now() - timedelta(seconds=1))


def claimed_by_dead_worker(row_id: Any, *, seconds_ago: int, claims: int = 1) -> None:
    DBTaskResult.objects.filter(id=row_id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(seconds=seconds_ago),
        worker_ids=[f"worker-a{n}" for n in range(claims)],
    )


def test_task_of_a_killed_worker_runs_again_after_the_lease(db_tasks: None) -> None:
    result = record_call.enqueue("report")
    claimed_by_dead_worker(result.id, seconds_ago=601)

    run_worker(lease_seconds=600)

    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == "ran report"
    assert row.worker_ids == ["worker-a0", "worker-b"]
    assert CALLS["report"] == 1


def test_task_within_its_lease_is_left_to_its_worker(db_tasks: None) -> None:
    result = record_call.enqueue("slow")
    claimed_by_dead_worker(result.id, seconds_ago=599)

    run_worker(lease_seconds=600)

    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == TaskResultStatus.RUNNING
    assert row.worker_ids == ["worker-a0"]
    assert CALLS["slow"] == 0


def test_task_whose_worker_died_on_the_last_attempt_is_marked_failed(db_tasks: None) -> None:
    result = record_call.enqueue("doomed")
    claimed_by_dead_worker(result.id, seconds_ago=3600, claims=3)

    reclaimed = reclaim_expired_tasks(lease_seconds=600, max_attempts=3)

    row = DBTaskResult.objects.get(id=result.id)
    assert (reclaimed.requeued, reclaimed.failed) == (0, 1)
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "solex.core.worker.LeaseExpired"
    assert "gave up after 3 attempts" in row.traceback
    assert CALLS["doomed"] == 0


def test_failing_task_is_retried_with_backoff_then_marked_failed(
    db_tasks: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="solex.worker")
    result = always_fails.enqueue("export")

    run_worker(max_attempts=3)
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == TaskResultStatus.READY
    assert row.run_after >= timezone.now() + RETRY_BASE_DELAY - timedelta(seconds=5)
    assert CALLS["export"] == 1
    run_worker(max_attempts=3)  # not due yet: the backoff holds it back
    assert CALLS["export"] == 1

    make_due(result.id)
    run_worker(max_attempts=3)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY
    # The second wait is twice the first.
    assert row.run_after >= timezone.now() + 2 * RETRY_BASE_DELAY - timedelta(seconds=5)

    make_due(result.id)
    run_worker(max_attempts=3)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "builtins.RuntimeError"
    assert "export is broken" in row.traceback
    assert len(row.worker_ids) == 3
    assert CALLS["export"] == 3
    messages = [r.getMessage() for r in caplog.records if r.name == "solex.worker"]
    assert any("failed on attempt 1 of 3" in m for m in messages)
    assert any("failed on attempt 2 of 3" in m for m in messages)
    assert any("failed 3 times" in m and "giving up" in m for m in messages)

    make_due(result.id)
    run_worker(max_attempts=3)
    assert CALLS["export"] == 3


def test_task_that_succeeds_on_the_second_try_succeeds(db_tasks: None) -> None:
    result = fails_first_time.enqueue("welcome-mail")

    run_worker()
    make_due(result.id)
    run_worker()

    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == "sent"
    assert row.finished_at is not None
    assert CALLS["welcome-mail"] == 2


def test_rollback_loses_both_the_change_and_the_task_enqueued_with_it(db_tasks: None) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        Group.objects.create(name="Facilitators")
        record_call.enqueue("after-group")
        raise RuntimeError("the action failed after enqueuing")

    assert not Group.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_enqueue_on_commit_enqueues_only_committed_work(db_tasks: None) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        Group.objects.create(name="Rolled back")
        enqueue_on_commit(record_call, "rolled-back")
        raise RuntimeError("the action failed")
    with transaction.atomic():
        Group.objects.create(name="Committed")
        enqueue_on_commit(record_call, key="committed")
        assert not DBTaskResult.objects.exists()  # not before the commit

    assert list(Group.objects.values_list("name", flat=True)) == ["Committed"]
    row = DBTaskResult.objects.get()
    assert row.args_kwargs == {"args": [], "kwargs": {"key": "committed"}}


def test_worker_command_drains_the_queue_and_restores_nothing_it_should_not(
    db_tasks: None,
) -> None:
    record_call.enqueue("via-command")
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("worker", "--batch", "--no-startup-delay", "--max-attempts", "2", verbosity=0)
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)

    assert CALLS["via-command"] == 1
    # The command also enqueued (and ran) every periodic task, all due at first start.
    statuses = dict(DBTaskResult.objects.values_list("task_path", "status"))
    periodic = {entry["task"] for entry in settings.SOLEX_PERIODIC_TASKS}
    assert statuses == dict.fromkeys(
        {record_call.module_path, *periodic}, TaskResultStatus.SUCCESSFUL
    )
