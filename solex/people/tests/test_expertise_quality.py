"""How good is the expertise locator? Precision@5 on a deterministic practice history.

The fixture is a small network whose ground truth is known: each of 12 topics has
four real experts (one a newcomer who only declared it, one whose work on it is three
years old), and a dozen generalists who reply to anything now and then. Exchanges,
replies and helpful marks follow from that truth with noise; the 24 questions are
phrased as members type them. The test prints precision@5 (and recall@5) for the
report, and asserts only what must hold whatever the weights: someone with many
helpful replies on a topic ranks above someone with none.
"""

from __future__ import annotations

import datetime
import random

import pytest
from django.utils import timezone

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.communities.models import Visibility
from solex.communities.testing import make_community
from solex.exchanges.models import Exchange, HelpfulMark, Reply
from solex.expertise import ledger
from solex.expertise.ranking import LocatorQuery, rank
from solex.people.testing import make_claim, make_topic

pytestmark = pytest.mark.django_db

TOPICS = {
    "Cash transfers": ("Who knows about cash transfers?", "targeting cash transfer programmes"),
    "Social protection floors": (
        "costing a social protection floor",
        "who has worked on social protection floors",
    ),
    "Water pricing": ("tariffs and water pricing for the poor", "water pricing reform experience"),
    "Sanitation": ("urban sanitation in informal settlements", "who knows sanitation marketing"),
    "Gender-based violence": (
        "referral pathways for gender-based violence",
        "gender-based violence case management",
    ),
    "Disaster risk reduction": (
        "local disaster risk reduction plans",
        "who knows about disaster risk reduction",
    ),
    "Climate adaptation": ("climate adaptation finance", "adaptation to climate change in coasts"),
    "Early warning systems": (
        "community early warning systems for floods",
        "early warning for drought",
    ),
    "Public procurement": ("e-procurement reform", "public procurement audits"),
    "Migration data": ("migration data collection at borders", "who has migration statistics"),
    "Youth employment": ("youth employment programmes that worked", "apprenticeships for youth"),
    "Maternal health": ("reducing maternal deaths in rural clinics", "maternal health financing"),
}
QUERIES_PER_TOPIC = 12


def _history() -> tuple[dict[str, set[int]], dict[str, tuple[User, User]]]:
    """Build the network; the truth per topic, and a (helpful expert, bystander) pair."""
    rng = random.Random("expertise-quality")  # noqa: S311 (a fixture)
    now = timezone.now()
    community = make_community("Practice Network", visibility=Visibility.PUBLIC)
    topics = {name: make_topic(name) for name in TOPICS}
    truth: dict[str, set[int]] = {}
    experts: dict[str, list[User]] = {}
    for t_index, name in enumerate(TOPICS):
        people = [
            make_staff(f"expert_{t_index}_{n}", name=f"Expert {t_index}-{n}") for n in range(4)
        ]
        experts[name] = people
        truth[name] = {person.pk for person in people}
        make_claim(people[2], topics[name], level=2)  # the newcomer: declared only
    generalists = [make_staff(f"generalist_{n}", name=f"Generalist {n}") for n in range(12)]
    askers = [make_staff(f"asker_{n}") for n in range(10)]
    pairs: dict[str, tuple[User, User]] = {}
    planned: list[tuple[Exchange, str, list[User]]] = []
    for name in topics:
        active, lapsed = experts[name][:2] + experts[name][3:], experts[name][3]
        for number in range(QUERIES_PER_TOPIC):
            asked_at = now - datetime.timedelta(days=rng.uniform(5, 700))
            if number < 3:
                asked_at = now - datetime.timedelta(days=rng.uniform(1000, 1200))
            query = Exchange(
                community=community,
                author=rng.choice(askers),
                title=f"{name} {number}",
                body="?",
                body_html="<p>?</p>",
                kind="query",
                created_at=asked_at,
            )
            responders = [p for p in active if p is not lapsed and rng.random() < 0.5]
            if number < 3:
                responders.append(lapsed)
            responders += [g for g in generalists if rng.random() < 0.12]
            planned.append((query, name, responders))
        pairs[name] = (experts[name][0], generalists[0])
    Exchange.objects.bulk_create([query for query, _name, _people in planned])
    Exchange.topics.through.objects.bulk_create(
        Exchange.topics.through(exchange_id=query.pk, topic_id=topics[name].pk)
        for query, name, _people in planned
    )
    replies: list[tuple[Reply, bool]] = []
    for query, name, responders in planned:
        for person in responders:
            reply = Reply(
                exchange=query,
                author=person,
                body="Here is what we did.",
                body_html="",
                created_at=query.created_at + datetime.timedelta(hours=rng.uniform(2, 72)),
            )
            chance = 0.6 if person.pk in truth[name] else 0.08
            replies.append((reply, rng.random() < chance))
    Reply.objects.bulk_create([reply for reply, _marked in replies])
    HelpfulMark.objects.bulk_create(
        HelpfulMark(reply=reply, user=reply.exchange.author, created_at=reply.created_at)
        for reply, marked in replies
        if marked
    )
    return truth, pairs


def test_precision_at_5_is_reported_and_helpful_experts_outrank_bystanders(
    capsys: pytest.CaptureFixture[str],
) -> None:
    truth, pairs = _history()
    ledger.rebuild()

    hits = relevant_found = total = 0
    for name, phrasings in TOPICS.items():
        for text in phrasings:
            people = rank(LocatorQuery(text=text), limit=5).people
            found = sum(1 for item in people if item.person.pk in truth[name])
            hits += found
            relevant_found += found
            total += 1
    precision = hits / (5 * total)
    recall = relevant_found / sum(len(truth[name]) for name in TOPICS for _p in TOPICS[name])
    with capsys.disabled():
        print(  # noqa: T201 (the figure is the report)
            f"\nexpertise locator: {total} queries, precision@5 {precision:.2f}, "
            f"recall@5 {recall:.2f} (4 real experts per topic, so precision@5 is at most 0.80)"
        )

    for name, (expert, bystander) in pairs.items():
        order = [item.person for item in rank(LocatorQuery(text=name), limit=50).people]
        assert expert in order
        assert bystander not in order or order.index(expert) < order.index(bystander)
