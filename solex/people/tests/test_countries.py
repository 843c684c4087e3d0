"""People pages name duty-station countries instead of showing their codes."""

from __future__ import annotations

import pytest
from django.test import Client

from solex.accounts.models import User

pytestmark = pytest.mark.django_db


def test_a_profile_names_the_duty_station_country(
    client: Client, staff: User, partner: User
) -> None:
    client.force_login(staff)

    page = client.get("/people/pedro/").text

    assert "<dd>Kenya</dd>" in page


def test_the_directory_says_where_people_are_based_by_name(
    client: Client, staff: User, partner: User
) -> None:
    client.force_login(staff)

    page = client.get("/people/", {"country": "KE"}).text

    assert "Based in Kenya" in page
    assert "Based in KE" not in page
    assert '<option value="KE" selected>Kenya</option>' in page


def test_the_profile_form_offers_countries_by_name(client: Client, staff: User) -> None:
    client.force_login(staff)

    page = client.get("/accounts/profile/").text

    assert '<option value="SN" selected>Senegal</option>' in page
    assert '<option value="KE">Kenya</option>' in page


def test_an_unknown_country_code_is_refused_and_the_other_values_kept(
    client: Client, staff: User
) -> None:
    client.force_login(staff)

    response = client.post(
        "/accounts/profile/",
        {
            "name": "Amina Diallo",
            "title": "Cash transfer adviser",
            "office": "Dakar regional hub",
            "country": "XX",
            "region": "africa",
            "languages": "fr, en",
            "preferred_language": "en",
        },
    )

    assert response.status_code == 200
    assert "“XX” is not a country Solex knows; choose one from the list." in response.text
    assert 'value="Cash transfer adviser"' in response.text
    staff.refresh_from_db()
    assert (staff.title, staff.country) == ("", "SN")
