"""Demo step "profiles": bios, languages with level, expertise and endorsements.

Runs after the people step, from ``ctx.people`` alone (no per-person queries), so it
scales with ``--members``. Named personas get the richest profiles: the ``expert``
persona is a well-endorsed expert in their practice, so directory searches find them.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator

from django.conf.locale import LANG_INFO

from solex.demo.context import DemoContext, DemoPerson
from solex.people.models import (
    Availability,
    Endorsement,
    ExpertiseClaim,
    ExpertiseLevel,
    ExpertiseSource,
    LanguageLevel,
    LanguageSkill,
    Profile,
)
from solex.taxonomy.models import Topic

#: Share of generated members who have filled in their expertise.
WITH_EXPERTISE = 0.7
#: Share of claims that colleagues endorse, and how many endorse each at most.
ENDORSED = 0.4
MAX_ENDORSERS = 6

BIOS = (
    "I work on {topic} with the {practice} team and have supported programmes in several "
    "country offices. Happy to share templates and lessons from past projects.",
    "Practitioner in {practice}, focused on {topic}. Ask me about what worked, and what "
    "did not, when we scaled up our pilots.",
    "My background is in {topic}. I coordinate with government counterparts and civil "
    "society on {practice} and like connecting people who face the same problems.",
    "Working on {practice} since joining; currently leading work on {topic}. I can help "
    "with peer assists and reviewing draft programme documents.",
)
AVAILABILITY_NOTES = (
    "",
    "Best reached by email; I reply within two days.",
    "Tuesdays and Thursdays, by video call.",
    "Short calls only during the budget cycle.",
)
PERSONA_LEVELS = {"expert": ExpertiseLevel.EXPERT, "facilitator": ExpertiseLevel.EXPERIENCED}


def _known(code: str) -> str | None:
    """A language code Solex can name (``zh`` is written ``zh-hans``)."""
    for candidate in (code, f"{code}-hans"):
        if "name" in LANG_INFO.get(candidate, {}):
            return candidate
    return None


def _sub_topics(ctx: DemoContext) -> dict[str, list[Topic]]:
    """Practice slug -> its sub-topics (the practice itself when it has none)."""
    by_id = {topic.pk: topic for topic in ctx.topics.values()}
    children: dict[str, list[Topic]] = defaultdict(list)
    for topic in ctx.topics.values():
        if topic.parent_id is not None and topic.parent_id in by_id:
            children[by_id[topic.parent_id].slug].append(topic)
    for slug, topic in ctx.topics.items():
        if topic.parent_id is None and not children[slug]:
            children[slug] = [topic]
    return {slug: sorted(topics, key=lambda t: t.slug) for slug, topics in children.items()}


def _claims_for(
    rng: random.Random, person: DemoPerson, topics: list[Topic]
) -> list[tuple[Topic, int, str, int]]:
    """(topic, level, source, contributions) for one person."""
    if not topics:
        return []
    count = 3 if person.persona else rng.choice((1, 1, 2, 2, 3))
    chosen = rng.sample(topics, min(count, len(topics)))
    claims: list[tuple[Topic, int, str, int]] = []
    for topic in chosen:
        level = PERSONA_LEVELS.get(person.persona) or rng.choice(
            (
                ExpertiseLevel.WORKING,
                ExpertiseLevel.EXPERIENCED,
                ExpertiseLevel.EXPERIENCED,
                ExpertiseLevel.EXPERT,
            )
        )
        if not person.persona and rng.random() < 0.2:
            claims.append(
                (topic, ExpertiseLevel.WORKING, ExpertiseSource.CONTRIBUTIONS, rng.randint(1, 12))
            )
        else:
            claims.append((topic, int(level), ExpertiseSource.DECLARED, rng.randint(0, 5)))
    return claims


def build_profiles(ctx: DemoContext) -> None:
    """Profiles, language skills, expertise claims and endorsements for everyone in ``ctx.people``."""
    rng = ctx.random("profiles")
    sub_topics = _sub_topics(ctx)
    people = ctx.people
    total = len(people)

    # Decide everything first, from one generator, so the build is deterministic.
    planned: list[tuple[DemoPerson, list[tuple[Topic, int, str, int]]]] = []
    for person in people:
        has_expertise = bool(person.persona) or rng.random() < WITH_EXPERTISE
        topics = sub_topics.get(person.practice, [])
        planned.append((person, _claims_for(rng, person, topics) if has_expertise else []))

    def profiles() -> Iterator[Profile]:
        for person, claims in planned:
            topic = claims[0][0].name.lower() if claims else "programme delivery"
            practice = (
                ctx.topics[person.practice].name.lower()
                if person.practice in ctx.topics
                else "development"
            )
            yield Profile(
                user_id=person.id,
                bio=rng.choice(BIOS).format(topic=topic, practice=practice),
                availability=rng.choice([*Availability.values, ""]),
                availability_note=rng.choice(AVAILABILITY_NOTES),
                visible_to_partners=person.persona != "" or rng.random() > 0.05,
                updated_at=ctx.now,
            )

    ctx.bulk_insert(Profile, profiles(), label="profiles", total=total)

    def skills() -> Iterator[LanguageSkill]:
        for person in people:
            codes = [code for code in (_known(c) for c in person.languages) if code]
            for position, code in enumerate(dict.fromkeys(codes)):
                if position == 0:
                    level = rng.choice((LanguageLevel.NATIVE, LanguageLevel.FLUENT))
                else:
                    level = rng.choice(
                        (LanguageLevel.FLUENT, LanguageLevel.WORKING, LanguageLevel.BASIC)
                    )
                yield LanguageSkill(user_id=person.id, code=code, level=level)

    language_total = sum(len(person.languages) for person in people)
    ctx.bulk_insert(LanguageSkill, skills(), label="languages", total=language_total)

    claim_rows = [
        (
            person,
            ExpertiseClaim(
                user_id=person.id,
                topic=topic,
                level=level,
                source=source,
                contribution_count=contributions,
                created_at=ctx.now,
                updated_at=ctx.now,
            ),
        )
        for person, claims in planned
        for topic, level, source, contributions in claims
    ]
    claim_ids = ctx.bulk_insert(
        ExpertiseClaim,
        (claim for _person, claim in claim_rows),
        label="expertise",
        total=len(claim_rows),
        return_ids=True,
    )

    # Colleagues in the same practice endorse; the expert persona is endorsed the most.
    by_practice: dict[str, list[int]] = defaultdict(list)
    for person in people:
        by_practice[person.practice].append(person.id)
    endorsements: list[tuple[int, int]] = []
    for (person, _claim), claim_id in zip(claim_rows, claim_ids, strict=True):
        colleagues = by_practice[person.practice]
        if person.persona == "expert":
            wanted = MAX_ENDORSERS
        elif rng.random() < ENDORSED:
            wanted = rng.randint(1, MAX_ENDORSERS)
        else:
            continue
        endorsers = {
            pk for pk in rng.sample(colleagues, min(wanted + 1, len(colleagues))) if pk != person.id
        }
        endorsements.extend((endorser, claim_id) for endorser in sorted(endorsers)[:wanted])
    ctx.bulk_insert(
        Endorsement,
        (
            Endorsement(endorser_id=endorser, claim_id=claim, created_at=ctx.now)
            for endorser, claim in endorsements
        ),
        label="endorsements",
        total=len(endorsements),
    )
