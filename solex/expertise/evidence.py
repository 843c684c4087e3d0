"""What an evidence source yields, what each kind weighs, and where the sources are.

A source is a function in the app that owns the data, registered by dotted path in
``settings.SOLEX_EXPERTISE_SOURCES``::

    def evidence(since: datetime | None) -> Iterable[Evidence]: ...

It yields the evidence that appeared at or after ``since`` (everything when ``since``
is None), reading in bounded batches. It may carry an ``estimate`` attribute, a
function returning roughly how many rows a full read yields, for the rebuild's
progress bar (``evidence_source`` sets it).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol, cast

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from solex.expertise.models import EvidenceKind

# Points per piece of evidence, before decay.
WEIGHTS: dict[str, float] = {
    EvidenceKind.DECLARED: 2.0,  # times the declared level (1 to 3), see the people source
    EvidenceKind.ENDORSED: 1.0,
    EvidenceKind.REPLIED: 1.0,
    EvidenceKind.HELPFUL: 2.5,
    EvidenceKind.CONSOLIDATED: 2.0,
    EvidenceKind.AUTHORED: 2.5,
    EvidenceKind.ASKED: 0.25,
}
# The share of the weight that never fades: what people declare, and what colleagues
# vouch for, stays a modest prior; what they did fades with time.
LASTING: dict[str, float] = {EvidenceKind.DECLARED: 0.5, EvidenceKind.ENDORSED: 0.5}

DECAY_EPOCH = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
MIN_HALF_LIFE_DAYS = 30  # 2^(days / half-life) must stay far from overflowing a float


@dataclass(frozen=True)
class Evidence:
    person_id: int
    topic_id: int
    kind: str
    occurred_at: datetime.datetime
    source: str  # unique with the topic: "reply:12"
    subject: str = ""  # what it is about, counted once: "exchange:4"
    weight: float | None = None  # None: the kind's weight


class EvidenceSource(Protocol):
    __name__: str

    def __call__(self, since: datetime.datetime | None) -> Iterable[Evidence]: ...


def evidence_source(
    estimate: Callable[[], int],
) -> Callable[[Callable[[datetime.datetime | None], Iterable[Evidence]]], EvidenceSource]:
    """Mark a function as an evidence source, with a rough row count for progress bars."""

    def mark(function: Callable[[datetime.datetime | None], Iterable[Evidence]]) -> EvidenceSource:
        cast(Any, function).estimate = estimate
        return cast(EvidenceSource, function)

    return mark


def half_life_days() -> float:
    return max(float(getattr(settings, "SOLEX_EXPERTISE_HALF_LIFE_DAYS", 365)), MIN_HALF_LIFE_DAYS)


def _days(moment: datetime.datetime) -> float:
    return (moment - DECAY_EPOCH).total_seconds() / 86400


def split_weight(kind: str, weight: float, occurred_at: datetime.datetime) -> tuple[float, float]:
    """(lasting, growth) for one row: see ``solex.expertise.models``."""
    lasting = weight * LASTING.get(kind, 0.0)
    fading = weight - lasting
    return lasting, fading * math.pow(2.0, _days(occurred_at) / half_life_days())


def decay_factor(now: datetime.datetime | None = None) -> float:
    """Multiply a summed ``growth`` by this to get today's decayed weight."""
    return math.pow(2.0, -_days(now or timezone.now()) / half_life_days())


def source_paths() -> list[str]:
    return list(getattr(settings, "SOLEX_EXPERTISE_SOURCES", []))


def load_sources() -> list[tuple[str, EvidenceSource]]:
    return [(path, cast(EvidenceSource, import_string(path))) for path in source_paths()]
