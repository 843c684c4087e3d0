from __future__ import annotations

import time

import pytest
from django.core import mail, signing
from django.test import Client
from pytest_django.fixtures import Settings

from solex.accounts import links
from solex.accounts.models import Organization, User
from solex.accounts.testing import TEST_PASSWORD, make_organization, make_partner_organization
from solex.accounts.tests.helpers import last_email_to, link_in

pytestmark = pytest.mark.django_db


def details(username: str = "wanjiru", **extra: str) -> dict[str, str]:
    return {
        "name": "Wanjiru Kamau",
        "username": username,
        "password1": TEST_PASSWORD,
        "password2": TEST_PASSWORD,
        **extra,
    }


def follow_signup_link(client: Client, email: str) -> str:
    response = client.post("/accounts/signup/", {"email": email})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/sent/"
    return link_in(last_email_to(email), "/accounts/signup/confirm/")


def test_signup_at_an_agency_domain_makes_internal_staff(client: Client) -> None:
    undp = make_organization()
    link = follow_signup_link(client, "Wanjiru.Kamau@UNDP.org")

    page = client.get(link)
    assert page.status_code == 200
    assert "You will join as staff of United Nations Development Programme" in page.text

    response = client.post(link, details())
    assert response.status_code == 302
    user = User.objects.get(username="wanjiru")
    assert user.organization == undp
    assert user.is_internal
    assert user.email == "Wanjiru.Kamau@undp.org"
    assert user.email_confirmed_at is not None
    assert user.check_password(TEST_PASSWORD)
    # Signed in straight away.
    assert client.get("/accounts/profile/").status_code == 200


def test_signup_at_a_subdomain_joins_the_parent_domains_organisation(client: Client) -> None:
    undp = make_organization()
    link = follow_signup_link(client, "wanjiru@ke.undp.org")
    client.post(link, details())
    assert User.objects.get(username="wanjiru").organization == undp


def test_signup_at_a_partner_organisations_domain_makes_external_staff(client: Client) -> None:
    molg = make_partner_organization()
    link = follow_signup_link(client, "wanjiru@molg.go.ke")
    client.post(link, details())
    user = User.objects.get(username="wanjiru")
    assert user.organization == molg
    assert not user.is_internal


def test_confirmation_email_has_text_and_html_and_no_remote_images(client: Client) -> None:
    make_organization()
    client.post("/accounts/signup/", {"email": "wanjiru@undp.org"})
    message = last_email_to("wanjiru@undp.org")
    assert message.subject == "Finish signing up to Solex"
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'href="http://127.0.0.1:8000/accounts/signup/confirm/' in str(html)
    assert "<img" not in str(html)


def test_partner_signup_is_allowed_when_open_and_joins_no_organisation(
    client: Client, settings: Settings
) -> None:
    settings.SOLEX_OPEN_PARTNER_SIGNUP = True
    link = follow_signup_link(client, "pedro@example.net")
    assert "You will join as an external partner" in client.get(link).text

    client.post(link, details("pedro"))
    user = User.objects.get(username="pedro")
    assert user.organization is None
    assert not user.is_internal


def test_partner_signup_can_name_a_new_external_organisation(
    client: Client, settings: Settings
) -> None:
    settings.SOLEX_OPEN_PARTNER_SIGNUP = True
    link = follow_signup_link(client, "pedro@example.net")
    client.post(link, details("pedro", new_organization_name="Kisumu Water Trust"))
    organization = User.objects.get(username="pedro").organization
    assert organization is not None
    assert organization.name == "Kisumu Water Trust"
    assert not organization.is_internal


def test_partner_cannot_claim_an_organisation_that_has_an_email_domain(
    client: Client, settings: Settings
) -> None:
    settings.SOLEX_OPEN_PARTNER_SIGNUP = True
    make_organization()
    link = follow_signup_link(client, "pedro@example.net")
    response = client.post(
        link, details("pedro", new_organization_name="united nations development programme")
    )
    assert response.status_code == 200
    assert "Staff of this organisation sign up with their work address." in response.text
    assert not User.objects.filter(username="pedro").exists()


def test_partner_signup_is_refused_when_closed_and_no_email_is_sent(
    client: Client, settings: Settings
) -> None:
    settings.SOLEX_OPEN_PARTNER_SIGNUP = False
    response = client.post("/accounts/signup/", {"email": "pedro@example.net"})
    assert response.status_code == 200
    assert "you need an invitation" in response.text
    assert 'value="pedro@example.net"' in response.text
    assert mail.outbox == []


def test_signup_link_for_a_partner_stops_working_when_signup_closes(
    client: Client, settings: Settings
) -> None:
    settings.SOLEX_OPEN_PARTNER_SIGNUP = True
    link = follow_signup_link(client, "pedro@example.net")
    settings.SOLEX_OPEN_PARTNER_SIGNUP = False
    response = client.post(link, details("pedro"))
    assert response.status_code == 403
    assert "Sign-up is by invitation" in response.text
    assert not User.objects.filter(username="pedro").exists()


def test_agency_staff_can_sign_up_even_when_partner_signup_is_closed(
    client: Client, settings: Settings
) -> None:
    settings.SOLEX_OPEN_PARTNER_SIGNUP = False
    make_organization()
    link = follow_signup_link(client, "wanjiru@undp.org")
    client.post(link, details())
    assert User.objects.filter(username="wanjiru").exists()


