"""The real URLconf plus views that fail on purpose, for the error-page tests."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path

from solex import urls


def fail_with_400(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("A request made to fail by a test.")


def fail_with_403(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def fail_with_500(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("A view made to fail by a test.")


urlpatterns: list[URLPattern | URLResolver] = [
    path("test-errors/400", fail_with_400),
    path("test-errors/403", fail_with_403),
    path("test-errors/500", fail_with_500),
    *urls.urlpatterns,
]
handler400 = urls.handler400
handler403 = urls.handler403
handler404 = urls.handler404
handler500 = urls.handler500
