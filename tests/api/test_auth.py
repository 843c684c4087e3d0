"""Who the API thinks is calling: tokens, the browser session, or nobody."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from solex.accounts.actions import create_access_token, revoke_access_token
from solex.accounts.models import PersonalAccessToken, User
from solex.accounts.testing import TEST_PASSWORD


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_a_token_authenticates_its_owner(staff: User, staff_token: str) -> None:
    response = Client().get("/api/v1/me", headers=bearer(staff_token))

    assert response.status_code == 200
    assert response.json()["username"] == "amina"


def test_using_a_token_records_when_it_was_last_used(staff: User) -> None:
    token, raw = create_access_token(staff, name="script")

    Client().get("/api/v1/me", headers=bearer(raw))

    token.refresh_from_db()
    assert token.last_used_at is not None
    assert timezone.now() - token.last_used_at < timedelta(seconds=10)


def test_last_used_is_written_at_most_once_a_minute(staff: User) -> None:
    token, raw = create_access_token(staff, name="script")
    recent = timezone.now() - timedelta(seconds=30)
    PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=recent)

    Client().get("/api/v1/me", headers=bearer(raw))

    token.refresh_from_db()
    assert token.last_used_at == recent


def test_a_revoked_token_is_refused(staff: User) -> None:
    token, raw = create_access_token(staff, name="script")
    revoke_access_token(token, actor=staff)

    response = Client().get("/api/v1/me", headers=bearer(raw))

    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_an_expired_token_is_refused(staff: User) -> None:
    token, raw = create_access_token(staff, name="script")
    PersonalAccessToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    response = Client().get("/api/v1/me", headers=bearer(raw))

    assert response.status_code == 401


def test_the_token_of_a_deactivated_account_is_refused(staff: User, staff_token: str) -> None:
    staff.is_active = False
    staff.save(update_fields=["is_active"])

    response = Client().get("/api/v1/me", headers=bearer(staff_token))

    assert response.status_code == 401


def test_an_invalid_token_is_refused_even_where_anonymous_callers_are_welcome(db: None) -> None:
    response = Client().get("/api/v1/organizations", headers=bearer("solex_not-a-real-token"))

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_authorization_header_that_is_not_bearer_is_refused(staff: User) -> None:
    response = Client().get("/api/v1/me", headers={"Authorization": "Basic YW1pbmE6cGFzcw=="})

    assert response.status_code == 401
    assert response.json()["detail"] == "The Authorization header must be 'Bearer <token>'."


def test_anonymous_callers_must_authenticate_for_their_profile(db: None) -> None:
    response = Client().get("/api/v1/me")

    assert response.status_code == 401
    body = response.json()
    assert "Authorization: Bearer" in body["detail"]
    assert body["errors"] == []


def test_the_browser_session_authenticates_safe_requests(staff: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.login(username="amina", password=TEST_PASSWORD)

    response = client.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["name"] == "Amina Diallo"


def test_a_session_request_that_changes_data_needs_the_csrf_token(staff: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.login(username="amina", password=TEST_PASSWORD)

    response = client.patch("/api/v1/me", {"title": "Forged"}, content_type="application/json")

    assert response.status_code == 403
    assert "X-CSRFToken" in response.json()["detail"]
    staff.refresh_from_db()
    assert staff.title == ""


def test_a_session_request_with_the_csrf_token_may_change_data(staff: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.login(username="amina", password=TEST_PASSWORD)
    client.get("/api/v1/docs")  # any page that renders a form sets the CSRF cookie
    csrf_token = client.cookies["csrftoken"].value

    response = client.patch(
        "/api/v1/me",
        {"title": "Knowledge manager"},
        content_type="application/json",
        headers={"X-CSRFToken": csrf_token},
    )

    assert response.status_code == 200
    staff.refresh_from_db()
    assert staff.title == "Knowledge manager"