def test_tampered_signup_link_is_refused_with_a_clear_message(client: Client) -> None:
    make_organization()
    link = follow_signup_link(client, "wanjiru@undp.org")
    token = link.rstrip("/").rsplit("/", 1)[1]
    forged = signing.TimestampSigner(salt=links.SIGNUP_SALT).sign_object({"email": "x@undp.org"})
    tampered = link.replace(token, token[:-3] + forged[-3:])

    response = client.post(tampered, details())
    assert response.status_code == 400
    assert "This link does not work" in response.text
    assert not User.objects.exists()


def test_signup_link_for_another_address_cannot_be_forged(client: Client) -> None:
    make_organization()
    payload, _timestamp, signature = links.signup_token("wanjiru@undp.org").split(":")
    other = signing.TimestampSigner(salt=links.SIGNUP_SALT).sign_object({"email": "boss@undp.org"})
    forged = ":".join([other.split(":")[0], other.split(":")[1], signature])
    response = client.get(f"/accounts/signup/confirm/{forged}/")
    assert response.status_code == 400


def test_expired_signup_link_is_refused_with_a_clear_message(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_organization()
    three_days_ago = int(time.time()) - 3 * 24 * 3600
    monkeypatch.setattr(
        signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(three_days_ago)
    )
    token = links.signup_token("wanjiru@undp.org")
    monkeypatch.undo()

    response = client.post(f"/accounts/signup/confirm/{token}/", details())
    assert response.status_code == 410
    assert "This link has expired" in response.text
    assert 'href="/accounts/signup/"' in response.text
    assert not User.objects.exists()


def test_signup_with_an_existing_address_looks_the_same_and_emails_how_to_log_in(
    client: Client, staff: User
) -> None:
    fresh = client.post("/accounts/signup/", {"email": "newcomer@undp.org"})
    existing = client.post("/accounts/signup/", {"email": staff.email.upper()})

    assert existing.status_code == fresh.status_code == 302
    assert existing["Location"] == fresh["Location"]
    message = last_email_to(staff.email)
    assert message.subject == "You already have a Solex account"
    assert "Your username is amina" in message.body
    assert "/accounts/password/reset/" in message.body
    assert "/signup/confirm/" not in message.body


def test_following_a_signup_link_after_the_account_exists_offers_log_in(client: Client) -> None:
    make_organization()
    link = follow_signup_link(client, "wanjiru@undp.org")
    client.post(link, details())
    client.post("/accounts/logout/")

    response = client.post(link, details("someone-else"))
    assert "You already have an account" in response.text
    assert User.objects.filter(email__iexact="wanjiru@undp.org").count() == 1


def test_signup_details_form_keeps_input_and_points_to_errors(client: Client) -> None:
    make_organization()
    link = follow_signup_link(client, "wanjiru@undp.org")
    response = client.post(link, details(password2="something-else-entirely"))
    assert response.status_code == 200
    assert 'class="error-summary"' in response.text
    assert 'href="#id_password2"' in response.text
    assert 'value="Wanjiru Kamau"' in response.text
    assert not User.objects.exists()


def test_taken_username_is_refused(client: Client, staff: User) -> None:
    link = follow_signup_link(client, "wanjiru@undp.org")
    response = client.post(link, details("AMINA"))
    assert "This username is taken" in response.text
    assert not User.objects.filter(email="wanjiru@undp.org").exists()


def test_signup_organisation_list_offers_only_self_declared_organisations(
    client: Client, settings: Settings
) -> None:
    settings.SOLEX_OPEN_PARTNER_SIGNUP = True
    make_organization()
    Organization.objects.create(name="Kisumu Water Trust", kind=Organization.Kind.NGO)
    link = follow_signup_link(client, "pedro@example.net")
    page = client.get(link).text
    assert "Kisumu Water Trust" in page
    assert "United Nations Development Programme" not in page


def test_signing_up_claims_the_profile_an_imported_archive_made_for_the_address(
    client: Client,
) -> None:
    undp = make_organization()
    # What `solex import mbox` leaves for a sender it did not know.
    imported = User(username="wanjiru-kamau", email="wanjiru@undp.org", name="W. Kamau")
    imported.is_active = False
    imported.set_unusable_password()
    imported.save()

    link = follow_signup_link(client, "wanjiru@undp.org")
    assert client.get(link).status_code == 200
    response = client.post(link, details())

    assert response.status_code == 302
    claimed = User.objects.get(email__iexact="wanjiru@undp.org")
    assert claimed.pk == imported.pk  # the archived posts stay attributed to it
    assert claimed.username == "wanjiru"
    assert claimed.name == "Wanjiru Kamau"
    assert claimed.is_active
    assert claimed.organization == undp
    assert claimed.check_password(TEST_PASSWORD)
    assert User.objects.count() == 1


def test_a_deactivated_account_is_not_claimable_by_signing_up(client: Client) -> None:
    make_organization()
    User.objects.create_user(
        "wanjiru", email="wanjiru@undp.org", name="Wanjiru", password=TEST_PASSWORD, is_active=False
    )
    client.post("/accounts/signup/", {"email": "wanjiru@undp.org"})
    assert "/accounts/signup/confirm/" not in last_email_to("wanjiru@undp.org").body
