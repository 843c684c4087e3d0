"""Build the demo network: run every available step in one transaction.

One transaction makes the build all-or-nothing: an interrupted build leaves an empty
database, so the next ``solex demo`` (or ``solex run``) simply starts again instead
of refusing a half-built network. It is also what makes SQLite fast here: one commit
instead of one per batch.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from solex.accounts.models import Organization, User
from solex.demo.context import DemoContext
from solex.demo.personas import DEMO_PASSWORD
from solex.demo.progress import TextStream
from solex.demo.registry import STEPS, Step, available_steps

#: The default seed: the same seed always builds the same network.
DEFAULT_SEED = "solex"


@dataclass
class BuildReport:
    seed: str
    scale: dict[str, int]
    seconds: float = 0.0
    step_seconds: dict[str, float] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    people: int = 0


def existing_data() -> tuple[int, int]:
    """(people, organisations) already in the database: the demo fills only an empty one."""
    return User.objects.count(), Organization.objects.count()


def default_scale(steps: Sequence[Step] = STEPS) -> dict[str, int]:
    return {option.name: option.default for step in steps for option in step.options}


def build_demo(
    *,
    stderr: TextStream,
    scale: Mapping[str, int] | None = None,
    seed: str = DEFAULT_SEED,
    steps: Sequence[Step] = STEPS,
) -> BuildReport:
    """Build the network. The caller checks first that the database is empty."""
    started = time.monotonic()
    runnable = available_steps(steps)
    full_scale = {**default_scale(steps), **(scale or {})}
    report = BuildReport(seed=seed, scale=full_scale)
    report.skipped = [step.name for step in steps if step not in {s for s, _ in runnable}]
    ctx = DemoContext(
        seed=seed,
        scale=full_scale,
        password_hash=make_password(DEMO_PASSWORD),
        now=timezone.now(),
        stderr=stderr,
    )
    with transaction.atomic():
        for step, builder in runnable:
            step_started = time.monotonic()
            builder(ctx)
            report.step_seconds[step.name] = time.monotonic() - step_started
    report.people = len(ctx.people)
    report.seconds = time.monotonic() - started
    return report
