"""The API for discussions: list, read, open, invite, post, summarise, close, synthesise.

Every operation fetches its discussion through ``queries.discussion_for`` (404 for
one the caller may not see) and changes things only through ``actions``; a refused
action answers 409 with what to fix.
"""

# No "from __future__ import annotations": ninja resolves the refusals wrapper's
# annotations in this module.
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from solex.accounts.api_auth import auth_optional, auth_required, caller, signed_in_caller
from solex.accounts.api_refs import people_named as _people
from solex.accounts.api_refs import person_ref as _person
from solex.communities import queries as community_queries
from solex.communities.api import refusals
from solex.core.api.errors import Error
from solex.core.api.pagination import Page, PageParams, paginate
from solex.core.api.params import ObjectId
from solex.discussions import actions, queries
from solex.discussions import permissions as policy
from solex.discussions.models import Discussion, Summary, SynthesisDraft
from solex.discussions.schemas import (
    DiscussionDetailOut,
    DiscussionIn,
    DiscussionOut,
    InviteIn,
    PostIn,
    PostOut,
    SummaryDraftOut,
    SummaryIn,
    SummaryOut,
    SynthesisIn,
    SynthesisOut,
    SynthesisPublishedOut,
)
from solex.exchanges.models import Reply
from solex.knowledge.models import KnowledgeItem

router = Router(tags=["discussions"])


def _discussion(discussion: Discussion) -> dict[str, Any]:
    exchange = discussion.exchange
    return {
        "id": exchange.pk,
        "community": exchange.community.slug,
        "title": exchange.title,
        "phase": queries.phase(discussion),
        "opens_at": exchange.opens_at,
        "closes_at": exchange.closes_at,
        "facilitator": _person(discussion.facilitator),
        "post_count": exchange.reply_count,
        "last_activity_at": exchange.last_activity_at,
    }


def _summary(summary: Summary) -> dict[str, Any]:
    return {
        "id": summary.pk,
        "period_start": summary.period_start,
        "period_end": summary.period_end,
        "body": summary.body,
        "body_html": summary.body_html,
        "author": _person(summary.author),
        "created_at": summary.created_at,
    }


def _detail(request: HttpRequest, discussion: Discussion) -> dict[str, Any]:
    user = caller(request)
    draft = SynthesisDraft.objects.filter(discussion=discussion).first()
    return {
        **_discussion(discussion),
        "purpose": discussion.exchange.body,
        "purpose_html": discussion.exchange.body_html,
        "questions": [{"number": q.number, "text": q.text} for q in discussion.questions.all()],
        "invited": [
            _person(invitation.user) for invitation in discussion.invitations.select_related("user")
        ],
        "summaries": [_summary(s) for s in discussion.summaries.select_related("author")],
        "synthesis_item": draft.published_item_id if draft is not None else None,
        "can_post": policy.can_post(user, discussion),
        "can_facilitate": policy.can_facilitate(user, discussion),
    }


def _post(reply: Reply) -> dict[str, Any]:
    hidden = reply.is_hidden
    return {
        "id": reply.pk,
        "author": _person(reply.author),
        "body": "" if hidden else reply.body,
        "body_html": "" if hidden else reply.body_html,
        "question": reply.paragraph,
        "created_at": reply.created_at,
        "is_hidden": hidden,
    }


def _synthesis(draft: SynthesisDraft) -> dict[str, Any]:
    return {
        "title": draft.title,
        "summary": draft.summary,
        "body": draft.body,
        "version": draft.version,
        "updated_by": _person(draft.updated_by),
        "updated_at": draft.updated_at,
        "published_item": draft.published_item_id,
    }


@router.get("/", response=Page[DiscussionOut], auth=auth_optional, summary="List discussions")
def list_discussions(
    request: HttpRequest, page: Query[PageParams], community: str = ""
) -> dict[str, Any]:
    """The discussions the caller may see, most recently active first."""
    found = queries.visible_discussions(caller(request))
    if community:
        found = found.filter(exchange__community__slug=community[:80])
    result = paginate(found, page)
    result["items"] = [_discussion(item) for item in result["items"]]
    return result


@router.post(
    "/",
    response={201: DiscussionDetailOut, 404: Error, 409: Error},
    auth=auth_required,
    summary="Open a discussion",
)
@refusals
def open_discussion(request: HttpRequest, payload: DiscussionIn) -> Status[dict[str, Any]]:
    """Facilitators open a time-boxed discussion; the invited members are notified."""
    user = signed_in_caller(request)
    community = community_queries.community_for(user, payload.community)
    discussion = actions.open_discussion(
        community,
        actor=user,
        title=payload.title,
        purpose=payload.purpose,
        questions=payload.questions,
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
        invited=_people(payload.invited, field="invited"),
    )
    return Status(201, _detail(request, discussion))


@router.get(
    "/{discussion_id}",
    response=DiscussionDetailOut,
    auth=auth_optional,
    summary="Read a discussion",
)
def get_discussion(request: HttpRequest, discussion_id: ObjectId) -> dict[str, Any]:
    return _detail(request, queries.discussion_for(caller(request), discussion_id))


