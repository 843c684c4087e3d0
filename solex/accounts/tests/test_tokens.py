from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from solex.accounts import actions
from solex.accounts.models import PersonalAccessToken, User, hash_token

pytestmark = pytest.mark.django_db


def test_new_token_is_shown_once_and_only_its_hash_is_stored(client: Client, staff: User) -> None:
    client.force_login(staff)
    response = client.post(
        "/accounts/profile/tokens/", {"name": "Weekly report", "expires_in_days": "30"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    match = re.search(r'id="new-token-value"[^>]*value="(solex_[^"]+)"', response.text)
    assert match, response.text
    raw = match.group(1)

    token = PersonalAccessToken.objects.get(user=staff)
    assert token.name == "Weekly report"
    assert token.token_hash == hash_token(raw)
    assert token.prefix == raw[:12]
    assert token.expires_at is not None
    assert raw not in {token.token_hash, token.prefix}

    later = client.get("/accounts/profile/tokens/").text
    assert raw not in later
    assert "Weekly report" in later
    assert token.prefix in later


def test_token_without_expiry_never_expires(staff: User) -> None:
    token, raw = actions.create_access_token(staff, name="Backup script")
    assert token.expires_at is None
    assert token.is_active
    assert PersonalAccessToken.objects.get(token_hash=hash_token(raw)) == token


def test_revoking_a_token_stops_it_and_removes_it_from_the_list(
    client: Client, staff: User
) -> None:
    token, _raw = actions.create_access_token(staff, name="Old script")
    client.force_login(staff)
    response = client.post(f"/accounts/profile/tokens/{token.pk}/revoke/", follow=True)
    assert "The token “Old script” is revoked." in response.text
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert not token.is_active
    assert "Old script</td>" not in response.text


def test_revoking_needs_post(client: Client, staff: User) -> None:
    token, _raw = actions.create_access_token(staff, name="Script")
    client.force_login(staff)
    assert client.get(f"/accounts/profile/tokens/{token.pk}/revoke/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_nobody_can_revoke_someone_elses_token(client: Client, staff: User, partner: User) -> None:
    token, _raw = actions.create_access_token(staff, name="Amina's script")
    client.force_login(partner)
    assert client.post(f"/accounts/profile/tokens/{token.pk}/revoke/").status_code == 404
    with pytest.raises(PermissionDenied):
        actions.revoke_access_token(token, actor=partner)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_list_shows_only_your_own_tokens(client: Client, staff: User, partner: User) -> None:
    actions.create_access_token(partner, name="Pedro's script")
    client.force_login(staff)
    page = client.get("/accounts/profile/tokens/").text
    assert "Pedro&#x27;s script" not in page
    assert "You have no tokens." in page
