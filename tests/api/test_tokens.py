"""Listing and revoking your personal access tokens through the API."""

from __future__ import annotations

from django.test import Client

from solex.accounts.actions import create_access_token
from solex.accounts.models import PersonalAccessToken, User


def test_the_token_list_shows_only_the_callers_live_tokens(
    staff: User, partner: User, token_client: Client
) -> None:
    create_access_token(partner, name="someone else's")
    revoked, _raw = create_access_token(staff, name="old")
    PersonalAccessToken.objects.filter(pk=revoked.pk).update(revoked_at=revoked.created_at)

    body = token_client.get("/api/v1/me/tokens").json()

    assert body["count"] == 1
    assert [token["name"] for token in body["items"]] == ["weekly report script"]
    assert "token_hash" not in body["items"][0]


def test_revoking_a_token_stops_it_working(staff: User, token_client: Client) -> None:
    token, raw = create_access_token(staff, name="laptop")

    response = token_client.delete(f"/api/v1/me/tokens/{token.pk}")

    assert response.status_code == 204
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_another_persons_token_cannot_be_revoked(partner: User, token_client: Client) -> None:
    token, _raw = create_access_token(partner, name="theirs")

    response = token_client.delete(f"/api/v1/me/tokens/{token.pk}")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
