"""Factories for tests: topics and expertise written directly, without the actions.

The behaviour under test always goes through ``actions.py``; these only set the scene.
"""

from __future__ import annotations

from django.utils.text import slugify

from solex.accounts.models import User
from solex.people.models import (
    Endorsement,
    ExpertiseClaim,
    ExpertiseLevel,
    ExpertiseSource,
    LanguageSkill,
)
from solex.taxonomy.models import Topic


def make_topic(name: str, *, parent: Topic | None = None) -> Topic:
    topic, _created = Topic.objects.get_or_create(
        slug=slugify(name), defaults={"name": name, "parent": parent}
    )
    return topic


def make_claim(
    user: User,
    topic: Topic,
    *,
    level: int = ExpertiseLevel.EXPERT,
    source: str = ExpertiseSource.DECLARED,
    endorsed_by: tuple[User, ...] = (),
) -> ExpertiseClaim:
    claim = ExpertiseClaim.objects.create(user=user, topic=topic, level=level, source=source)
    Endorsement.objects.bulk_create(
        Endorsement(endorser=other, claim=claim) for other in endorsed_by
    )
    return claim


def add_language(user: User, code: str, level: str) -> LanguageSkill:
    return LanguageSkill.objects.create(user=user, code=code, level=level)
