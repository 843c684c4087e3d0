"""``GET /api/v1/search``: the search page's results as JSON, with the same filters and rules."""

# No "from __future__ import annotations": ninja reads the annotations at import time.
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from solex.accounts.api_auth import auth_optional, caller
from solex.core.api.errors import Error, error_response
from solex.search import queries
from solex.search.forms import MAX_PAGE, SearchForm

router = Router(tags=["search"])


class SearchIn(Schema):
    q: str = Field("", description='Words to find: "a phrase", -leave_out, either OR other.')
    type: list[str] = Field(
        default_factory=list,
        description="exchanges, knowledge, people or communities (repeat for several).",
    )
    community: str = Field("", description="A community's slug.")
    topic: str = Field("", description="A topic's slug (its sub-topics are included).")
    country: str = Field("", description="An ISO 3166 code, e.g. KE.")
    language: str = Field("", description="A language code, e.g. fr.")
    date_from: str = Field("", description="YYYY-MM-DD")
    date_to: str = Field("", description="YYYY-MM-DD")
    page: int = Field(1, description=f"Page of 20 results, 1 to {MAX_PAGE}.")


class TopicOut(Schema):
    slug: str
    name: str


class ResultOut(Schema):
    kind: str
    id: int = Field(description="The id of the object (exchange, reply, item, person, community).")
    title: str
    url: str
    community: str
    date: datetime
    snippet_html: str = Field(description="Escaped text; matches are wrapped in <mark>.")
    score: float
    topics: list[TopicOut]


class SearchOut(Schema):
    count: int = Field(description="Matches, counted up to 1001.")
    count_is_capped: bool
    page: int
    has_next: bool
    any_words: bool = Field(description="True when no result had every word.")
    results: list[ResultOut]


def _result(result: queries.Result) -> dict[str, Any]:
    document = result.document
    return {
        "kind": document.kind,
        "id": document.object_id,
        "title": document.title,
        "url": document.url,
        "community": document.community_name,
        "date": document.date,
        "snippet_html": str(result.snippet),
        "score": round(result.score, 4),
        "topics": [{"slug": t.slug, "name": t.name} for t in result.topics],
    }


@router.get(
    "",
    auth=auth_optional,
    response={200: SearchOut, 400: Error},
    summary="Search everything you may see",
    operation_id="search_everything",
)
def search(request: HttpRequest, filters: Query[SearchIn]) -> Any:
    """Exchanges, replies, knowledge items, people and communities matching the words,
    best first: only what the caller may see is matched, counted or quoted."""
    data: dict[str, Any] = filters.dict()
    form = SearchForm(data, user=caller(request))
    if not form.is_valid():
        errors = [
            {"loc": ["query", field], "msg": str(message), "type": "invalid"}
            for field, messages in form.errors.items()
            for message in messages
        ]
        return error_response(400, "Some search parameters are not valid: see errors.", errors)
    params = form.params()
    if not params.q.strip() and not params.has_filters:
        return error_response(
            400,
            "Say what to look for: give q (words) or at least one filter.",
            [{"loc": ["query", "q"], "msg": "Give words to search for.", "type": "missing"}],
        )
    found = queries.search(caller(request), params, page=form.page_number)
    return {
        "count": found.shown_count if not found.count_is_capped else found.count,
        "count_is_capped": found.count_is_capped,
        "page": found.page,
        "has_next": found.has_next,
        "any_words": found.any_words,
        "results": [_result(result) for result in found.results],
    }
