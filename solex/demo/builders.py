"""The foundation's demo steps: organisations, topics, and people (personas first)."""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

from django.conf import settings
from django.utils.text import slugify

from solex.accounts.models import Organization, OrganizationDomain, Region, User
from solex.demo import catalogue
from solex.demo.catalogue import (
    AGENCIES,
    COUNTRIES,
    COUNTRY_BY_CODE,
    NAME_POOLS,
    PARTNERS,
    REGIONAL_HUBS,
)
from solex.demo.context import DemoContext, DemoPerson
from solex.demo.personas import PERSONAS, Persona
from solex.taxonomy.models import Topic

#: Share of generated members who work for a UN agency; the rest are partners.
INTERNAL_SHARE = 0.78
#: Where agency staff sit: headquarters, regional offices, country offices.
HEADQUARTERS_SHARE = 0.10
REGIONAL_SHARE = 0.12

_INTERFACE_LANGUAGES = {code for code, _ in settings.LANGUAGES}
_UN_LANGUAGES = ("fr", "es", "ar", "ru", "zh-hans")
# Countries with agency country offices: not the headquarters or liaison duty stations.
_PROGRAMME_COUNTRIES = tuple(
    c for c in COUNTRIES if c.code not in {"US", "CA", "CH", "IT", "FR", "DK", "DE"}
)


def build_organizations(ctx: DemoContext) -> None:
    specs = [
        (
            Organization(
                name=a.name, acronym=a.acronym, kind=Organization.Kind.UN_AGENCY, is_internal=True
            ),
            a.domain,
        )
        for a in AGENCIES
    ] + [
        (Organization(name=p.name, acronym=p.acronym, kind=p.kind, is_internal=False), p.domain)
        for p in PARTNERS
    ]
    progress = ctx.progress("organisations", len(specs))
    organizations = Organization.objects.bulk_create([organization for organization, _ in specs])
    OrganizationDomain.objects.bulk_create(
        OrganizationDomain(organization=organization, domain=domain)
        for organization, (_, domain) in zip(organizations, specs, strict=True)
    )
    ctx.organizations = {organization.acronym: organization for organization in organizations}
    progress.advance(len(specs))
    progress.finish()


def build_topics(ctx: DemoContext) -> None:
    """The practice taxonomy: top-level practice areas and their sub-topics.

    Topics that already exist (same slug) are kept, so a taxonomy seeded by a migration
    is completed rather than duplicated.
    """
    existing = {topic.slug: topic for topic in Topic.objects.all()}
    total = sum(1 + len(spec.children) for spec in catalogue.TOPICS)
    progress = ctx.progress("topics", total)
    parents = [
        Topic(name=spec.name, slug=spec.slug, description=spec.description)
        for spec in catalogue.TOPICS
        if spec.slug not in existing
    ]
    for topic in Topic.objects.bulk_create(parents):
        existing[topic.slug] = topic
    children = [
        Topic(name=name, slug=slugify(name), parent=existing[spec.slug])
        for spec in catalogue.TOPICS
        for name in spec.children
        if slugify(name) not in existing
    ]
    for topic in Topic.objects.bulk_create(children):
        existing[topic.slug] = topic
    ctx.topics = existing
    progress.advance(total)
    progress.finish()


def build_people(ctx: DemoContext) -> None:
    """The named personas, then ``--members`` generated people at agencies and partners."""
    rng = ctx.random("people")
    usernames = _UsernameMaker({p.username for p in PERSONAS})
    for persona in PERSONAS:
        usernames.reserve(_local_part(*persona.name.split(" ", 1)))

    domains = dict(
        OrganizationDomain.objects.filter(organization__in=ctx.organizations.values()).values_list(
            "organization__acronym", "domain"
        )
    )
    personas = [_persona_user(ctx, persona, domains) for persona in PERSONAS]
    User.objects.bulk_create(personas)
    ctx.personas = {user.username: user for user in personas}
    for persona, user in zip(PERSONAS, personas, strict=True):
        ctx.people.append(
            DemoPerson(
                id=user.pk,
                username=user.username,
                organization=persona.organization,
                is_internal=ctx.organizations[persona.organization].is_internal,
                country=persona.country,
                region=user.region,
                practice=_persona_practice(persona),
                languages=persona.languages,
                persona=persona.username,
            )
        )

    count = ctx.scale["members"]
    generated: list[DemoPerson] = []

    def users() -> Iterator[User]:
        for _ in range(count):
            user, person = _generated_person(ctx, rng, usernames, domains)
            generated.append(person)
            yield user

    ids = ctx.bulk_insert(User, users(), label="people", total=count, return_ids=True)
    ctx.people.extend(replace(person, id=pk) for person, pk in zip(generated, ids, strict=True))


# --- Helpers ------------------------------------------------------------------------


def _persona_user(ctx: DemoContext, persona: Persona, domains: dict[str, str]) -> User:
    country = COUNTRY_BY_CODE[persona.country]
    region = Region.GLOBAL if "Headquarters" in persona.office else country.region
    given, family = persona.name.split(" ", 1)
    joined = ctx.now - timedelta(days=400)
    return User(
        username=persona.username,
        name=persona.name,
        email=f"{_local_part(given, family)}@{domains[persona.organization]}",
        password=ctx.password_hash,
        title=persona.title,
        organization=ctx.organizations[persona.organization],
        office=persona.office,
        country=persona.country,
        region=region,
        languages=list(persona.languages),
        preferred_language=_interface_language(persona.languages),
        is_superuser=persona.is_superuser,
        is_staff=persona.is_superuser,
        date_joined=joined,
        email_confirmed_at=joined,
    )


