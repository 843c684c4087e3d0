from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from solex.accounts.models import User
from solex.accounts.testing import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_log_in_with_email_in_any_case(client: Client, staff: User) -> None:
    response = client.post(
        "/accounts/login/", {"username": "AMINA@UNDP.ORG", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_log_in_with_username_in_any_case(client: Client, staff: User) -> None:
    client.post("/accounts/login/", {"username": "Amina", "password": TEST_PASSWORD})
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_wrong_password_is_refused_and_keeps_the_username(client: Client, staff: User) -> None:
    response = client.post("/accounts/login/", {"username": "amina", "password": "wrong"})
    assert response.status_code == 200
    assert "do not match an account" in response.text
    assert 'value="amina"' in response.text
    assert not is_logged_in(client)


def test_log_in_goes_to_the_page_asked_for_but_never_off_site(client: Client, staff: User) -> None:
    credentials = {"username": "amina", "password": TEST_PASSWORD}
    response = client.post("/accounts/login/", {**credentials, "next": "/accounts/profile/"})
    assert response["Location"] == "/accounts/profile/"
    client.post("/accounts/logout/")
    response = client.post("/accounts/login/", {**credentials, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_log_in_switches_to_the_persons_interface_language(client: Client) -> None:
    make_user("fatima", preferred_language="ar")
    response = client.post("/accounts/login/", {"username": "fatima", "password": TEST_PASSWORD})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    assert 'dir="rtl"' in client.get("/").text


def test_inactive_account_cannot_log_in(client: Client) -> None:
    make_user("gone", is_active=False)
    client.post("/accounts/login/", {"username": "gone", "password": TEST_PASSWORD})
    assert not is_logged_in(client)


def test_log_out_requires_post(client: Client, staff: User) -> None:
    client.force_login(staff)
    assert client.get("/accounts/logout/").status_code == 405
    assert is_logged_in(client)

    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not is_logged_in(client)


def test_header_offers_sign_up_to_visitors_and_profile_to_members(
    client: Client, staff: User
) -> None:
    assert 'href="/accounts/signup/"' in client.get("/").text
    client.force_login(staff)
    page = client.get("/").text
    assert 'href="/accounts/profile/"' in page
    assert 'href="/accounts/signup/"' not in page
