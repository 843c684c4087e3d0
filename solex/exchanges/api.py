"""The API for exchanges: list, read, ask, reply, attach files, mark helpful, route, close.

Every operation fetches its exchange through ``queries.exchange_for`` (404 for one the
caller may not see, such as a safe space's query or someone else's direct-connect
request) and changes things only through ``actions``; a refused action answers 409.
"""

# No "from __future__ import annotations": the refusals decorator comes from another
# module, and ninja resolves string annotations in the wrapper's module, not this one.
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, FileEx, Form, P, Query, Router, Status, UploadedFile
from pydantic.json_schema import SkipJsonSchema

from solex.accounts.api_auth import auth_optional, auth_required, caller, signed_in_caller
from solex.accounts.api_refs import person_ref as _person
from solex.accounts.models import User
from solex.communities import queries as community_queries
from solex.communities.api import refusals
from solex.core import files
from solex.core.api.errors import Error
from solex.core.api.pagination import MAX_LIMIT, MAX_OFFSET, Page, PageParams, paginate
from solex.core.api.params import MAX_ID, ObjectId
from solex.exchanges import actions, queries, routing
from solex.exchanges import permissions as policy
from solex.exchanges.models import Attachment, Exchange, ExpertRequest, Reply
from solex.exchanges.schemas import (
    AskIn,
    AttachmentOut,
    ExchangeCloseIn,
    ExchangeDetailOut,
    ExchangePage,
    ExchangeQuery,
    ExpertRequestOut,
    ReplyIn,
    ReplyOut,
    RouteIn,
    SuggestionOut,
)
from solex.taxonomy.models import Topic

# Multipart has no null: a reply's id, or no ``reply`` part at all for the query itself.
ReplyRef = Annotated[
    int, Field(ge=1, le=MAX_ID, description="A reply's id; leave it out to attach to the query.")
]

router = Router(tags=["exchanges"])


def _exchange(exchange: Exchange) -> dict[str, Any]:
    return {
        "id": exchange.pk,
        "community": exchange.community.slug,
        "kind": exchange.kind,
        "title": exchange.title,
        "status": exchange.status,
        "author": None if exchange.is_anonymous else _person(exchange.author),
        "reply_count": exchange.reply_count,
        "is_direct_connect": exchange.is_direct_connect,
        "created_at": exchange.created_at,
        "last_activity_at": exchange.last_activity_at,
    }


def _detail(request: HttpRequest, exchange: Exchange) -> dict[str, Any]:
    user = caller(request)
    return {
        **_exchange(exchange),
        "body": exchange.body,
        "body_html": exchange.body_html,
        "context": exchange.context,
        "country": exchange.country,
        "topics": [topic.slug for topic in exchange.topics.all()],
        "needed_by": exchange.needed_by,
        "close_reason": exchange.close_reason,
        "close_note": exchange.close_note,
        "moved_to": exchange.moved_to_id,
        "is_locked": exchange.is_locked,
        "locked_reason": exchange.locked_reason,
        "routed_at": exchange.routed_at,
        "first_reply_at": exchange.first_reply_at,
        "can_reply": policy.can_reply(user, exchange),
        "can_triage": policy.can_triage(user, exchange),
        "attachments": [
            _attachment(a) for a in queries.attachments_by_reply(exchange).get(None, [])
        ],
    }


def _attachment(attachment: Attachment) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "reply": attachment.reply_id,
        "name": attachment.file.original_name,
        "content_type": attachment.file.content_type,
        "size": attachment.file.size,
        "url": reverse("api:download_attachment", args=[attachment.pk]),
        "created_at": attachment.created_at,
    }


def _reply(reply: Reply, attachments: list[Attachment] | None = None) -> dict[str, Any]:
    hidden = reply.is_hidden
    exchange = reply.exchange
    # An anonymised asker stays anonymous in their own later replies.
    anonymous = exchange.is_anonymous and reply.author_id == exchange.author_id
    if attachments is None:
        attachments = list(reply.attachments.select_related("file"))
    return {
        "id": reply.pk,
        "exchange": reply.exchange_id,
        "author": None if anonymous else _person(reply.author),
        "attachments": [] if hidden else [_attachment(a) for a in attachments],
        # A hidden reply keeps its place and its reason, not its words.
        "body": "" if hidden else reply.body,
        "body_html": "" if hidden else reply.body_html,
        "parent": reply.parent_id,
        "paragraph": reply.paragraph,
        "created_at": reply.created_at,
        "edited_at": reply.edited_at,
        "helpful_count": reply.helpful_count,
        "is_hidden": hidden,
        "hidden_reason": reply.hidden_reason,
    }


def _request(item: ExpertRequest) -> dict[str, Any]:
    return {
        "expert": _person(item.expert),
        "reason": item.reason,
        "requested_at": item.requested_at,
        "answered_at": item.answered_at,
    }


