from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from solex.core.home import home_sections


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"sections": home_sections(request)})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness probe for load balancers: answers only when the database does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# --- Helpers for the apps' views ----------------------------------------------------------


def is_htmx(request: HttpRequest) -> bool:
    """An htmx request wants the fragment (a template partial), not the whole page."""
    return request.headers.get("HX-Request") == "true"


def show_action_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put an action's refusal on the form, next to the field it names when there is one."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)
