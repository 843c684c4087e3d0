import pytest
from django.test import Client


@pytest.mark.django_db
def test_home_page_is_served_with_a_content_security_policy(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert b"Communities of practice" in response.content
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "object-src 'none'" in csp


@pytest.mark.django_db
def test_health_probe_answers_when_the_database_does(client: Client) -> None:
    response = client.get("/healthz")
    assert response.json() == {"status": "ok"}
