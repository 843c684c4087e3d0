from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from solex.accounts.models import User
from solex.accounts.testing import TEST_PASSWORD
from solex.accounts.tests.helpers import last_email_to, link_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-42"


def test_password_reset_email_lets_the_person_choose_a_new_password(
    client: Client, staff: User
) -> None:
    response = client.post("/accounts/password/reset/", {"email": "AMINA@undp.org"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    message = last_email_to(staff.email)
    assert message.subject == "Choose a new Solex password"
    link = link_in(message, "/accounts/password/reset/")

    # Django swaps the token in the link for one kept in the session.
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.text
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == "/accounts/password/reset/done/"
    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD)

    # The link works once.
    assert "This link does not work" in client.get(link, follow=True).text


def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(
    client: Client, staff: User
) -> None:
    response = client.post("/accounts/password/reset/", {"email": "nobody@undp.org"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_password_reset_with_a_forged_link_changes_nothing(client: Client, staff: User) -> None:
    uid = urlsafe_base64_encode(force_bytes(staff.pk))
    response = client.get(f"/accounts/password/reset/{uid}/forged-token/", follow=True)
    assert "This link does not work" in response.text
    staff.refresh_from_db()
    assert staff.check_password(TEST_PASSWORD)
