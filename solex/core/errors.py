"""Error pages, named by handler400/403/404/500 in solex.urls.

The 4xx pages extend base.html and use the request like any page. The 500 page
renders a self-contained template without the request: whatever broke (the database,
a context processor, the session) must not break the page that says so.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

# The last resort if even the 500 template cannot render (a broken static manifest,
# a bad catalogue): plain, untranslated, and still accessible.
FALLBACK_500 = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Server error · Solex</title></head>
<body><main><h1>Something went wrong</h1>
<p>Please try again in a few minutes.</p><p><a href="/">Solex home page</a></p></main></body></html>
"""


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "400.html", status=400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", status=403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        body = loader.get_template("500.html").render()
    except Exception:
        logger.exception("The 500 page itself failed to render; sending the fallback")
        body = FALLBACK_500
    return HttpResponseServerError(body)
