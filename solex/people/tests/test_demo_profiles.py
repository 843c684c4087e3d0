"""The demo's profiles step: rich, deterministic profiles the directory can find."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F

from solex.accounts.models import User
from solex.people.models import Endorsement, ExpertiseClaim, LanguageSkill, Profile

pytestmark = pytest.mark.django_db


def build(members: int) -> None:
    call_command("demo", "--members", str(members), stdout=io.StringIO(), stderr=io.StringIO())


def test_demo_gives_people_profiles_languages_expertise_and_endorsements() -> None:
    build(60)

    assert Profile.objects.count() == User.objects.count()
    assert LanguageSkill.objects.filter(level="native").exists()
    expert = User.objects.get(username="expert")
    claims = ExpertiseClaim.objects.filter(user=expert).annotate(endorsers=Count("endorsements"))
    assert claims.count() >= 1
    assert all(claim.level == 3 and claim.endorsers >= 1 for claim in claims)
    assert ExpertiseClaim.objects.filter(source="contributions").exists()
    assert not Endorsement.objects.filter(endorser=F("claim__user")).exists()


def test_demo_profiles_are_the_same_every_time() -> None:
    def snapshot() -> list[tuple[object, ...]]:
        return list(
            ExpertiseClaim.objects.order_by("user__username", "topic__slug").values_list(
                "user__username", "topic__slug", "level", "source", "contribution_count"
            )
        ) + list(Profile.objects.order_by("user__username").values_list("user__username", "bio"))

    with transaction.atomic():
        build(30)
        first = snapshot()
        transaction.set_rollback(True)
    assert not Profile.objects.exists()

    build(30)

    assert snapshot() == first
