"""The expertise locator's API, mounted at ``/expertise``: who knows about X, and the gaps.

A router of its own (not under ``/people``) so its paths never collide with usernames.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from solex.accounts.api_auth import auth_required, signed_in_caller
from solex.core.api.errors import Error
from solex.expertise.ranking import LocatorError, check_language, check_region, topic_by_slug
from solex.people import locator, permissions
from solex.people.schemas import SLUG_PATTERN
from solex.taxonomy.models import Topic

router = Router(tags=["expertise"])


class LocatorQueryIn(Schema):
    q: str = Field(
        "",
        max_length=500,
        description="A topic or a question in plain words; matched to topics by name.",
    )
    topic: str | None = Field(
        None, max_length=140, pattern=SLUG_PATTERN, description="A topic's slug (with sub-topics)."
    )
    language: str | None = Field(
        None, max_length=20, description="Only people who speak this language (code, e.g. fr)."
    )
    region: str | None = Field(None, max_length=40, description="Only people in this region.")
    limit: int = Field(10, ge=1, le=locator.MAX_RESULTS, description="How many people at most.")


class TopicOut(Schema):
    slug: str
    name: str


class RankedPersonOut(Schema):
    username: str
    name: str
    title: str
    organization: str | None
    country: str
    region: str
    score: float = Field(description="Higher is better placed; only the order is meaningful.")
    reasons: list[str] = Field(description="Why, in the caller's language.")
    evidence: dict[str, int] = Field(
        description="Distinct things done per kind: replied, helpful, consolidated, authored, "
        "declared, endorsed, asked."
    )


class LocatorOut(Schema):
    topics: list[TopicOut] = Field(description="The topics the question was matched to.")
    people: list[RankedPersonOut]


class GapOut(Schema):
    topic: TopicOut
    queries: int
    replied: int
    helpful: int
    consolidated: int
    unanswered_well: int
    hours_to_first_reply: float | None
    people_who_know: int


class GapWindow(IntEnum):
    """The windows the gap table offers (a query string is text, so not a Literal)."""

    LAST_90_DAYS = 90
    LAST_YEAR = 365
    LAST_3_YEARS = 1095


class GapsQueryIn(Schema):
    days: GapWindow = Field(
        GapWindow.LAST_YEAR, description="Count queries asked in these last days."
    )


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ("query", field), "msg": message, "type": "invalid"}])


@router.get(
    "/people",
    response={200: LocatorOut, 422: Error},
    auth=auth_required,
    summary="Who knows about a topic or question",
)
def who_knows(request: HttpRequest, query: Query[LocatorQueryIn]) -> dict[str, Any]:
    """People the caller may see, best placed first, with the reasons.

    Give ``q`` (free text) or ``topic`` (a slug). An unknown topic, language or region
    is a 422 naming the field; a text that matches no topic gives no people.
    """
    viewer = signed_in_caller(request)
    topic: Topic | None = None
    try:
        if query.topic:
            topic = topic_by_slug(query.topic)
        language = check_language(query.language or "")
        region = check_region(query.region or "")
    except LocatorError as error:
        raise _invalid(error.field, error.message) from error
    if topic is None and not query.q.strip():
        raise _invalid("q", "Give a topic or question in q, or a topic slug in topic.")
    ranking = locator.who_knows(
        viewer, text=query.q, topic=topic, language=language, region=region, limit=query.limit
    )
    return {
        "topics": [{"slug": t.slug, "name": t.name} for t in ranking.topics],
        "people": [
            {
                "username": item.person.username,
                "name": item.person.name,
                "title": item.person.title,
                "organization": item.person.organization.name if item.person.organization else None,
                "country": item.person.country,
                "region": item.person.region,
                "score": item.score,
                "reasons": item.reasons,
                "evidence": item.evidence,
            }
            for item in ranking.people
        ],
    }


@router.get(
    "/gaps",
    response={200: list[GapOut], 403: Error, 422: Error},
    auth=auth_required,
    summary="Topics nobody answers well",
)
def expertise_gaps(request: HttpRequest, window: Query[GapsQueryIn]) -> list[dict[str, Any]]:
    """For knowledge managers: topics with many queries and few helpful or consolidated replies."""
    viewer = signed_in_caller(request)
    permissions.check_view_expertise_gaps(viewer)
    return [
        {
            "topic": {"slug": gap.topic.slug, "name": gap.topic.name},
            "queries": gap.queries,
            "replied": gap.replied,
            "helpful": gap.helpful,
            "consolidated": gap.consolidated,
            "unanswered_well": gap.unanswered_well,
            "hours_to_first_reply": gap.hours_to_first_reply,
            "people_who_know": gap.people_who_know,
        }
        for gap in locator.gaps(viewer, days=int(window.days))
    ]
