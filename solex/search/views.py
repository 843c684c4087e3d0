"""The search page and topic pages: thin views over ``queries``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from solex.search import queries
from solex.search.forms import SearchForm
from solex.taxonomy.models import Topic


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, user=request.user)
    results = None
    if form.is_bound and form.is_valid():
        params = form.params()
        if params.q.strip() or params.has_filters:
            results = queries.search(request.user, params, page=form.page_number)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "results": results,
            "query_string": query.urlencode(),
            "asked": bool(form.is_bound and (request.GET.get("q") or "").strip()),
        },
    )


def topic(request: HttpRequest, topic_slug: str) -> HttpResponse:
    found = get_object_or_404(Topic, slug=topic_slug)
    page = queries.topic_page(request.user, found)
    return render(request, "search/topic.html", {"page": page, "topic": found})
