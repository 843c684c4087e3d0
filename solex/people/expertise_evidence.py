"""Evidence of expertise from profiles: declarations and endorsements (see the ledger).

Registered in ``settings.SOLEX_EXPERTISE_SOURCES``. Claims that contributions started
("shown by contributions") are left out: the ledger reads those contributions itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import F

from solex.expertise.evidence import Evidence, evidence_source
from solex.expertise.models import EvidenceKind
from solex.people.models import Endorsement, ExpertiseClaim, ExpertiseSource

BATCH = 2000
LEVEL_WEIGHT = 1.5  # per declared level: an expert (level 3) declares 4.5 points


@evidence_source(estimate=lambda: ExpertiseClaim.objects.count())
def declarations(since: datetime.datetime | None) -> Iterator[Evidence]:
    claims = ExpertiseClaim.objects.filter(source=ExpertiseSource.DECLARED)
    if since is not None:
        claims = claims.filter(updated_at__gte=since)
    last = 0
    while True:
        rows = list(
            claims.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "user_id", "topic_id", "level", "updated_at")[:BATCH]
        )
        if not rows:
            return
        last = rows[-1][0]
        for claim_id, user_id, topic_id, level, updated_at in rows:
            yield Evidence(
                person_id=user_id,
                topic_id=topic_id,
                kind=EvidenceKind.DECLARED,
                occurred_at=updated_at,
                source=f"claim:{claim_id}",
                subject=f"level:{level}",
                weight=level * LEVEL_WEIGHT,
            )


@evidence_source(estimate=lambda: Endorsement.objects.count())
def endorsements(since: datetime.datetime | None) -> Iterator[Evidence]:
    marks = Endorsement.objects.exclude(endorser_id=F("claim__user_id"))
    if since is not None:
        marks = marks.filter(created_at__gte=since)
    last = 0
    while True:
        rows = list(
            marks.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "claim__user_id", "claim__topic_id", "endorser_id", "created_at")[
                :BATCH
            ]
        )
        if not rows:
            return
        last = rows[-1][0]
        for endorsement_id, user_id, topic_id, endorser_id, created_at in rows:
            yield Evidence(
                person_id=user_id,
                topic_id=topic_id,
                kind=EvidenceKind.ENDORSED,
                occurred_at=created_at,
                source=f"endorsement:{endorsement_id}",
                subject=f"endorser:{endorser_id}",
            )
