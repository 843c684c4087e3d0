"""The knowledge API: typed shapes, the audience applied, versions, votes and reviews."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from solex.accounts.models import User
from solex.accounts.testing import make_partner, make_staff
from solex.communities.models import Community, Role, Visibility
from solex.communities.testing import add_member, make_community
from solex.knowledge.models import Audience, ItemVersion, KnowledgeItem
from solex.knowledge.testing import make_item
from solex.taxonomy.models import Topic

pytestmark = pytest.mark.django_db

API = "/api/v1/knowledge/"


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def send(client: Client, method: str, path: str, data: Any = None) -> Any:
    return client.generic(method, path, json.dumps(data or {}), content_type="application/json")


@pytest.fixture
def member() -> User:
    return make_staff("mara")


@pytest.fixture
def community(member: User) -> Community:
    community = make_community("Health", slug="health", visibility=Visibility.PUBLIC)
    add_member(community, member)
    return community


FIELDS = {
    "problem": "Herders were away from fixed clinics for months.",
    "approach": "Clinics travelled with the seasonal migration.",
    "results": "Coverage rose from 35% to 72%.",
    "conditions": "Trust of the clan elders.",
}
PRACTICE: dict[str, Any] = {
    "community": "health",
    "kind": "good_practice",
    "title": "Mobile clinics for nomadic herders",
    "summary": "Clinics that move with the herds doubled vaccination coverage.",
    "fields": FIELDS,
    "countries": ["ET"],
    "audience": "public",
}


def test_contribute_read_and_list(member: User, community: Community) -> None:
    Topic.objects.create(name="Health", slug="health-topic")
    client = client_for(member)
    response = send(client, "POST", API, {**PRACTICE, "topics": ["health-topic"]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["fields"]["results"] == "Coverage rose from 35% to 72%."
    assert body["owner"]["username"] == "mara" and body["topics"] == ["health-topic"]
    read = client_for(None).get(f"{API}{body['id']}")
    assert read.status_code == 200 and read.json()["audience"] == "public"
    listed = client_for(None).get(API, {"audience": "public", "country": "ET"}).json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]
    assert client_for(None).get(API, {"kind": "nonsense"}).json()["count"] == 0


def test_a_missing_field_is_a_422_naming_it(member: User, community: Community) -> None:
    data = {**PRACTICE, "fields": {**FIELDS, "conditions": ""}}
    response = send(client_for(member), "POST", API, data)
    assert response.status_code == 422
    assert ["body", "conditions"] in [error["loc"] for error in response.json()["errors"]]
    response = send(client_for(member), "POST", API, {**PRACTICE, "kind": "consolidated_reply"})
    assert response.status_code == 422
    response = send(client_for(member), "POST", API, {**PRACTICE, "topics": ["nope"]})
    assert response.status_code == 422
    assert KnowledgeItem.objects.count() == 0


def test_an_update_is_a_new_version(member: User, community: Community) -> None:
    client = client_for(member)
    item_id = send(client, "POST", API, PRACTICE).json()["id"]
    response = send(
        client, "PATCH", f"{API}{item_id}", {"fields": {"results": "Coverage doubled."}}
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert response.json()["fields"]["approach"] == "Clinics travelled with the seasonal migration."
    versions = client.get(f"{API}{item_id}/versions").json()
    assert [v["number"] for v in versions] == [1]
    assert versions[0]["fields"]["results"] == "Coverage rose from 35% to 72%."
    assert ItemVersion.objects.count() == 1


def test_organisation_items_never_reach_partners(community: Community) -> None:
    internal = make_item(community, title="Internal", audience=Audience.ORGANISATION)
    make_item(community, title="Open", audience=Audience.PUBLIC)
    partner = make_partner("pat")
    titles = [i["title"] for i in client_for(partner).get(API).json()["items"]]
    assert titles == ["Open"]
    assert client_for(partner).get(f"{API}{internal.pk}").status_code == 404
    assert client_for(None).get(f"{API}{internal.pk}").status_code == 404
    staff = make_staff("stan")
    assert client_for(staff).get(f"{API}{internal.pk}").status_code == 200


def test_one_useful_vote_per_person(member: User, community: Community) -> None:
    item = make_item(community)
    client = client_for(member)
    assert send(client, "PUT", f"{API}{item.pk}/useful", {"useful": True}).json() == {
        "useful_yes": 1,
        "useful_no": 0,
        "mine": True,
    }
    body = send(client, "PUT", f"{API}{item.pk}/useful", {"useful": False}).json()
    assert (body["useful_yes"], body["useful_no"]) == (0, 1)
    assert send(client, "PUT", f"{API}{item.pk}/useful", {"useful": "maybe"}).status_code == 422


def test_review_queue_confirm_and_archive(member: User, community: Community) -> None:
    manager = make_staff("kim")
    add_member(community, manager, Role.KNOWLEDGE_MANAGER)
    item = make_item(community, review_due=timezone.localdate() - datetime.timedelta(days=2))
    client = client_for(manager)
    queue = client.get(f"{API}review-queue").json()
    assert [i["id"] for i in queue["items"]] == [item.pk]
    assert client_for(member).get(f"{API}review-queue").status_code == 403
    past = {"action": "confirm", "next_review": "2001-01-01"}
    assert send(client, "POST", f"{API}{item.pk}/review", past).status_code == 422
    confirmed = send(client, "POST", f"{API}{item.pk}/review", {"action": "confirm"})
    assert confirmed.status_code == 200 and confirmed.json()["last_reviewed_at"]
    assert client.get(f"{API}review-queue").json()["count"] == 0
    archived = send(client, "POST", f"{API}{item.pk}/review", {"action": "archive"})
    assert archived.json()["status"] == "archived"
    again = send(client, "POST", f"{API}{item.pk}/review", {"action": "archive"})
    assert again.status_code == 409 and again.json()["detail"]
    assert (
        send(
            client_for(member), "POST", f"{API}{item.pk}/review", {"action": "confirm"}
        ).status_code
        == 403
    )


def test_bad_input_is_a_clear_4xx(member: User, community: Community) -> None:
    client = client_for(member)
    assert client.get(API, {"q": "x" * 10_000}).status_code == 422
    assert client.get(API, {"q": '"unbalanced NEAR *'}).status_code == 200
    assert client.get(f"{API}99999999").status_code == 404
    assert send(client, "POST", API, {"kind": "good_practice"}).status_code == 422
    response = send(client, "POST", API, {**PRACTICE, "community": "no-such-community"})
    assert response.status_code == 404 and response.json()["detail"]
