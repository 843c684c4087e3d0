"""The error handlers on their own: the 500 page must survive a broken site."""

from __future__ import annotations

from django.conf import settings
from django.test import RequestFactory, override_settings
from django.utils import translation

from solex.core import errors


def test_the_500_page_needs_no_database_and_no_request_context() -> None:
    # No django_db mark: any query here would fail the test.
    with translation.override("en"):
        response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert '<html lang="en" dir="ltr">' in response.content.decode()
    assert "<h1>Something went wrong</h1>" in response.content.decode()


def test_the_500_page_speaks_the_language_the_request_had() -> None:
    with translation.override("ar"):
        page = errors.server_error(RequestFactory().get("/")).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "<h1>حدث خطأ ما</h1>" in page


def test_the_500_page_falls_back_to_plain_html_when_its_template_breaks() -> None:
    no_templates = [{**settings.TEMPLATES[0], "DIRS": [], "APP_DIRS": False}]
    with override_settings(TEMPLATES=no_templates):
        response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert response.content.decode() == errors.FALLBACK_500