def _reply_for(request: HttpRequest, reply_id: int) -> Reply:
    reply = get_object_or_404(Reply.objects.select_related("author"), pk=reply_id)
    reply.exchange = queries.exchange_for(caller(request), reply.exchange_id)
    return reply


@router.get("/", response=ExchangePage, auth=auth_optional, summary="List exchanges")
def list_exchanges(
    request: HttpRequest, filters: Query[ExchangeQuery], page: Query[PageParams]
) -> dict[str, Any]:
    """The exchanges the caller may see, most recently active first, filtered.

    ``count`` stops at the deepest page a client can reach (offset 10,000 + limit 100):
    counting a million-post network's every exchange on each page costs more than
    the page, and no client can page past it anyway.
    """
    user = caller(request)
    exchanges = queries.visible_exchanges(
        user,
        queries.ExchangeFilters(kind=filters.kind, status=filters.status, topic=filters.topic),
    )
    if filters.community:
        exchanges = exchanges.filter(community__slug=filters.community)
    cap = MAX_OFFSET + MAX_LIMIT
    count = exchanges.order_by().values("pk")[: cap + 1].count()
    items = exchanges[page.offset : page.offset + page.limit]
    return {
        "count": min(count, cap),
        "count_is_exact": count <= cap,
        "limit": page.limit,
        "offset": page.offset,
        "items": [_exchange(item) for item in items],
    }


@router.post(
    "/",
    # 404: no community the caller may see has the address given in the body.
    response={201: ExchangeDetailOut, 404: Error, 409: Error},
    auth=auth_required,
    summary="Ask a question",
)
@refusals
def ask(request: HttpRequest, payload: AskIn) -> Status[dict[str, Any]]:
    """Ask a community (a query), or its facilitators privately with ``direct_connect``."""
    user = signed_in_caller(request)
    community = community_queries.community_for(user, payload.community)
    topics = list(Topic.objects.filter(slug__in=payload.topics))
    if len(topics) != len(set(payload.topics)):
        raise ValidationError({"topics": "One of the topics does not exist."})
    exchange = actions.ask_query(
        community,
        actor=user,
        title=payload.title,
        body=payload.body,
        context=payload.context,
        country=payload.country,
        needed_by=payload.needed_by,
        topics=topics,
        direct_connect=payload.direct_connect,
    )
    return Status(201, _detail(request, exchange))


@router.get(
    "/{exchange_id}", response=ExchangeDetailOut, auth=auth_optional, summary="Read an exchange"
)
def get_exchange(request: HttpRequest, exchange_id: ObjectId) -> dict[str, Any]:
    return _detail(request, queries.exchange_for(caller(request), exchange_id))


@router.get(
    "/{exchange_id}/replies", response=Page[ReplyOut], auth=auth_optional, summary="List replies"
)
def list_replies(
    request: HttpRequest, exchange_id: ObjectId, page: Query[PageParams]
) -> dict[str, Any]:
    """Every reply in order, hidden ones with their reason instead of their text."""
    exchange = queries.exchange_for(caller(request), exchange_id)
    result = paginate(queries.replies_of(exchange), page)
    by_reply = queries.attachments_by_reply(exchange)
    for item in result["items"]:
        item.exchange = exchange
    result["items"] = [_reply(item, by_reply.get(item.pk, [])) for item in result["items"]]
    return result


@router.post(
    "/{exchange_id}/replies",
    response={201: ReplyOut, 409: Error},
    auth=auth_required,
    summary="Reply",
)
@refusals
def post_reply(
    request: HttpRequest, exchange_id: ObjectId, payload: ReplyIn
) -> Status[dict[str, Any]]:
    user = signed_in_caller(request)
    exchange = queries.exchange_for(user, exchange_id)
    parent = None
    if payload.parent is not None:
        parent = exchange.replies.filter(pk=payload.parent).first()
        if parent is None:
            raise ValidationError({"parent": "No reply with this id in this exchange."})
    reply = actions.post_reply(
        exchange, actor=user, body=payload.body, parent=parent, paragraph=payload.paragraph
    )
    return Status(201, _reply(reply))


@router.post(
    "/replies/{reply_id}/helpful",
    response={200: ReplyOut, 409: Error},
    auth=auth_required,
    summary="Mark a reply helpful",
)
@refusals
def mark_helpful(request: HttpRequest, reply_id: ObjectId) -> dict[str, Any]:
    """The asker and facilitators only; marking twice counts once."""
    reply = _reply_for(request, reply_id)
    return _reply(actions.mark_helpful(reply, actor=signed_in_caller(request)))


