"""Error pages as served through the real URLconf (handlers named in solex.urls)."""

from __future__ import annotations

import pytest
from django.test import Client

from solex.accounts.models import User

pytestmark = pytest.mark.urls("tests.error_urls")


def template_names(response: object) -> list[str]:
    return [template.name for template in getattr(response, "templates", []) if template.name]


@pytest.mark.django_db
def test_a_missing_page_answers_404_with_the_friendly_page(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert template_names(response)[:2] == ["404.html", "base.html"]
    assert b"<h1>Page not found</h1>" in response.content
    assert b'href="#main"' in response.content


@pytest.mark.django_db
def test_the_404_page_speaks_the_visitors_language(client: Client) -> None:
    client.cookies["django_language"] = "fr"
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "<h1>Page introuvable</h1>" in response.text


@pytest.mark.django_db
def test_a_bad_request_answers_400(client: Client) -> None:
    response = client.get("/test-errors/400")
    assert response.status_code == 400
    assert template_names(response)[0] == "400.html"


@pytest.mark.django_db
def test_an_unknown_host_answers_400_with_the_friendly_page(client: Client) -> None:
    response = client.get("/", headers={"host": "attacker.example"})
    assert response.status_code == 400
    assert b"<h1>Bad request</h1>" in response.content


@pytest.mark.django_db
def test_access_denied_offers_anonymous_visitors_the_login_page(client: Client) -> None:
    response = client.get("/test-errors/403")
    assert response.status_code == 403
    assert template_names(response)[0] == "403.html"
    assert b'href="/accounts/login/?next=/test-errors/403">log in</a>' in response.content


@pytest.mark.django_db
def test_access_denied_tells_members_whom_to_ask(client: Client, staff: User) -> None:
    client.force_login(staff)
    response = client.get("/test-errors/403")
    assert response.status_code == 403
    assert "ask the community’s facilitator" in response.text


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_gets_the_friendly_page() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "fr"})
    assert response.status_code == 403
    assert template_names(response)[:2] == ["403_csrf.html", "base.html"]
    assert b"<h1>Your form could not be sent</h1>" in response.content


@pytest.mark.django_db
def test_a_crash_answers_500_with_the_self_contained_page() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/test-errors/500")
    assert response.status_code == 500
    assert template_names(response) == ["500.html"]
    assert b"<h1>Something went wrong</h1>" in response.content
