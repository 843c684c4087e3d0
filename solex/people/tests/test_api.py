"""The people API: the directory with reasons, profiles, expertise and endorsements."""

from __future__ import annotations

from django.test import Client

from solex.accounts.actions import create_access_token
from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.communities.testing import add_member, make_community
from solex.people.models import Endorsement, ExpertiseClaim, LanguageSkill
from solex.people.testing import add_language, make_claim, make_topic


def as_user(user: User) -> Client:
    _token, raw = create_access_token(user, name="test script")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_directory_search_is_paginated_and_says_why(staff: User, colleague: User) -> None:
    water = make_topic("Water")
    make_claim(colleague, water, endorsed_by=(staff,))
    add_language(colleague, "ar", "fluent")
    for number in range(3):
        make_claim(make_staff(f"x{number}", name=f"Xavier {number}"), water, level=1)

    response = as_user(staff).get("/api/v1/people/", {"topic": "water", "language": "ar"})
    paged = as_user(staff).get("/api/v1/people/", {"topic": "water", "limit": "2", "offset": "2"})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["username"] == "bashir"
    assert body["items"][0]["reasons"] == [
        "Expert in Water (declared; endorsed by 1 colleague)",
        "Speaks Arabic (fluent)",
    ]
    assert paged.json()["count"] == 4
    assert [item["username"] for item in paged.json()["items"]] == ["x1", "x2"]


def test_directory_needs_a_caller_and_known_filters(staff: User) -> None:
    assert Client().get("/api/v1/people/").status_code == 401
    unknown = as_user(staff).get("/api/v1/people/", {"topic": "no-such-topic"})
    assert unknown.status_code == 200
    assert unknown.json()["count"] == 0
    assert as_user(staff).get("/api/v1/people/", {"country": "Kenya"}).status_code == 422


def test_profile_detail_lists_only_visible_communities(
    staff: User, partner: User, other_partner: User
) -> None:
    make_claim(staff, make_topic("Water"))
    add_member(make_community("Open Network", visibility="public"), staff)
    add_member(make_community("Safe Space", visibility="members"), staff)

    response = as_user(partner).get("/api/v1/people/amina")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Amina Diallo"
    assert [community["name"] for community in body["communities"]] == ["Open Network"]
    assert body["expertise"][0]["description"] == "Expert in Water (declared)"
    assert as_user(partner).get("/api/v1/people/olga").status_code == 404


def test_declare_update_and_withdraw_own_expertise(staff: User, colleague: User) -> None:
    make_topic("Water")
    client = as_user(staff)

    created = client.post(
        "/api/v1/people/amina/expertise",
        {"topic": "water", "level": 2},
        content_type="application/json",
    )
    refused = as_user(colleague).post(
        "/api/v1/people/amina/expertise",
        {"topic": "water", "level": 3},
        content_type="application/json",
    )
    claim_id = created.json()["id"]
    deleted = client.delete(f"/api/v1/people/amina/expertise/{claim_id}")

    assert created.status_code == 201
    assert created.json()["level"] == 2
    assert refused.status_code == 403
    assert deleted.status_code == 204
    assert not ExpertiseClaim.objects.exists()


def test_endorse_once_not_self_and_withdraw(staff: User, colleague: User) -> None:
    claim = make_claim(staff, make_topic("Water"))
    url = f"/api/v1/people/amina/expertise/{claim.pk}/endorsements"

    first = as_user(colleague).post(url)
    again = as_user(colleague).post(url)
    own = as_user(staff).post(url)

    assert first.status_code == 201
    assert first.json()["endorsement_count"] == 1
    assert again.status_code == 409
    assert again.json()["detail"] == "You have already endorsed this expertise."
    assert own.status_code == 403
    assert Endorsement.objects.filter(claim=claim).count() == 1

    assert as_user(colleague).delete(f"{url}/mine").status_code == 204
    assert not Endorsement.objects.exists()


def test_update_profile_details_replaces_languages(staff: User, colleague: User) -> None:
    response = as_user(staff).patch(
        "/api/v1/people/amina/profile",
        {"bio": " Water. ", "languages": [{"code": "fr", "level": "native"}]},
        content_type="application/json",
    )
    refused = as_user(colleague).patch(
        "/api/v1/people/amina/profile", {"bio": "Hacked"}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["bio"] == "Water."
    assert response.json()["languages"] == [{"code": "fr", "name": "French", "level": "native"}]
    assert refused.status_code == 403
    assert list(LanguageSkill.objects.values_list("code", flat=True)) == ["fr"]


def test_personal_data_is_for_the_person_only(staff: User, colleague: User) -> None:
    assert (
        as_user(staff).get("/api/v1/people/amina/data").json()["account"]["email"]
        == "amina@undp.org"
    )
    assert as_user(colleague).get("/api/v1/people/amina/data").status_code == 403
