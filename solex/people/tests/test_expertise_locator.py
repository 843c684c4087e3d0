"""Who knows about X: ranked from what people did, with reasons, within what the viewer
may see; profiles show the record; knowledge managers see the gaps; bad input is told."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from solex.accounts.models import User
from solex.accounts.testing import make_partner, make_staff
from solex.communities.models import Community, Role, Visibility
from solex.communities.testing import add_member, make_community
from solex.exchanges.models import CloseReason, HelpfulMark
from solex.exchanges.testing import make_exchange, make_reply
from solex.expertise import ledger
from solex.people.models import Profile
from solex.people.testing import make_claim, make_topic
from solex.taxonomy.models import Topic

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def answer(
    person: User, community: Community, topic: Topic, *, helpful: bool, asker: User | None = None
) -> None:
    query = make_exchange(community, author=asker, topics=[topic], title="Targeting cash")
    reply = make_reply(query, person, helpful_count=1 if helpful else 0)
    if helpful:
        HelpfulMark.objects.create(reply=reply, user=make_staff())


@pytest.fixture
def cash() -> Topic:
    return make_topic("Cash transfers", parent=make_topic("Social protection"))


@pytest.fixture
def experts(cash: Topic) -> tuple[User, User, Community]:
    community = make_community("Social Protection Network", visibility=Visibility.PUBLIC)
    seasoned = make_staff("seasoned", name="Amina Seasoned", languages=["fr"], region="africa")
    newcomer = make_staff("newcomer", name="Nils Newcomer", region="europe_central_asia")
    for _number in range(4):
        answer(seasoned, community, cash, helpful=True)
    make_claim(newcomer, cash, level=1)
    ledger.refresh()
    return seasoned, newcomer, community


def test_a_member_finds_who_knows_with_reasons(experts: tuple[User, User, Community]) -> None:
    seasoned, newcomer, _community = experts
    page = client_for(make_staff("asker")).get(
        reverse("people:who-knows"), {"q": "who knows about cash transfers"}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert text.index("Amina Seasoned") < text.index("Nils Newcomer")
    assert "answered 4 similar queries; replies marked helpful 4 times" in text
    assert "knows about Cash transfers" in text


def test_filters_narrow_and_the_parent_topic_finds_sub_topic_experts(
    experts: tuple[User, User, Community],
) -> None:
    client = client_for(make_staff("asker"))
    url = reverse("people:who-knows")
    text = client.get(url, {"topic": "social-protection", "language": "fr"}).content.decode()
    assert "Amina Seasoned" in text and "Nils Newcomer" not in text
    text = client.get(url, {"q": "cash", "region": "europe_central_asia"}).content.decode()
    assert "Nils Newcomer" in text and "Amina Seasoned" not in text


def test_partners_do_not_see_hidden_staff(experts: tuple[User, User, Community]) -> None:
    seasoned, _newcomer, _community = experts
    Profile.objects.create(user=seasoned, visible_to_partners=False)
    partner = make_partner("partner")
    text = client_for(partner).get(reverse("people:who-knows"), {"q": "cash"}).content.decode()
    assert "Amina Seasoned" not in text
    assert "Nils Newcomer" in text
    api = client_for(partner).get("/api/v1/expertise/people", {"q": "cash"}).json()
    assert [p["username"] for p in api["people"]] == ["newcomer"]


def test_the_profile_shows_what_contributions_show(
    experts: tuple[User, User, Community],
) -> None:
    seasoned, _newcomer, _community = experts
    text = client_for(make_staff()).get(reverse("people:profile", args=["seasoned"]))
    assert "Cash transfers</a>: answered 4 queries, 4 marked helpful" in text.content.decode()


def test_bad_input_is_answered_clearly(experts: tuple[User, User, Community]) -> None:
    client = client_for(make_staff("asker"))
    url = reverse("people:who-knows")
    for query in ({"q": ""}, {"q": "x" * 10_000}, {"q": "cash", "language": "xx"}):
        page = client.get(url, query)
        assert page.status_code == 200
        assert "There is a problem" in page.content.decode()
    long = client.get(url, {"q": "x" * 10_000}).content.decode()
    assert "at most 500 characters" in long
    nothing = client.get(url, {"q": "quantum chromodynamics"}).content.decode()
    assert "No topic matches these words." in nothing

    api = "/api/v1/expertise/people"
    cases: list[tuple[dict[str, str], str]] = [
        ({}, "q"),
        ({"q": "cash", "topic": "no-such-topic"}, "topic"),
        ({"q": "cash", "language": "klingon"}, "language"),
        ({"q": "cash", "region": "mars"}, "region"),
        ({"q": "x" * 10_000}, "q"),
    ]
    for query, field in cases:
        response = client.get(api, query)
        assert response.status_code == 422, query
        assert response.json()["errors"][0]["loc"] == ["query", field]
    ok = client.get(api, {"topic": "cash-transfers", "limit": "1"}).json()
    assert ok["topics"] == [{"slug": "cash-transfers", "name": "Cash transfers"}]
    assert [p["username"] for p in ok["people"]] == ["seasoned"]
    assert ok["people"][0]["evidence"] == {"replied": 4, "helpful": 4}


def test_knowledge_managers_see_gaps_with_figures(cash: Topic) -> None:
    community = make_community("Water Network", visibility=Visibility.PUBLIC)
    water = make_topic("Water pricing")
    now = timezone.now()
    for _number in range(3):
        make_exchange(community, topics=[water])  # nobody answers
    helped = make_exchange(
        community,
        topics=[cash],
        first_reply_at=now,
        created_at=now - datetime.timedelta(hours=6),
        close_reason=CloseReason.CONSOLIDATED,
    )
    make_reply(helped, make_staff(), helpful_count=1)
    make_exchange(community, topics=[cash])
    manager = make_staff("manager")
    add_member(community, manager, Role.KNOWLEDGE_MANAGER)

    page = client_for(manager).get(reverse("people:expertise-gaps"))
    assert page.status_code == 200
    text = page.content.decode()
    assert text.index("Water pricing") < text.index("Cash transfers")
    gaps = client_for(manager).get("/api/v1/expertise/gaps").json()
    assert gaps[0]["topic"]["slug"] == "water-pricing"
    assert (gaps[0]["queries"], gaps[0]["unanswered_well"]) == (3, 3)
    assert gaps[0]["hours_to_first_reply"] is None
    assert (gaps[1]["queries"], gaps[1]["helpful"], gaps[1]["consolidated"]) == (2, 1, 1)
    assert gaps[1]["hours_to_first_reply"] == 6.0
    for days in (90, 365, 1095):
        window = client_for(manager).get(f"/api/v1/expertise/gaps?days={days}")
        assert window.status_code == 200
    odd = client_for(manager).get("/api/v1/expertise/gaps?days=30")
    assert odd.status_code == 422 and odd.json()["errors"][0]["loc"] == ["query", "days"]

    member = make_staff("member")
    assert client_for(member).get(reverse("people:expertise-gaps")).status_code == 403
    assert client_for(member).get("/api/v1/expertise/gaps").status_code == 403


def test_the_record_is_in_the_personal_data_and_leaves_with_an_erasure(
    experts: tuple[User, User, Community],
) -> None:
    from solex.expertise.models import ExpertiseSummary
    from solex.people import actions

    seasoned, _newcomer, _community = experts
    data = actions.export_personal_data(seasoned, actor=seasoned)
    assert {(row["topic"], row["kind"], row["count"]) for row in data["expertise_evidence"]} == {
        ("Cash transfers", "replied", 4),
        ("Cash transfers", "helpful", 4),
    }
    admin = make_staff("root", is_superuser=True, is_staff=True)
    actions.erase_person(seasoned, actor=admin)
    assert not ExpertiseSummary.objects.filter(person=seasoned).exists()
    text = client_for(make_staff()).get(reverse("people:who-knows"), {"q": "cash"})
    assert "answered 4 similar queries" not in text.content.decode()
