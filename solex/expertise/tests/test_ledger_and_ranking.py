"""The ledger reads sources idempotently and forgets what they stop yielding; the
ranking orders people by decayed evidence and says why."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.expertise import ledger
from solex.expertise.evidence import Evidence
from solex.expertise.models import EvidenceKind, ExpertiseEvidence, ExpertiseSummary
from solex.expertise.ranking import (
    LocatorError,
    LocatorQuery,
    check_language,
    check_region,
    rank,
    topics_for_text,
)
from solex.expertise.tasks import refresh_expertise_ledger
from solex.taxonomy.models import Topic

pytestmark = pytest.mark.django_db

NOW = timezone.now()
FAKE: list[Evidence] = []
SOURCES = ["solex.expertise.tests.test_ledger_and_ranking.fake_source"]


def fake_source(since: datetime.datetime | None) -> Iterator[Evidence]:
    return (e for e in FAKE if since is None or e.occurred_at >= since)


def evidence(
    person: User, topic: Topic, kind: str, number: int, *, days_ago: float = 1
) -> Evidence:
    return Evidence(
        person_id=person.pk,
        topic_id=topic.pk,
        kind=kind,
        occurred_at=NOW - datetime.timedelta(days=days_ago),
        source=f"{kind}:{person.pk}:{number}",
        subject=f"exchange:{number}",
    )


@pytest.fixture(autouse=True)
def _sources() -> Iterator[None]:
    FAKE.clear()
    with override_settings(SOLEX_EXPERTISE_SOURCES=SOURCES):
        yield
    FAKE.clear()


@pytest.fixture
def cash() -> Topic:
    social = Topic.objects.create(name="Social protection", slug="social-protection")
    return Topic.objects.create(name="Cash transfers", slug="cash-transfers", parent=social)


def test_reading_a_source_twice_changes_nothing(cash: Topic) -> None:
    person = make_staff("amina")
    FAKE.extend(evidence(person, cash, EvidenceKind.REPLIED, n) for n in range(3))
    ledger.refresh()
    ledger.refresh()
    ledger.rebuild()
    assert ExpertiseEvidence.objects.count() == 3
    summary = ExpertiseSummary.objects.get(person=person, topic=cash)
    assert (summary.count, summary.subjects) == (3, 3)


def test_the_rebuild_forgets_what_a_source_no_longer_yields(cash: Topic) -> None:
    person = make_staff("amina")
    FAKE.extend(evidence(person, cash, EvidenceKind.HELPFUL, n) for n in range(2))
    ledger.refresh()
    FAKE.pop()  # a helpful mark taken back
    ledger.refresh()
    assert ExpertiseEvidence.objects.count() == 2  # the refresh only adds
    report = ledger.rebuild()
    assert report.removed == 1
    assert ExpertiseSummary.objects.get(person=person).count == 1


def test_helpful_replies_outrank_none_and_reasons_say_why(cash: Topic) -> None:
    helpful = make_staff("helpful", name="Helpful Hana")
    talker = make_staff("talker", name="Talker Tom")
    for n in range(3):
        FAKE.append(evidence(helpful, cash, EvidenceKind.REPLIED, n))
        FAKE.append(evidence(helpful, cash, EvidenceKind.HELPFUL, n))
    FAKE.extend(evidence(talker, cash, EvidenceKind.REPLIED, 10 + n) for n in range(3))
    ledger.refresh()

    ranking = rank(LocatorQuery(text="Who knows about cash transfers?"))

    assert [topic.name for topic in ranking.topics] == ["Cash transfers"]
    assert [item.person for item in ranking.people] == [helpful, talker]
    assert ranking.people[0].reasons == [
        "answered 3 similar queries",
        "replies marked helpful 3 times",
        "active on this in the last three months",
    ]


def test_evidence_fades_but_a_declaration_keeps_a_floor(cash: Topic) -> None:
    old_hand = make_staff("old_hand", name="Old Hand")
    declarer = make_staff("declarer", name="Declarer")
    FAKE.extend(
        evidence(old_hand, cash, EvidenceKind.REPLIED, n, days_ago=365 * 6) for n in range(5)
    )
    FAKE.append(evidence(declarer, cash, EvidenceKind.DECLARED, 1, days_ago=365 * 6))
    ledger.refresh()
    people = rank(LocatorQuery(topics=[cash])).people
    assert [item.person for item in people] == [declarer, old_hand]
    assert "last active on this in" in people[1].reasons[-1]


def test_parent_topics_find_sub_topic_experts_and_filters_apply(cash: Topic) -> None:
    assert cash.parent is not None
    french = make_staff("french", languages=["fr"], region="africa")
    other = make_staff("other", languages=["es"], region="asia_pacific")
    for number, person in enumerate((french, other)):
        FAKE.append(evidence(person, cash, EvidenceKind.REPLIED, number))
    ledger.refresh()
    assert len(rank(LocatorQuery(topics=[cash.parent])).people) == 2
    only = rank(LocatorQuery(topics=[cash.parent], language="fr", region="africa")).people
    assert [item.person for item in only] == [french]
    members = User.objects.filter(pk=other.pk)
    assert [item.person for item in rank(LocatorQuery(topics=[cash], people=members)).people] == [
        other
    ]


def test_bad_input_gets_a_clear_answer(cash: Topic) -> None:
    assert rank(LocatorQuery(text="")).people == []
    assert rank(LocatorQuery(text="x" * 10_000)).people == []
    assert topics_for_text("cash " * 3000) == [cash]
    with pytest.raises(LocatorError, match="not a language code"):
        check_language("klingon")
    with pytest.raises(LocatorError, match="not a region"):
        check_region("mars")
    assert check_language(" FR ") == "fr"


def test_the_command_rebuilds_with_progress_and_the_task_refreshes(cash: Topic) -> None:
    person = make_staff("amina")
    FAKE.extend(evidence(person, cash, EvidenceKind.REPLIED, n) for n in range(2))
    out, err = io.StringIO(), io.StringIO()
    call_command("expertise", "rebuild", stdout=out, stderr=err)
    assert "2 evidence rows read" in out.getvalue()
    assert "fake_source" in err.getvalue()
    FAKE.append(evidence(person, cash, EvidenceKind.HELPFUL, 9, days_ago=0))
    assert refresh_expertise_ledger.call() == 1  # only what appeared since the rebuild
    assert ExpertiseSummary.objects.filter(person=person).count() == 2
