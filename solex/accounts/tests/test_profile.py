from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from solex.accounts.models import Organization, User
from solex.accounts.testing import make_user

pytestmark = pytest.mark.django_db


def profile_data(**changes: str) -> dict[str, str]:
    return {
        "name": "Amina Diallo",
        "title": "Knowledge management specialist",
        "office": "Dakar regional hub",
        "country": "sn",
        "region": "africa",
        "languages": "fr, EN, wo",
        "preferred_language": "en",
        **changes,
    }


def test_profile_edit_saves_the_details(client: Client, staff: User) -> None:
    client.force_login(staff)
    response = client.post("/accounts/profile/", profile_data())
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.title == "Knowledge management specialist"
    assert staff.office == "Dakar regional hub"
    assert staff.country == "SN"
    assert staff.languages == ["fr", "en", "wo"]
    page = client.get("/accounts/profile/").text
    assert "Your profile is saved." in page
    assert 'value="fr, en, wo"' in page


def test_staff_see_their_organisation_but_cannot_change_it(client: Client, staff: User) -> None:
    other = Organization.objects.create(name="Kisumu Water Trust", kind=Organization.Kind.NGO)
    client.force_login(staff)
    page = client.get("/accounts/profile/").text
    assert "United Nations Development Programme" in page
    assert 'name="organization"' not in page

    client.post("/accounts/profile/", profile_data(organization=str(other.pk)))
    staff.refresh_from_db()
    assert staff.organization is not None
    assert staff.organization.name == "United Nations Development Programme"


def test_partner_without_a_domain_can_choose_an_external_organisation(client: Client) -> None:
    freelancer = make_user("pedro")
    trust = Organization.objects.create(name="Kisumu Water Trust", kind=Organization.Kind.NGO)
    client.force_login(freelancer)
    client.post("/accounts/profile/", profile_data(name="Pedro Alves", organization=str(trust.pk)))
    freelancer.refresh_from_db()
    assert freelancer.organization == trust


def test_saving_the_interface_language_switches_the_pages(client: Client, staff: User) -> None:
    client.force_login(staff)
    response = client.post("/accounts/profile/", profile_data(preferred_language="fr"))
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    staff.refresh_from_db()
    assert staff.preferred_language == "fr"
    assert '<html lang="fr"' in client.get("/accounts/profile/").text


def test_invalid_profile_input_is_kept_and_nothing_is_saved(client: Client, staff: User) -> None:
    client.force_login(staff)
    response = client.post(
        "/accounts/profile/",
        profile_data(country="Senegal", languages="fr, 123", title="New title"),
    )
    assert response.status_code == 200
    assert 'href="#id_country"' in response.text
    assert 'href="#id_languages"' in response.text
    assert 'value="New title"' in response.text
    assert "“Senegal” is not a country Solex knows; choose one from the list." in response.text
    staff.refresh_from_db()
    assert staff.title == ""
    assert staff.country == "SN"


def test_profile_needs_a_log_in(client: Client) -> None:
    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/accounts/profile/")
