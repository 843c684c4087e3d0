"""The API for consultations: start, read, comment, post a version, answer, close, summarise.

Every operation fetches its consultation through ``queries.consultation_for`` (404 for
one the caller may not see, or for another kind of exchange) and changes things only
through ``actions``; a refused action answers 409 with what to fix, a malformed
request 422.
"""

# No "from __future__ import annotations": the refusals decorator comes from another
# module, and ninja resolves string annotations in the wrapper's module, not this one.
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Status

from solex.accounts.api_auth import auth_optional, auth_required, caller, signed_in_caller
from solex.accounts.api_refs import person_ref as _person
from solex.communities import queries as community_queries
from solex.communities.api import refusals
from solex.consultations import actions, queries
from solex.consultations import permissions as policy
from solex.consultations.models import DraftVersion, SummaryDraft
from solex.consultations.schemas import (
    CommentIn,
    CommentOut,
    ConsultationCloseIn,
    ConsultationOut,
    DraftVersionOut,
    FeedbackSummaryIn,
    FeedbackSummaryOut,
    FeedbackSummaryPublishedOut,
    FeedbackSummaryPublishIn,
    ResponseIn,
    StartIn,
    VersionIn,
)
from solex.core.api.errors import Error
from solex.core.api.pagination import Page, PageParams, paginate
from solex.core.api.params import ObjectId
from solex.exchanges import queries as exchange_queries
from solex.exchanges.models import Exchange
from solex.taxonomy.models import Topic

router = Router(tags=["consultations"])


def _version(version: DraftVersion, counts: dict[int, int] | None = None) -> dict[str, Any]:
    counts = counts or {}
    return {
        "number": version.number,
        "note": version.note,
        "created_at": version.created_at,
        "created_by": _person(version.created_by),
        "paragraphs": [
            {
                "number": block.get("number"),
                "text": block.get("text", ""),
                "html": block.get("html", ""),
                "comment_count": counts.get(block.get("number") or 0, 0),
            }
            for block in version.paragraphs
        ],
    }


def _detail(request: HttpRequest, exchange: Exchange) -> dict[str, Any]:
    user = caller(request)
    versions = queries.versions_of(exchange)
    comments = queries.comments_of(exchange)
    published = queries.published_summary(exchange)
    return {
        "id": exchange.pk,
        "community": exchange.community.slug,
        "title": exchange.title,
        "purpose": exchange.context,
        "status": "open" if exchange.is_open else "closed",
        "owner": _person(exchange.author),
        "closes_at": exchange.closes_at,
        "created_at": exchange.created_at,
        "comment_count": sum(1 for c in comments if not c.reply.is_hidden),
        "current_version": versions[-1].number,
        "versions": [
            _version(v, dict(queries.counts_by_paragraph(comments, v.number))) for v in versions
        ],
        "summary_url": actions.summary_url(exchange) if published else None,
        "can_comment": policy.can_comment(user, exchange),
        "can_manage": policy.can_manage(user, exchange),
    }


def _comment(comment: queries.Comment) -> dict[str, Any]:
    reply = comment.reply
    hidden = reply.is_hidden
    return {
        "id": reply.pk,
        "author": _person(reply.author),
        # A hidden comment keeps its place and its answer, not its words.
        "body": "" if hidden else reply.body,
        "body_html": "" if hidden else reply.body_html,
        "paragraph": reply.paragraph,
        "version": comment.version,
        "parent": reply.parent_id,
        "created_at": reply.created_at,
        "is_hidden": hidden,
        "response": comment.response,
        "reason": comment.reason,
    }


def _summary(draft: SummaryDraft) -> dict[str, Any]:
    return {
        "consultation": draft.exchange_id,
        "version": draft.version,
        "title": draft.title,
        "summary": draft.summary,
        "body": draft.body,
        "updated_at": draft.updated_at,
        "updated_by": _person(draft.updated_by),
        "published_item": draft.published_item_id,
    }


@router.post(
    "/",
    # 404: no community the caller may see has the address given in the body.
    response={201: ConsultationOut, 404: Error, 409: Error},
    auth=auth_required,
    summary="Start a consultation",
)
@refusals
def start(request: HttpRequest, payload: StartIn) -> Status[dict[str, Any]]:
    """Put a draft to a community for comment by ``closes_at``."""
    user = signed_in_caller(request)
    community = community_queries.community_for(user, payload.community)
    topics = list(Topic.objects.filter(slug__in=payload.topics))
    if len(topics) != len(set(payload.topics)):
        raise ValidationError({"topics": "One of the topics does not exist."})
    exchange = actions.start_consultation(
        community,
        actor=user,
        title=payload.title,
        purpose=payload.purpose,
        body=payload.body,
        closes_at=payload.closes_at,
        topics=topics,
    )
    return Status(201, _detail(request, exchange))


@router.get(
    "/{consultation_id}",
    response=ConsultationOut,
    auth=auth_optional,
    summary="Read a consultation",
)
def read_consultation(request: HttpRequest, consultation_id: ObjectId) -> dict[str, Any]:
    """The consultation with every version and its numbered paragraphs."""
    return _detail(request, queries.consultation_for(caller(request), consultation_id))


@router.get(
    "/{consultation_id}/comments",
    response=Page[CommentOut],
    auth=auth_optional,
    summary="List comments",
)
def list_comments(
    request: HttpRequest, consultation_id: ObjectId, page: Query[PageParams]
) -> dict[str, Any]:
    """Every comment in order, with its paragraph, version and the owner's answer."""
    exchange = queries.consultation_for(caller(request), consultation_id)
    result = paginate(exchange_queries.replies_of(exchange), page)
    result["items"] = [_comment(item) for item in queries.with_records(exchange, result["items"])]
    return result


