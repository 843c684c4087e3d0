"""Reading and changing your own profile through the API."""

from __future__ import annotations

from django.test import Client

from solex.accounts.models import User


def test_the_profile_shows_the_callers_organisation(token_client: Client) -> None:
    body = token_client.get("/api/v1/me").json()

    assert body["organization"]["acronym"] == "UNDP"
    assert body["is_internal"] is True
    assert body["country"] == "SN"


def test_a_profile_update_changes_only_the_fields_sent(staff: User, token_client: Client) -> None:
    response = token_client.patch(
        "/api/v1/me",
        {"title": "  Policy adviser ", "country": "ke", "languages": ["fr", "EN", "fr"]},
        content_type="application/json",
    )

    assert response.status_code == 200
    staff.refresh_from_db()
    assert (staff.title, staff.country, staff.languages) == ("Policy adviser", "KE", ["fr", "en"])
    assert staff.name == "Amina Diallo"
    assert staff.region == "africa"


def test_an_empty_string_clears_an_optional_field(staff: User, token_client: Client) -> None:
    response = token_client.patch(
        "/api/v1/me", {"country": "", "region": ""}, content_type="application/json"
    )

    assert response.status_code == 200
    staff.refresh_from_db()
    assert (staff.country, staff.region) == ("", "")


def test_a_bad_country_is_refused_with_the_field_named(staff: User, token_client: Client) -> None:
    response = token_client.patch(
        "/api/v1/me", {"country": "Kenya", "title": "Adviser"}, content_type="application/json"
    )

    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "The request is not valid; fix: country."
    assert body["errors"] == [
        {
            "loc": ["body", "country"],
            "msg": "Enter a two-letter ISO 3166 country code, such as KE, or an empty string.",
            "type": "country_code",
        }
    ]
    staff.refresh_from_db()
    assert (staff.country, staff.title) == ("SN", "")


def test_unknown_regions_languages_and_fields_are_refused(
    staff: User, token_client: Client
) -> None:
    response = token_client.patch(
        "/api/v1/me",
        {
            "region": "atlantis",
            "preferred_language": "tlh",
            "languages": ["not a code"],
            "email": "x@y.z",
        },
        content_type="application/json",
    )

    assert response.status_code == 422
    fields = {tuple(error["loc"][1:]) for error in response.json()["errors"]}
    assert fields >= {("region",), ("preferred_language",), ("languages", 0), ("email",)}
    staff.refresh_from_db()
    assert staff.email == "amina@undp.org"


def test_a_blank_name_is_refused(staff: User, token_client: Client) -> None:
    response = token_client.patch("/api/v1/me", {"name": "   "}, content_type="application/json")

    assert response.status_code == 422
    staff.refresh_from_db()
    assert staff.name == "Amina Diallo"


def test_null_is_not_a_way_to_clear_a_field(staff: User, token_client: Client) -> None:
    response = token_client.patch("/api/v1/me", {"title": None}, content_type="application/json")

    assert response.status_code == 422
