"""The discussions API: the whole workflow, and bad input answered in JSON, never 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.communities.models import Community, Role
from solex.communities.testing import add_member, make_community
from solex.discussions.models import SynthesisDraft
from solex.knowledge.models import KnowledgeItem

pytestmark = pytest.mark.django_db


def _call(user: User, method: str, path: str, data: dict[str, Any] | None = None) -> Any:
    client = Client()
    client.force_login(user)
    return client.generic(
        method,
        f"/api/v1/discussions{path}",
        json.dumps(data or {}),
        content_type="application/json",
    )


@pytest.fixture
def community() -> Community:
    return make_community("Climate Adaptation Network", slug="cap-net", visibility="public")


def test_a_discussion_through_the_api(community: Community) -> None:
    lead, member = make_staff("lead"), make_staff("member")
    add_member(community, lead, Role.FACILITATOR)
    add_member(community, member)
    opened = _call(
        lead,
        "POST",
        "/",
        {
            "community": "cap-net",
            "title": "Financing adaptation locally",
            "purpose": "What works?",
            "questions": ["Which funds reached districts?"],
            "closes_at": "2099-01-01T00:00:00Z",
            "invited": ["member"],
        },
    )
    assert opened.status_code == 201, opened.content
    discussion = opened.json()
    assert discussion["phase"] == "open"
    assert discussion["questions"] == [{"number": 1, "text": "Which funds reached districts?"}]
    path = f"/{discussion['id']}"
    posted = _call(
        member, "POST", f"{path}/posts", {"body": "District funds worked.", "question": 1}
    )
    assert posted.status_code == 201 and posted.json()["question"] == 1
    draft = _call(lead, "GET", f"{path}/summary-draft").json()
    assert "1 post by 1 participant" in draft["body"]
    closed = _call(lead, "POST", f"{path}/close")
    assert closed.status_code == 200
    version = closed.json()["version"]

    # Posting to a closed discussion: a clear 409, nothing stored.
    late = _call(member, "POST", f"{path}/posts", {"body": "Too late"})
    assert late.status_code == 409
    assert "closed" in late.json()["detail"]

    # Two facilitators: the second save, made on the old version, is refused.
    saved = _call(
        lead,
        "PUT",
        f"{path}/synthesis",
        {"version": version, "title": "T", "summary": "S", "body": "Mine"},
    )
    assert saved.status_code == 200
    clash = _call(
        lead,
        "PUT",
        f"{path}/synthesis",
        {"version": version, "title": "T", "summary": "S", "body": "Theirs"},
    )
    assert clash.status_code == 409 and "Nothing was overwritten" in clash.json()["detail"]
    assert SynthesisDraft.objects.get().body == "Mine"

    empty = _call(
        lead,
        "POST",
        f"{path}/synthesis/publish",
        {"version": version + 1, "title": "T", "summary": "S", "body": ""},
    )
    assert empty.status_code == 409 and empty.json()["errors"][0]["loc"] == ["body", "body"]
    published = _call(
        lead,
        "POST",
        f"{path}/synthesis/publish",
        {"version": version + 1, "title": "T", "summary": "S", "body": "Mine"},
    )
    assert published.status_code == 201
    assert KnowledgeItem.objects.get().kind == KnowledgeItem.Kind.DISCUSSION_SYNTHESIS


def test_bad_dates_and_strangers_get_json_errors(community: Community) -> None:
    lead = make_staff("lead")
    add_member(community, lead, Role.FACILITATOR)
    base = {
        "community": "cap-net",
        "title": "Financing adaptation",
        "purpose": "p",
        "questions": ["q?"],
    }
    past = _call(lead, "POST", "/", {**base, "closes_at": "2001-01-01T00:00:00Z"})
    assert past.status_code == 409 and "past" in past.json()["detail"]
    reversed_window = _call(
        lead,
        "POST",
        "/",
        {**base, "opens_at": "2099-02-01T00:00:00Z", "closes_at": "2099-01-01T00:00:00Z"},
    )
    assert (
        reversed_window.status_code == 409 and "after it opens" in reversed_window.json()["detail"]
    )
    stranger = _call(
        lead, "POST", "/", {**base, "closes_at": "2099-01-01T00:00:00Z", "invited": ["ghost"]}
    )
    assert stranger.status_code == 409 and "ghost" in stranger.json()["detail"]
    malformed = _call(lead, "POST", "/", {**base, "closes_at": "soon"})
    assert malformed.status_code == 422