@router.delete(
    "/replies/{reply_id}/helpful",
    response={200: ReplyOut, 409: Error},
    auth=auth_required,
    summary="Take back a helpful mark",
)
@refusals
def unmark_helpful(request: HttpRequest, reply_id: ObjectId) -> dict[str, Any]:
    reply = _reply_for(request, reply_id)
    return _reply(actions.unmark_helpful(reply, actor=signed_in_caller(request)))


@router.get(
    "/{exchange_id}/suggestions",
    response={200: list[SuggestionOut], 409: Error},
    auth=auth_required,
    summary="Suggest experts",
)
@refusals
def suggest_experts(request: HttpRequest, exchange_id: ObjectId) -> list[dict[str, Any]]:
    """Facilitators: the members best placed to answer a query, with the reasons."""
    user = signed_in_caller(request)
    exchange = queries.exchange_for(user, exchange_id)
    policy.check_route(user, exchange)
    return [
        {"person": _person(item.person), "score": item.score, "reasons": item.reasons}
        for item in routing.suggest_experts(exchange)
    ]


@router.post(
    "/{exchange_id}/route",
    response={200: list[ExpertRequestOut], 409: Error},
    auth=auth_required,
    summary="Ask experts",
)
@refusals
def route(request: HttpRequest, exchange_id: ObjectId, payload: RouteIn) -> list[dict[str, Any]]:
    """Facilitators ask members directly; returns the requests this call made."""
    user = signed_in_caller(request)
    exchange = queries.exchange_for(user, exchange_id)
    policy.check_route(user, exchange)
    experts = list(User.objects.filter(username__in=payload.experts, is_active=True))
    unknown = sorted(set(payload.experts) - {expert.username for expert in experts})
    if unknown:
        raise ValidationError({"experts": f"Nobody is called: {', '.join(unknown)}."})
    reasons = {expert.pk: payload.reasons.get(expert.username, "") for expert in experts}
    made = actions.route_query(exchange, actor=user, experts=experts, reasons=reasons)
    return [_request(item) for item in made]


@router.post(
    "/{exchange_id}/release",
    response={200: ExchangeDetailOut, 409: Error},
    auth=auth_required,
    summary="Release a query from triage",
)
@refusals
def release(request: HttpRequest, exchange_id: ObjectId) -> dict[str, Any]:
    user = signed_in_caller(request)
    exchange = queries.exchange_for(user, exchange_id)
    return _detail(request, actions.release_query(exchange, actor=user))


@router.post(
    "/{exchange_id}/close",
    response={200: ExchangeDetailOut, 409: Error},
    auth=auth_required,
    summary="Close an exchange",
)
@refusals
def close(request: HttpRequest, exchange_id: ObjectId, payload: ExchangeCloseIn) -> dict[str, Any]:
    """Facilitators close with a reason; the asker may withdraw."""
    user = signed_in_caller(request)
    exchange = queries.exchange_for(user, exchange_id)
    moved_to = None
    if payload.moved_to is not None:
        moved_to = Exchange.objects.visible_to(user).filter(pk=payload.moved_to).first()
        if moved_to is None:
            raise ValidationError({"moved_to": "No exchange with this id."})
    actions.close_exchange(
        exchange, actor=user, reason=payload.reason, note=payload.note, moved_to=moved_to
    )
    return _detail(request, exchange)


@router.post(
    "/{exchange_id}/attachments",
    response={201: list[AttachmentOut], 409: Error},
    auth=auth_required,
    summary="Attach files",
)
@refusals
def attach(
    request: HttpRequest,
    exchange_id: ObjectId,
    upload: FileEx[
        list[UploadedFile] | SkipJsonSchema[None],
        P(description="One or more files; sending none is refused with 409 and the reason."),
    ] = None,
    reply: Form[ReplyRef | SkipJsonSchema[None]] = None,
) -> Status[list[dict[str, Any]]]:
    """Attach files (multipart, field ``upload``) to the query, or to one of its replies.

    Each file is checked by its content; a refused file (type, size, a name that does
    not match the content) refuses them all with 409 and the reason.
    """
    user = signed_in_caller(request)
    exchange = queries.exchange_for(user, exchange_id)
    target = None
    if reply is not None:
        target = exchange.replies.filter(pk=reply).first()
        if target is None:
            raise ValidationError({"reply": "No reply with this id in this exchange."})
        target.exchange = exchange
    attached = actions.attach_files(exchange, actor=user, uploads=list(upload or []), reply=target)
    return Status(201, [_attachment(item) for item in attached])


@router.get(
    "/attachments/{attachment_id}",
    response={200: None},
    auth=auth_optional,
    summary="Download an attached file",
)
def download_attachment(request: HttpRequest, attachment_id: ObjectId) -> FileResponse:
    """The file, as a download with safe headers (404 for anyone who may not see it)."""
    return files.file_response(queries.attachment_for(caller(request), attachment_id).file)
