from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from pytest_django.fixtures import Settings

from solex.accounts import actions, links
from solex.accounts.models import Invitation, User
from solex.accounts.testing import TEST_PASSWORD, make_partner_organization
from solex.accounts.tests.helpers import last_email_to, link_in

pytestmark = pytest.mark.django_db


def details(username: str = "pedro") -> dict[str, str]:
    return {
        "name": "Pedro Alves",
        "username": username,
        "password1": TEST_PASSWORD,
        "password2": TEST_PASSWORD,
    }


def test_accepting_an_invitation_creates_the_account_at_its_organisation(
    client: Client, staff: User
) -> None:
    molg = make_partner_organization()
    invitation = actions.invite_person(
        "pedro@example.net", actor=staff, organization=molg, message="Join our WASH community."
    )
    message = last_email_to("pedro@example.net")
    assert message.subject == "Amina Diallo invites you to Solex"
    assert "Join our WASH community." in message.body
    link = link_in(message, "/accounts/invitations/")

    page = client.get(link)
    assert "Amina Diallo invited you to Solex" in page.text
    response = client.post(link, details())

    assert response.status_code == 302
    user = User.objects.get(username="pedro")
    assert user.email == "pedro@example.net"
    assert user.organization == molg
    assert not user.is_internal
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None


def test_invitation_works_when_partner_signup_is_closed(
    client: Client, staff: User, settings: Settings
) -> None:
    settings.SOLEX_OPEN_PARTNER_SIGNUP = False
    invitation = actions.invite_person("pedro@example.net", actor=staff)
    client.post(f"/accounts/invitations/{links.invitation_token(invitation.pk)}/", details())
    assert User.objects.filter(username="pedro", organization=None).exists()


def test_an_accepted_invitation_cannot_be_used_again(client: Client, staff: User) -> None:
    invitation = actions.invite_person("pedro@example.net", actor=staff)
    url = f"/accounts/invitations/{links.invitation_token(invitation.pk)}/"
    client.post(url, details())
    client.post("/accounts/logout/")

    response = client.post(url, details("pedro2"))
    assert "This invitation was already accepted" in response.text
    assert not User.objects.filter(username="pedro2").exists()


def test_tampered_invitation_link_is_refused(client: Client, staff: User) -> None:
    invitation = actions.invite_person("pedro@example.net", actor=staff)
    token = links.invitation_token(invitation.pk)
    value, signature = token.split(":", 1)
    response = client.post(f"/accounts/invitations/{int(value) + 1}:{signature}/", details())
    assert response.status_code == 400
    assert "This link does not work" in response.text
    assert not User.objects.filter(username="pedro").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_external_partners_cannot_invite(partner: User) -> None:
    with pytest.raises(PermissionDenied, match="Only staff"):
        actions.invite_person("friend@example.net", actor=partner)
    assert not Invitation.objects.exists()


def test_staff_invite_a_partner_from_the_invitation_page(client: Client, staff: User) -> None:
    client.force_login(staff)
    assert 'href="/accounts/invitations/new/"' in client.get("/accounts/profile/").text
    response = client.post(
        "/accounts/invitations/new/", {"email": "pedro@example.net", "message": "Welcome!"}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "pedro@example.net"
    assert invitation.invited_by == staff
    assert "Welcome!" in last_email_to("pedro@example.net").body


def test_partners_cannot_open_the_invitation_page(client: Client, partner: User) -> None:
    client.force_login(partner)
    response = client.post("/accounts/invitations/new/", {"email": "friend@example.net"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_inviting_an_address_of_a_member_organisation_is_refused(
    client: Client, staff: User
) -> None:
    client.force_login(staff)
    response = client.post("/accounts/invitations/new/", {"email": "colleague@ke.undp.org"})
    assert response.status_code == 200
    assert "they can sign up themselves" in response.text
    assert 'value="colleague@ke.undp.org"' in response.text
    assert not Invitation.objects.exists()