@router.post(
    "/{consultation_id}/comments",
    response={201: CommentOut, 409: Error},
    auth=auth_required,
    summary="Comment",
)
@refusals
def post_comment(
    request: HttpRequest, consultation_id: ObjectId, payload: CommentIn
) -> Status[dict[str, Any]]:
    """On a paragraph of a version (the current one by default), or on the whole draft."""
    user = signed_in_caller(request)
    exchange = queries.consultation_for(user, consultation_id)
    parent = None
    if payload.parent is not None:
        parent = exchange.replies.filter(pk=payload.parent).first()
        if parent is None:
            raise ValidationError({"parent": "No comment with this id in this consultation."})
    reply = actions.comment(
        exchange,
        actor=user,
        body=payload.body,
        paragraph=payload.paragraph,
        version=payload.version,
        parent=parent,
    )
    found = next(c for c in queries.comments_of(exchange) if c.reply.pk == reply.pk)
    return Status(201, _comment(found))


@router.post(
    "/{consultation_id}/versions",
    response={201: DraftVersionOut, 409: Error},
    auth=auth_required,
    summary="Post a new version",
)
@refusals
def post_version(
    request: HttpRequest, consultation_id: ObjectId, payload: VersionIn
) -> Status[dict[str, Any]]:
    """The owner (or a facilitator) revises the draft; earlier versions and comments stay."""
    user = signed_in_caller(request)
    exchange = queries.consultation_for(user, consultation_id)
    version = actions.post_version(exchange, actor=user, body=payload.body, note=payload.note)
    return Status(201, _version(version))


@router.put(
    "/{consultation_id}/comments/{comment_id}/response",
    response={200: CommentOut, 409: Error},
    auth=auth_required,
    summary="Answer a comment",
)
@refusals
def respond(
    request: HttpRequest, consultation_id: ObjectId, comment_id: ObjectId, payload: ResponseIn
) -> dict[str, Any]:
    """You said, we did: taken up, partly, or not taken up (with a reason)."""
    user = signed_in_caller(request)
    exchange = queries.consultation_for(user, consultation_id)
    policy.check_manage(user, exchange)
    reply = exchange.replies.filter(pk=comment_id).select_related("author").first()
    if reply is None:
        raise ValidationError({"comment_id": "No comment with this id in this consultation."})
    reply.exchange = exchange
    actions.respond(reply, actor=user, response=payload.response, reason=payload.reason)
    found = next(c for c in queries.comments_of(exchange) if c.reply.pk == reply.pk)
    return _comment(found)


@router.post(
    "/{consultation_id}/close",
    response={200: FeedbackSummaryOut, 409: Error},
    auth=auth_required,
    summary="Close a consultation",
)
@refusals
def close_consultation(
    request: HttpRequest, consultation_id: ObjectId, payload: ConsultationCloseIn
) -> dict[str, Any]:
    """End comments now; returns the automatic draft of the feedback summary."""
    user = signed_in_caller(request)
    exchange = queries.consultation_for(user, consultation_id)
    return _summary(actions.close_consultation(exchange, actor=user, note=payload.note))


@router.get(
    "/{closed_id}/summary",
    response={200: FeedbackSummaryOut, 409: Error},
    auth=auth_required,
    summary="Read the feedback summary draft",
)
@refusals
def read_summary(request: HttpRequest, closed_id: ObjectId) -> dict[str, Any]:
    """The owner's working copy (written from the comments the first time)."""
    user = signed_in_caller(request)
    exchange = queries.consultation_for(user, closed_id)
    draft = queries.published_summary(exchange) or actions.open_summary(exchange, actor=user)
    return _summary(draft)


@router.put(
    "/{closed_id}/summary",
    response={200: FeedbackSummaryOut, 409: Error},
    auth=auth_required,
    summary="Save the feedback summary draft",
)
@refusals
def save_summary(
    request: HttpRequest, closed_id: ObjectId, payload: FeedbackSummaryIn
) -> dict[str, Any]:
    """Saves only if ``version`` is still the current one; otherwise 409 and nothing changes."""
    user = signed_in_caller(request)
    exchange = queries.consultation_for(user, closed_id)
    draft = actions.open_summary(exchange, actor=user)
    saved = actions.save_summary(
        draft,
        actor=user,
        version=payload.version,
        title=payload.title,
        summary=payload.summary,
        body=payload.body,
    )
    return _summary(saved)


@router.post(
    "/{closed_id}/summary/publish",
    response={201: FeedbackSummaryPublishedOut, 409: Error},
    auth=auth_required,
    summary="Publish the feedback summary",
)
@refusals
def publish_summary(
    request: HttpRequest, closed_id: ObjectId, payload: FeedbackSummaryPublishIn
) -> Status[dict[str, Any]]:
    """To the library; every contributor is told what became of their comments."""
    user = signed_in_caller(request)
    exchange = queries.consultation_for(user, closed_id)
    draft = actions.open_summary(exchange, actor=user)
    item = actions.publish_summary(
        draft,
        actor=user,
        version=payload.version,
        title=payload.title,
        summary=payload.summary,
        body=payload.body,
    )
    return Status(
        201,
        {
            "item": item.pk,
            "url": actions.summary_url(exchange),
            "contributors": item.contributors.count(),
        },
    )
