"""Periodic tasks: once per period across workers, never early, a wrong setting refused.

The suite's immediate backend runs a task as soon as it is enqueued, so counting runs
counts enqueues. Two ``Scheduler`` objects stand for two workers: each remembers only
what it did itself, so only the database can keep the second from enqueueing again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.tasks import task
from pytest_django.fixtures import Settings

from solex.core.schedule import Scheduler, parse_periodic_tasks
from solex.core.worker import SolexWorker

RUNS: Counter[str] = Counter()
PATH = "solex.core.tests.test_schedule.count_run"
DAY = 24 * 60 * 60


@task
def count_run() -> None:
    RUNS["count_run"] += 1


def not_a_task() -> None:
    """A plain function: listing it as a periodic task is a mistake."""


@pytest.fixture(autouse=True)
def _runs() -> Iterator[None]:
    RUNS.clear()
    yield
    RUNS.clear()


def scheduler(**entry: object) -> Scheduler:
    return Scheduler(parse_periodic_tasks([{"task": PATH, "every": DAY, **entry}]))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.django_db
def test_two_workers_ticking_at_the_same_moment_run_the_task_once() -> None:
    first, second = scheduler(), scheduler()
    now = at("2026-03-04 09:00")

    assert first.tick(now) == [PATH]
    assert second.tick(now) == []
    assert first.tick(now + timedelta(minutes=5)) == []
    assert RUNS["count_run"] == 1


@pytest.mark.django_db
def test_the_task_runs_again_only_when_the_next_period_starts() -> None:
    scheduler().tick(at("2026-03-04 09:00"))

    # A worker started later the same day finds the day taken.
    assert scheduler().tick(at("2026-03-04 23:59:59")) == []
    assert RUNS["count_run"] == 1
    assert scheduler().tick(at("2026-03-05 00:00")) == [PATH]
    assert RUNS["count_run"] == 2


@pytest.mark.django_db
def test_a_time_of_day_moves_the_start_of_each_period() -> None:
    scheduler(at="02:00").tick(at("2026-03-04 02:00"))

    assert scheduler(at="02:00").tick(at("2026-03-05 01:59")) == []
    assert scheduler(at="02:00").tick(at("2026-03-05 02:00")) == [PATH]
    assert RUNS["count_run"] == 2


def test_weekly_periods_start_on_mondays_at_the_given_time() -> None:
    (weekly,) = parse_periodic_tasks([{"task": PATH, "every": 7 * DAY, "at": "06:30"}])

    # Wednesday 4 March 2026 falls in the week that began on Monday 2 March.
    assert weekly.slot_start(at("2026-03-04 12:00")) == at("2026-03-02 06:30")
    assert weekly.slot_start(at("2026-03-02 06:29")) == at("2026-02-23 06:30")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            {"task": "solex.core.tests.test_schedule.missing", "every": DAY},
            "cannot import the task",
        ),
        ({"task": "solex.nowhere.tasks.job", "every": DAY}, "cannot import the task"),
        ({"task": "solex.core.tests.test_schedule.not_a_task", "every": DAY}, "is not a task"),
        ({"task": PATH, "every": 0}, '"every" must be a positive number of seconds'),
        ({"task": PATH, "every": DAY, "at": "2am"}, '"at" must be a UTC time of day'),
        ({"task": PATH, "every": DAY, "when": "daily"}, "unknown keys: when"),
        ({"task": PATH}, 'must be a dict with "task"'),
    ],
)
def test_a_wrong_entry_is_refused_with_what_to_fix(entry: dict[str, object], message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="SOLEX_PERIODIC_TASKS\\[0\\]") as raised:
        parse_periodic_tasks([entry])
    assert message in str(raised.value)


@pytest.mark.django_db
def test_a_wrong_dotted_path_stops_the_system_check(settings: Settings) -> None:
    settings.SOLEX_PERIODIC_TASKS = [{"task": "solex.communities.tasks.close_expird", "every": DAY}]

    with pytest.raises(
        SystemCheckError, match="cannot import the task 'solex.communities.tasks.close_expird'"
    ):
        call_command("check")


def test_the_default_schedule_archives_ended_communities_daily() -> None:
    schedule = {p.path: p for p in parse_periodic_tasks(settings.SOLEX_PERIODIC_TASKS)}

    assert schedule["solex.communities.tasks.close_expired_communities"].every == timedelta(days=1)


@pytest.mark.django_db(transaction=True)
def test_the_worker_enqueues_and_runs_a_due_task_once(settings: Settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def run_worker() -> None:
        SolexWorker(
            queue_names=["default"],
            interval=0,
            worker_id="worker-a",
            lease_seconds=600,
            max_attempts=3,
            exit_when_idle=True,
            scheduler=scheduler(),
        ).run()

    run_worker()
    run_worker()

    assert RUNS["count_run"] == 1


@pytest.mark.django_db
def test_the_scheduler_command_enqueues_what_is_due_once_per_period(settings: Settings) -> None:
    settings.SOLEX_PERIODIC_TASKS = [{"task": PATH, "every": DAY}]

    call_command("scheduler", "--once")
    call_command("scheduler", "--once")  # a second scheduler in the same period

    assert RUNS["count_run"] == 1