def _persona_practice(persona: Persona) -> str:
    by_persona = {
        "expert": "health",
        "member": "migration-and-displacement",
        "partner": "governance",
    }
    return by_persona.get(persona.username, "knowledge-and-innovation")


def _generated_person(
    ctx: DemoContext, rng: random.Random, usernames: _UsernameMaker, domains: dict[str, str]
) -> tuple[User, DemoPerson]:
    region: str
    if rng.random() < INTERNAL_SHARE:
        agency = rng.choices(AGENCIES, weights=[a.weight for a in AGENCIES])[0]
        acronym = agency.acronym
        where = rng.random()
        if where < HEADQUARTERS_SHARE:
            country = COUNTRY_BY_CODE[agency.headquarters]
            region = Region.GLOBAL
            office = f"{acronym} Headquarters, {agency.headquarters_city}"
        elif where < HEADQUARTERS_SHARE + REGIONAL_SHARE:
            region = rng.choice(list(REGIONAL_HUBS))
            country = COUNTRY_BY_CODE[REGIONAL_HUBS[region]]
            kind = "Liaison Office" if region == Region.NORTH_AMERICA else "Regional Office"
            office = f"{acronym} {kind}, {'Washington' if country.code == 'US' else country.city}"
        else:
            country = rng.choice(_PROGRAMME_COUNTRIES)
            region = country.region
            office = f"{acronym} Country Office, {country.city}"
        practice = (
            rng.choice(agency.practices)
            if rng.random() < 0.8
            else rng.choice(catalogue.TOPICS).slug
        )
        titles = (
            catalogue.STAFF_TITLES[practice]
            if rng.random() < 0.7
            else catalogue.GENERAL_STAFF_TITLES
        )
        is_local = region != Region.GLOBAL and rng.random() < 0.7
        is_internal = True
    else:
        partner = rng.choice(PARTNERS)
        acronym = partner.acronym
        home = COUNTRY_BY_CODE[partner.country]
        if rng.random() < 0.85:
            country = home
        else:
            country = rng.choice([c for c in COUNTRIES if c.region == home.region])
        region = country.region
        office = f"{acronym}, {country.city}"
        practice = rng.choice(partner.practices)
        titles = catalogue.PARTNER_TITLES[partner.kind]
        is_local = rng.random() < 0.9
        is_internal = False

    culture = country.culture if is_local else rng.choice(sorted(NAME_POOLS))
    name, local_part = _name(rng, culture)
    username = usernames.make(local_part)
    mother_tongues = country.languages if is_local else (rng.choice(NAME_POOLS[culture].languages),)
    languages = _languages(rng, mother_tongues, is_internal)
    joined = ctx.now - timedelta(days=rng.uniform(0, 3 * 365))
    last_login = ctx.now - timedelta(days=rng.uniform(0, 60)) if rng.random() < 0.7 else None
    user = User(
        username=username,
        name=name,
        email=f"{username}@{domains[acronym]}",
        password=ctx.password_hash,
        title=rng.choice(titles),
        organization=ctx.organizations[acronym],
        office=office,
        country=country.code,
        region=region,
        languages=list(languages),
        preferred_language=_interface_language(languages),
        date_joined=joined,
        last_login=last_login,
        email_confirmed_at=joined,
        is_active=rng.random() < 0.99,
    )
    person = DemoPerson(
        id=0,  # known once inserted
        username=username,
        organization=acronym,
        is_internal=is_internal,
        country=country.code,
        region=region,
        practice=practice,
        languages=languages,
    )
    return user, person


def _name(rng: random.Random, culture: str) -> tuple[str, str]:
    """A full name as written in its culture, and its ``given.family`` email form."""
    pool = NAME_POOLS[culture]
    given = rng.choice(pool.given)
    family = rng.choice(pool.family)
    if pool.two_family_names and rng.random() < pool.two_family_names:
        second = rng.choice([f for f in pool.family if f != family])
        return f"{given} {family} {second}", _local_part(given, family)
    if pool.family_first:
        return f"{family} {given}", _local_part(given, family)
    return f"{given} {family}", _local_part(given, family)


def _languages(rng: random.Random, local: tuple[str, ...], is_internal: bool) -> tuple[str, ...]:
    spoken = list(local[:2])
    if is_internal or rng.random() < 0.6:
        spoken.insert(0 if not spoken else 1, "en")
    if is_internal and rng.random() < 0.45:
        spoken.append(rng.choice(_UN_LANGUAGES))
    if not spoken:
        spoken.append(rng.choice(("en", "fr", "es")))
    return tuple(dict.fromkeys(spoken))


def _interface_language(languages: tuple[str, ...]) -> str:
    return next((code for code in languages if code in _INTERFACE_LANGUAGES), "en")


_FOLD = str.maketrans(
    {"đ": "d", "Đ": "D", "ı": "i", "ø": "o", "ß": "ss", "æ": "ae", "ł": "l", "'": ""}
)


def _local_part(given: str, family: str) -> str:
    """``amina.diallo`` from "Amina", "Diallo"; accents folded, spaces become hyphens."""

    def fold(text: str) -> str:
        ascii_text = (
            unicodedata.normalize("NFKD", text.translate(_FOLD)).encode("ascii", "ignore").decode()
        )
        return "-".join(
            "".join(ch for ch in word if ch.isalnum()) for word in ascii_text.lower().split()
        )

    return f"{fold(given)}.{fold(family)}"


class _UsernameMaker:
    """Unique usernames from ``given.family``: the second Amina Diallo is amina.diallo2."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = set(taken)
        self.counts: Counter[str] = Counter()

    def reserve(self, username: str) -> None:
        self.taken.add(username)

    def make(self, base: str) -> str:
        while True:
            self.counts[base] += 1
            candidate = base if self.counts[base] == 1 else f"{base}{self.counts[base]}"
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
