"""What every demo builder receives: the seed, the scale, and what earlier steps made.

A builder is a function ``build_something(ctx: DemoContext) -> None`` listed in
``solex.demo.registry.STEPS``. It draws its randomness from ``ctx.random("its-name")``
(a generator of its own, so adding a step never changes what the others build),
reads its size from ``ctx.scale``, inserts rows with ``ctx.bulk_insert`` and, when
later steps need what it made, records it on the context.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING

from django.db import models

from solex.demo.progress import Progress, TextStream

if TYPE_CHECKING:
    from solex.accounts.models import Organization, User
    from solex.taxonomy.models import Topic

#: Rows per INSERT batch: big enough to be fast, small enough to keep memory flat.
BATCH_SIZE = 2000


@dataclass(frozen=True)
class DemoPerson:
    """A light record of one demo account, for later steps that pick people.

    Kept instead of model instances so that a build of 200,000 members stays small
    in memory, and so that steps can choose people without querying.
    """

    id: int
    username: str
    organization: str  # the organisation's acronym
    is_internal: bool
    country: str
    region: str
    practice: str  # slug of the top-level topic the person mostly works on
    languages: tuple[str, ...]
    persona: str = ""  # the persona's username, for the named personas


@dataclass
class DemoContext:
    seed: str
    scale: dict[str, int]
    password_hash: str  # one precomputed hash: hashing a password per account is slow
    now: datetime
    stderr: TextStream
    organizations: dict[str, Organization] = field(default_factory=dict)  # by acronym
    topics: dict[str, Topic] = field(default_factory=dict)  # by slug
    personas: dict[str, User] = field(default_factory=dict)  # by persona username
    people: list[DemoPerson] = field(default_factory=list)  # personas first

    def random(self, step: str) -> random.Random:
        """A generator for one step, seeded from the build's seed and the step's name."""
        return random.Random(f"{self.seed}:{step}")  # noqa: S311 (demo data, not secrets)

    def progress(self, label: str, total: int) -> Progress:
        return Progress(self.stderr, label, total)

    def bulk_insert[M: models.Model](
        self,
        model: type[M],
        objects: Iterable[M],
        *,
        label: str,
        total: int,
        return_ids: bool = False,
        batch_size: int = BATCH_SIZE,
    ) -> list[int]:
        """Insert ``objects`` in batches with a progress bar; the new ids if asked for.

        ``objects`` may be a generator: only one batch is held in memory at a time.
        """
        progress = self.progress(label, total)
        ids: list[int] = []
        for batch in _batches(objects, batch_size):
            created = model._default_manager.bulk_create(batch, batch_size=batch_size)
            if return_ids:
                ids.extend(obj.pk for obj in created)
            progress.advance(len(batch))
        progress.finish()
        return ids


def _batches[M: models.Model](objects: Iterable[M], size: int) -> Iterator[list[M]]:
    iterator = iter(objects)
    while batch := list(islice(iterator, size)):
        yield batch
