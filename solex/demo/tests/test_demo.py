"""The demo network: it builds, it is the same every time, and the personas work."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from solex.accounts.models import Organization, Region, User
from solex.demo.build import build_demo
from solex.demo.catalogue import AGENCIES, COUNTRIES, NAME_POOLS, PARTNERS, TOPICS
from solex.demo.personas import DEMO_PASSWORD, PERSONAS, format_personas
from solex.demo.registry import ScaleOption, Step, available_steps, load_builder, skipped_steps
from solex.taxonomy.models import Topic

pytestmark = pytest.mark.django_db

MEMBERS = 120


def run_demo(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("demo", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot() -> list[tuple[Any, ...]]:
    """What two builds must agree on, leaving out ids (PostgreSQL never reuses them)."""
    return list(
        User.objects.order_by("username").values_list(
            "username",
            "name",
            "email",
            "title",
            "organization__acronym",
            "office",
            "country",
            "region",
            "languages",
        )
    )


def test_demo_builds_the_network_with_every_persona_and_the_requested_members() -> None:
    out, err = run_demo("--members", str(MEMBERS))

    assert User.objects.count() == MEMBERS + len(PERSONAS)
    assert Organization.objects.filter(is_internal=True).count() == len(AGENCIES)
    assert Organization.objects.filter(is_internal=False).count() == len(PARTNERS)
    assert Topic.objects.filter(parent=None).count() == len(TOPICS)
    assert Topic.objects.exclude(parent=None).count() == sum(len(t.children) for t in TOPICS)
    assert "Demo logins:" in out
    assert format_personas() in out
    assert "people" in err  # the progress of each step goes to stderr


def test_every_persona_logs_in_with_the_documented_password() -> None:
    run_demo("--members", "10")

    for persona in PERSONAS:
        client = Client()
        assert client.login(username=persona.username, password=DEMO_PASSWORD), persona.username


def test_generated_members_share_the_documented_password() -> None:
    run_demo("--members", "10")
    generated = User.objects.exclude(username__in=[p.username for p in PERSONAS]).first()

    assert generated is not None
    assert Client().login(username=generated.username, password=DEMO_PASSWORD)


def test_partner_persona_is_external_and_the_others_are_agency_staff() -> None:
    run_demo("--members", "0")
    users = {user.username: user for user in User.objects.select_related("organization")}

    assert users["partner"].is_internal is False
    assert users["partner"].organization is not None
    assert users["partner"].organization.kind == Organization.Kind.GOVERNMENT
    assert all(users[p.username].is_internal for p in PERSONAS if p.username != "partner")
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert not any(users[p.username].is_superuser for p in PERSONAS if p.username != "admin")


def test_two_builds_with_the_same_seed_give_the_same_people() -> None:
    with transaction.atomic():
        build_demo(stderr=io.StringIO(), scale={"members": MEMBERS})
        first = snapshot()
        transaction.set_rollback(True)
    assert User.objects.count() == 0

    build_demo(stderr=io.StringIO(), scale={"members": MEMBERS})

    assert snapshot() == first


def test_another_seed_gives_other_people() -> None:
    with transaction.atomic():
        build_demo(stderr=io.StringIO(), scale={"members": MEMBERS})
        first = snapshot()
        transaction.set_rollback(True)

    build_demo(stderr=io.StringIO(), scale={"members": MEMBERS}, seed="another")

    assert snapshot() != first


def test_a_second_run_on_a_non_empty_database_changes_nothing() -> None:
    run_demo("--members", "20")
    before = snapshot()

    out, _ = run_demo("--members", "20")

    assert "nothing was changed" in out
    assert snapshot() == before
    assert Organization.objects.count() == len(AGENCIES) + len(PARTNERS)


def test_the_demo_refuses_a_database_that_already_has_people() -> None:
    User.objects.create_user("someone", email="someone@example.net", name="Someone")

    out, _ = run_demo()

    assert "nothing was changed" in out
    assert User.objects.count() == 1
    assert not Organization.objects.exists()


def test_generated_people_are_realistic_and_unique() -> None:
    run_demo("--members", "400")
    people = list(User.objects.select_related("organization"))
    emails = [user.email.lower() for user in people]

    assert len(set(emails)) == len(emails)
    assert {user.region for user in people} == set(Region.values)  # offices in every region
    assert all(user.email.endswith(".example") for user in people)  # never a real mailbox
    assert all(user.name and user.title and user.office and user.country for user in people)
    internal = Counter(user.is_internal for user in people)
    assert internal[True] > internal[False] > 0
    # Names come from many cultures, not one.
    cultures_seen = {
        culture
        for culture, pool in NAME_POOLS.items()
        for user in people
        if any(part in pool.family for part in user.name.split(" "))
    }
    assert len(cultures_seen) >= len(NAME_POOLS) // 2


def test_catalogue_languages_are_languages_django_knows() -> None:
    from django.conf.locale import LANG_INFO

    codes = {code for country in COUNTRIES for code in country.languages}
    codes |= {code for pool in NAME_POOLS.values() for code in pool.languages}
    codes |= {code for persona in PERSONAS for code in persona.languages}

    assert codes - set(LANG_INFO) == set()


def test_optional_step_without_its_module_is_skipped_but_a_broken_one_is_an_error() -> None:
    missing = Step("later", "solex.demo.not_written_yet.build", optional=True)
    required = Step("required", "solex.demo.not_written_yet.build")
    misnamed = Step("misnamed", "solex.demo.builders.build_nothing", optional=True)

    assert load_builder(missing) is None
    assert skipped_steps([missing]) == [missing]
    with pytest.raises(ModuleNotFoundError):
        load_builder(required)
    with pytest.raises(Exception, match="has no build_nothing"):
        load_builder(misnamed)


def test_scale_flags_come_only_from_steps_that_can_run() -> None:
    flags = {option.flag for step, _ in available_steps() for option in step.options}
    later = Step(
        "later",
        "solex.demo.not_written_yet.build",
        options=(ScaleOption("posts", 1, "Posts."),),
        optional=True,
    )

    assert "--members" in flags
    assert available_steps([later]) == []


def test_solex_run_prints_every_persona_with_the_documented_password() -> None:
    from solex.core.management.commands.run import demo_login_lines

    run_demo("--members", "0")
    lines = demo_login_lines()

    assert lines[0] == "Demo logins:"
    assert len(lines) == 1 + len(PERSONAS)
    assert (
        "  partner / solex-demo  (external partner, Ministry of Local Government, Kenya)" in lines
    )