@router.get(
    "/{discussion_id}/posts", response=Page[PostOut], auth=auth_optional, summary="List posts"
)
def list_discussion_posts(
    request: HttpRequest, discussion_id: ObjectId, page: Query[PageParams]
) -> dict[str, Any]:
    discussion = queries.discussion_for(caller(request), discussion_id)
    posts = Reply.objects.filter(exchange_id=discussion.pk).select_related("author")
    result = paginate(posts.order_by("created_at", "pk"), page)
    result["items"] = [_post(item) for item in result["items"]]
    return result


@router.post(
    "/{discussion_id}/posts",
    response={201: PostOut, 409: Error},
    auth=auth_required,
    summary="Post in a discussion",
)
@refusals
def post_in_discussion(
    request: HttpRequest, discussion_id: ObjectId, payload: PostIn
) -> Status[dict[str, Any]]:
    """Members post while the discussion is open, optionally answering a framing question."""
    user = signed_in_caller(request)
    discussion = queries.discussion_for(user, discussion_id)
    reply = actions.post(discussion, actor=user, body=payload.body, question=payload.question)
    return Status(201, _post(reply))


@router.post(
    "/{discussion_id}/invitations",
    response={200: list[str], 409: Error},
    auth=auth_required,
    summary="Invite contributors",
)
@refusals
def invite_to_discussion(
    request: HttpRequest, discussion_id: ObjectId, payload: InviteIn
) -> list[str]:
    """Returns the usernames newly invited (and notified)."""
    user = signed_in_caller(request)
    discussion = queries.discussion_for(user, discussion_id)
    policy.check_facilitate(user, discussion)
    new = actions.invite(discussion, actor=user, people=_people(payload.invited, field="invited"))
    return [person.username for person in new]


@router.get(
    "/{discussion_id}/summary-draft",
    response={200: SummaryDraftOut, 409: Error},
    auth=auth_required,
    summary="Draft the next summary",
)
@refusals
def draft_discussion_summary(request: HttpRequest, discussion_id: ObjectId) -> dict[str, Any]:
    """Facilitators: a first draft of the summary of the posts since the last summary."""
    user = signed_in_caller(request)
    discussion = queries.discussion_for(user, discussion_id)
    start, end, body = actions.draft_summary(discussion, actor=user)
    return {"period_start": start, "period_end": end, "body": body}


@router.post(
    "/{discussion_id}/summaries",
    response={201: SummaryOut, 409: Error},
    auth=auth_required,
    summary="Post a summary",
)
@refusals
def post_discussion_summary(
    request: HttpRequest, discussion_id: ObjectId, payload: SummaryIn
) -> Status[dict[str, Any]]:
    user = signed_in_caller(request)
    discussion = queries.discussion_for(user, discussion_id)
    summary = actions.post_summary(
        discussion,
        actor=user,
        body=payload.body,
        period_start=payload.period_start,
        period_end=payload.period_end,
    )
    return Status(201, _summary(summary))


@router.post(
    "/{discussion_id}/close",
    response={200: SynthesisOut, 409: Error},
    auth=auth_required,
    summary="Close a discussion",
)
@refusals
def close_discussion(request: HttpRequest, discussion_id: ObjectId) -> dict[str, Any]:
    """Facilitators close it; returns the synthesis draft Solex wrote."""
    user = signed_in_caller(request)
    discussion = queries.discussion_for(user, discussion_id)
    return _synthesis(actions.close_discussion(discussion, actor=user))


@router.get(
    "/{discussion_id}/synthesis",
    response={200: SynthesisOut, 409: Error},
    auth=auth_required,
    summary="Read the synthesis draft",
)
@refusals
def get_discussion_synthesis(request: HttpRequest, discussion_id: ObjectId) -> dict[str, Any]:
    user = signed_in_caller(request)
    discussion = queries.discussion_for(user, discussion_id)
    return _synthesis(actions.open_synthesis(discussion, actor=user))


@router.put(
    "/{discussion_id}/synthesis",
    response={200: SynthesisOut, 409: Error},
    auth=auth_required,
    summary="Save the synthesis draft",
)
@refusals
def save_discussion_synthesis(
    request: HttpRequest, discussion_id: ObjectId, payload: SynthesisIn
) -> dict[str, Any]:
    """409 if someone saved a newer version meanwhile: nothing is overwritten."""
    user = signed_in_caller(request)
    discussion = queries.discussion_for(user, discussion_id)
    draft = actions.open_synthesis(discussion, actor=user)
    saved = actions.save_synthesis(
        draft,
        actor=user,
        version=payload.version,
        title=payload.title,
        summary=payload.summary,
        body=payload.body,
    )
    return _synthesis(saved)


@router.post(
    "/{discussion_id}/synthesis/publish",
    response={201: SynthesisPublishedOut, 409: Error},
    auth=auth_required,
    summary="Publish the synthesis",
)
@refusals
def publish_discussion_synthesis(
    request: HttpRequest, discussion_id: ObjectId, payload: SynthesisIn
) -> Status[dict[str, Any]]:
    """Publish to the library as a discussion synthesis and announce it."""
    user = signed_in_caller(request)
    discussion = queries.discussion_for(user, discussion_id)
    draft = actions.open_synthesis(discussion, actor=user)
    item: KnowledgeItem = actions.publish_synthesis(
        draft,
        actor=user,
        version=payload.version,
        title=payload.title,
        summary=payload.summary,
        body=payload.body,
    )
    return Status(
        201,
        {"id": item.pk, "kind": item.kind, "title": item.title, "url": item.get_absolute_url()},
    )
