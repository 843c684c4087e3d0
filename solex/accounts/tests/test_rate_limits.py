from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from pytest_django.fixtures import Settings

from solex.accounts.limits import (
    EMAILS_PER_ADDRESS,
    EMAILS_PER_RECIPIENT,
    LOGIN_FAILURES_PER_ACCOUNT,
    LOGIN_FAILURES_PER_ADDRESS,
)
from solex.accounts.models import User
from solex.accounts.testing import TEST_PASSWORD, make_organization, make_user

pytestmark = pytest.mark.django_db

OFFICE = "203.0.113.7"


def log_in(client: Client, username: str, password: str, address: str = OFFICE) -> int:
    response = client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return response.status_code


def test_repeated_wrong_passwords_lock_the_account_with_a_message(
    client: Client, staff: User
) -> None:
    for _ in range(LOGIN_FAILURES_PER_ACCOUNT.limit):
        assert log_in(client, "amina", "wrong") == 200

    response = client.post(
        "/accounts/login/", {"username": "amina", "password": TEST_PASSWORD}, REMOTE_ADDR=OFFICE
    )
    assert response.status_code == 429
    assert re.search(
        r"Too many failed attempts to log in\. Please wait \d+ minutes?", response.text
    )
    assert 'value="amina"' in response.text
    assert "_auth_user_id" not in client.session


def test_account_lock_counts_email_and_username_attempts_together(
    client: Client, staff: User
) -> None:
    for attempt in range(LOGIN_FAILURES_PER_ACCOUNT.limit):
        log_in(
            client, "amina" if attempt % 2 else "AMINA@undp.org", "wrong", f"198.51.100.{attempt}"
        )
    assert log_in(client, "amina@undp.org", TEST_PASSWORD, "192.0.2.1") == 429


def test_a_colleagues_failures_do_not_lock_you_out(client: Client, staff: User) -> None:
    make_user("bob")
    for _ in range(LOGIN_FAILURES_PER_ACCOUNT.limit + 2):
        log_in(client, "bob", "wrong")
    assert log_in(client, "amina", TEST_PASSWORD) == 302


def test_many_failures_from_one_address_block_it_for_everyone(client: Client, staff: User) -> None:
    for attempt in range(LOGIN_FAILURES_PER_ADDRESS.limit):
        log_in(client, f"guess{attempt}", "wrong")

    assert log_in(client, "amina", TEST_PASSWORD) == 429
    assert "_auth_user_id" not in client.session
    # Elsewhere, Amina is not affected.
    assert log_in(client, "amina", TEST_PASSWORD, "192.0.2.1") == 302


def test_a_successful_log_in_forgets_earlier_typos(client: Client, staff: User) -> None:
    for _ in range(LOGIN_FAILURES_PER_ACCOUNT.limit - 1):
        log_in(client, "amina", "wrong")
    assert log_in(client, "amina", TEST_PASSWORD) == 302
    client.post("/accounts/logout/")
    for _ in range(LOGIN_FAILURES_PER_ACCOUNT.limit - 1):
        log_in(client, "amina", "wrong")
    assert log_in(client, "amina", TEST_PASSWORD) == 302


def test_password_reset_emails_are_limited_per_address(client: Client, staff: User) -> None:
    for _ in range(EMAILS_PER_RECIPIENT.limit):
        client.post("/accounts/password/reset/", {"email": staff.email})
    assert len(mail.outbox) == EMAILS_PER_RECIPIENT.limit

    response = client.post("/accounts/password/reset/", {"email": staff.email})
    assert response.status_code == 429
    assert re.search(r"wait \d+ minutes? before asking again", response.text)
    assert f'value="{staff.email}"' in response.text
    assert len(mail.outbox) == EMAILS_PER_RECIPIENT.limit


def test_password_reset_emails_are_limited_per_client_address(client: Client) -> None:
    for number in range(EMAILS_PER_ADDRESS.limit):
        client.post(
            "/accounts/password/reset/", {"email": f"x{number}@example.net"}, REMOTE_ADDR=OFFICE
        )
    response = client.post(
        "/accounts/password/reset/", {"email": "another@example.net"}, REMOTE_ADDR=OFFICE
    )
    assert response.status_code == 429
    assert 'value="another@example.net"' in response.text


def test_signup_emails_are_limited_per_address(client: Client) -> None:
    make_organization()
    for _ in range(EMAILS_PER_RECIPIENT.limit):
        client.post("/accounts/signup/", {"email": "wanjiru@undp.org"})
    response = client.post("/accounts/signup/", {"email": "wanjiru@undp.org"})
    assert response.status_code == 429
    assert re.search(r"wait \d+ minutes? before asking again", response.text)
    assert 'value="wanjiru@undp.org"' in response.text
    assert len(mail.outbox) == EMAILS_PER_RECIPIENT.limit


def test_signup_emails_are_limited_per_client_address(client: Client) -> None:
    make_organization()
    for number in range(EMAILS_PER_ADDRESS.limit):
        client.post("/accounts/signup/", {"email": f"person{number}@undp.org"}, REMOTE_ADDR=OFFICE)
    response = client.post("/accounts/signup/", {"email": "late@undp.org"}, REMOTE_ADDR=OFFICE)
    assert response.status_code == 429
    assert 'value="late@undp.org"' in response.text
    assert len(mail.outbox) == EMAILS_PER_ADDRESS.limit


def test_behind_a_trusted_proxy_each_client_is_limited_on_its_own(
    client: Client, staff: User, settings: Settings
) -> None:
    settings.SOLEX_TRUSTED_PROXIES = ["10.0.0.0/8"]
    for attempt in range(LOGIN_FAILURES_PER_ADDRESS.limit):
        client.post(
            "/accounts/login/",
            {"username": f"guess{attempt}", "password": "wrong"},
            REMOTE_ADDR="10.0.0.5",
            HTTP_X_FORWARDED_FOR=OFFICE,
        )

    # Amina comes through the same proxy from another address: she is not blocked.
    response = client.post(
        "/accounts/login/",
        {"username": "amina", "password": TEST_PASSWORD},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="192.0.2.1",
    )
    assert response.status_code == 302


def test_a_forged_forwarded_header_does_not_escape_the_address_limit(
    client: Client, staff: User, settings: Settings
) -> None:
    settings.SOLEX_TRUSTED_PROXIES = ["10.0.0.0/8"]
    for attempt in range(LOGIN_FAILURES_PER_ADDRESS.limit):
        client.post(
            "/accounts/login/",
            {"username": f"guess{attempt}", "password": "wrong"},
            REMOTE_ADDR=OFFICE,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}",
        )

    response = client.post(
        "/accounts/login/",
        {"username": "amina", "password": TEST_PASSWORD},
        REMOTE_ADDR=OFFICE,
        HTTP_X_FORWARDED_FOR="192.0.2.1",
    )
    assert response.status_code == 429
