"""The error handlers on their own: the 500 page must survive a broken site."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings

from solex.core import errors


def test_the_500_page_needs_no_database_and_no_request_context() -> None:
    # No django_db mark: any query here would fail the test.
    request = RequestFactory().get("/")
    response = errors.server_error(request)
    assert response.status_code == 500
    assert response.content.decode() == render_to_string("500.html")
    assert '<html lang="en" dir="ltr">' in response.content.decode()


def test_the_500_page_falls_back_to_plain_html_when_its_template_breaks() -> None:
    no_templates = [{**settings.TEMPLATES[0], "DIRS": [], "APP_DIRS": False}]
    with override_settings(TEMPLATES=no_templates):
        response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert response.content.decode() == errors.FALLBACK_500
