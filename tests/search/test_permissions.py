"""Permission-aware by construction: results, counts and snippets never show what the rule hides.

The same words appear in a public community, an organisation-only one, a safe space,
a direct-connect request and a hidden reply; each person must find exactly what they
may read, in the page, the count, the snippets and the API.
"""

from __future__ import annotations

import pytest
from django.test import Client

from solex.accounts.models import User
from solex.accounts.testing import make_partner, make_staff
from solex.communities.models import Role
from solex.communities.testing import add_member, make_community
from solex.exchanges.testing import make_exchange, make_reply
from solex.knowledge.models import KnowledgeItem
from solex.people.testing import make_topic
from solex.search import actions
from solex.search.queries import SearchParams, search

pytestmark = pytest.mark.django_db

WORD = "hydroponics"


@pytest.fixture
def world() -> dict[str, User]:
    people = {
        "partner": make_partner("partner"),
        "staff": make_staff("staff"),
        "insider": make_staff("insider"),
        "asker": make_staff("asker"),
        "facilitator": make_staff("facilitator"),
        "admin": make_staff("admin", is_superuser=True),
    }
    topic = make_topic("Urban farming")
    public = make_community("Public garden", visibility="public", slug="public-garden")
    internal = make_community("Staff greenhouse", visibility="organisation", slug="greenhouse")
    safe = make_community("Secret orchard", visibility="members", slug="secret-orchard")
    for community in (public, internal, safe):
        community.topics.add(topic)
        add_member(community, people["asker"])
    add_member(safe, people["insider"])
    add_member(public, people["facilitator"], Role.FACILITATOR)
    make_exchange(public, author=people["asker"], title=f"Public {WORD} question", topics=[topic])
    make_exchange(
        internal, author=people["asker"], title=f"Internal {WORD} question", topics=[topic]
    )
    make_exchange(safe, author=people["asker"], title=f"Safe-space {WORD} question", topics=[topic])
    KnowledgeItem.objects.create(
        kind=KnowledgeItem.Kind.LESSON_LEARNED,
        title=f"Safe-space {WORD} lesson",
        summary=f"What we learned about {WORD}.",
        community=safe,
    )
    make_exchange(
        public,
        author=people["asker"],
        title="Private request",
        body=f"Confidential {WORD} matter",
        is_direct_connect=True,
    )
    answered = make_exchange(public, author=people["facilitator"], title="Garden beds")
    make_reply(answered, people["facilitator"], body=f"Moderated {WORD} rant", is_hidden=True)
    actions.rebuild()
    return people


def found(user: User, q: str = WORD) -> tuple[set[str], int, str]:
    results = search(user, SearchParams(q=q))
    snippets = " ".join(str(r.snippet) + str(r.title) for r in results.results)
    return {r.document.title for r in results.results}, results.count, snippets


def test_an_external_partner_sees_only_public_items(world: dict[str, User]) -> None:
    titles, count, snippets = found(world["partner"])
    assert titles == {f"Public {WORD} question"}
    assert count == 1
    assert "Confidential" not in snippets and "Moderated" not in snippets
    # Not even through the words of a hidden title, the API or the pages.
    assert found(world["partner"], "safe space lesson")[1] == 0
    client = Client()
    client.force_login(world["partner"])
    api = client.get("/api/v1/search", {"q": WORD}).json()
    assert api["count"] == 1
    assert [r["title"] for r in api["results"]] == [f"Public {WORD} question"]
    page = client.get("/search/", {"q": WORD}).content.decode()
    for hidden in ("Internal", "Safe-space", "Secret orchard", "Staff greenhouse", "Confidential"):
        assert hidden not in page
    assert "1 result" in page
    topic_page = client.get("/search/topics/urban-farming/").content.decode()
    assert "Public garden" in topic_page
    assert "Secret orchard" not in topic_page and "Staff greenhouse" not in topic_page


def test_anonymous_visitors_see_only_public_items(world: dict[str, User]) -> None:
    page = Client().get("/search/", {"q": WORD}).content.decode()
    assert f"Public <mark>{WORD}</mark> question" in page
    assert "Internal" not in page and "Safe-space" not in page


def test_internal_staff_see_organisation_items_but_not_safe_spaces(world: dict[str, User]) -> None:
    titles, count, _snippets = found(world["staff"])
    assert titles == {f"Public {WORD} question", f"Internal {WORD} question"}
    assert count == 2


def test_safe_space_members_find_their_items(world: dict[str, User]) -> None:
    titles, _count, _snippets = found(world["insider"])
    assert f"Safe-space {WORD} question" in titles
    assert f"Safe-space {WORD} lesson" in titles


def test_direct_connect_only_for_its_author_and_moderators(world: dict[str, User]) -> None:
    assert "Private request" in found(world["asker"])[0]
    assert "Private request" in found(world["facilitator"])[0]
    assert "Private request" in found(world["admin"])[0]
    assert "Private request" not in found(world["staff"])[0]
    assert "Private request" not in found(world["insider"])[0]


def test_hidden_replies_are_never_found(world: dict[str, User]) -> None:
    for person in world.values():
        assert "Moderated" not in found(person)[2]
        assert found(person, "moderated rant")[1] == 0
