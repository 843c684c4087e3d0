from __future__ import annotations

import pytest
from django.test import Client

from solex.accounts.models import User

pytestmark = pytest.mark.django_db


def test_signed_in_people_get_a_who_knows_search_on_the_home_page(
    client: Client, staff: User
) -> None:
    client.force_login(staff)

    page = client.get("/").content.decode()

    assert "Who knows about…?" in page
    assert 'action="/people/who-knows/"' in page
    assert 'href="/people/"' in page  # the who's who stays a link away


def test_anonymous_visitors_get_no_people_search(client: Client) -> None:
    page = client.get("/").content.decode()

    assert "Who knows about…?" not in page
