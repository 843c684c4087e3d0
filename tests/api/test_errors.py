"""Every error is JSON saying what to fix, whatever went wrong."""

from __future__ import annotations

from django.test import Client

from solex.accounts.models import User


def test_an_unknown_api_path_answers_json_404(db: None) -> None:
    response = Client().get("/api/v1/exchanges-that-do-not-exist")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "/api/v1/docs" in response.json()["detail"]


def test_an_unknown_path_answers_404_for_unsafe_methods_too(db: None) -> None:
    response = Client(enforce_csrf_checks=True).post("/api/v1/nothing/here")

    assert response.status_code == 404
    assert response.json()["errors"] == []


def test_the_api_root_answers_json_404(db: None) -> None:
    response = Client().get("/api/v1/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_an_unsupported_method_answers_json_405_with_allow(db: None) -> None:
    response = Client().put("/api/v1/organizations")

    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json()["detail"] == "PUT is not supported here; use one of: GET."


def test_a_body_that_is_not_json_answers_400(token_client: Client) -> None:
    response = token_client.patch("/api/v1/me", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["loc"] == ["body"]


def test_a_body_of_the_wrong_type_answers_422(token_client: Client) -> None:
    response = token_client.patch("/api/v1/me", "[1, 2]", content_type="application/json")

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][0] == "body"


def test_a_path_id_beyond_what_the_database_stores_answers_422(db: None) -> None:
    response = Client().get(f"/api/v1/organizations/{2**64}")

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["path", "organization_id"]


def test_a_missing_object_answers_json_404(staff: User) -> None:
    response = Client().get("/api/v1/organizations/999999")

    assert response.status_code == 404
    assert response.json() == {
        "detail": "Not found: nothing here matches the identifier in the path.",
        "errors": [],
    }


def test_a_nul_character_in_a_filter_answers_422_not_a_database_error(db: None) -> None:
    response = Client().get("/api/v1/communities/", {"q": "water\x00"})

    assert response.status_code == 422
    assert "NUL" in response.json()["detail"]
    assert response.json()["errors"][0]["loc"][-1] == "q"


def test_a_nul_character_in_a_body_answers_422_and_changes_nothing(
    token_client: Client, staff: User
) -> None:
    response = token_client.patch(
        "/api/v1/me", '{"title": "Adviser\\u0000"}', content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "title"
    staff.refresh_from_db()
    assert "Adviser" not in staff.title
