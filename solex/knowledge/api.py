"""The API for the knowledge library: list, read, contribute, update, vote, review.

Every operation reads items through ``KnowledgeItem.objects.visible_to`` or
``permissions.check_view_item`` (404 for an item the caller may not see) and writes
only through ``actions``. A field an action refuses answers 422 with the field named;
a refusal because of the item's state (already archived) answers 409.
"""

# No "from __future__ import annotations": ninja resolves the annotations of the
# decorated functions at import time.
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Query, Router, Status

from solex.accounts.api_auth import auth_optional, auth_required, caller, signed_in_caller
from solex.accounts.api_refs import person_ref as _person
from solex.communities import queries as community_queries
from solex.core.api.errors import Error, error_response
from solex.core.api.pagination import Page, PageParams, paginate
from solex.core.api.params import ObjectId
from solex.knowledge import actions, kinds, queries
from solex.knowledge import permissions as policy
from solex.knowledge.models import ItemAttachment, KnowledgeItem, UsefulVote
from solex.knowledge.schemas import (
    ItemDetailOut,
    ItemIn,
    ItemOut,
    ItemQuery,
    ItemUpdateIn,
    ItemVersionOut,
    ReviewIn,
    UsefulIn,
    UsefulOut,
)
from solex.taxonomy.models import Topic

router = Router(tags=["knowledge"])


def conflicts[**P](view: Callable[P, Any]) -> Callable[P, Any]:
    """A refusal without a field (the item's state forbids it) answers 409."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
        try:
            return view(*args, **kwargs)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                raise
            errors = [{"loc": ["body"], "msg": str(m), "type": "conflict"} for m in error.messages]
            return error_response(409, " ".join(error.messages), errors)

    return wrapper


def _item(item: KnowledgeItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "kind": item.kind,
        "title": item.title,
        "summary": item.summary,
        "community": item.community.slug,
        "audience": item.audience,
        "status": item.status,
        "language": item.language,
        "countries": list(item.countries or []),
        "regions": list(item.regions or []),
        "topics": [topic.slug for topic in item.topics.all()],
        "version": item.version,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "review_due": item.review_due,
        "last_reviewed_at": item.last_reviewed_at,
        "url": item.get_absolute_url(),
    }


def _attachment(attachment: ItemAttachment) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "name": attachment.name,
        "size": attachment.file.size if attachment.file else None,
        "text_status": attachment.text_status,
        "refusal": attachment.refusal,
        "download_url": (
            reverse("knowledge:attachment-download", args=[attachment.pk])
            if attachment.file
            else None
        ),
    }


def _detail(request: HttpRequest, item: KnowledgeItem) -> dict[str, Any]:
    user = caller(request)
    return {
        **_item(item),
        "body": item.body,
        "body_html": item.body_html,
        "fields": kinds.structured_values(item),
        "contributors": [_person(p) for p in item.contributors.order_by("name", "pk")],
        "owner": _person(item.owner),
        "source_exchange": item.source_exchange_id,
        "view_count": item.view_count,
        "download_count": item.download_count,
        "useful_yes": item.useful_yes,
        "useful_no": item.useful_no,
        "reuse": queries.reuse_of(item).total,
        "attachments": [
            _attachment(a) for a in item.attachments.select_related("file").order_by("pk")
        ],
        "can_edit": policy.can_edit_item(user, item),
        "can_review": policy.can_review_item(user, item),
    }


def _item_for(request: HttpRequest, item_id: int) -> KnowledgeItem:
    item = get_object_or_404(
        KnowledgeItem.objects.select_related("community", "owner", "lesson"), pk=item_id
    )
    policy.check_view_item(caller(request), item)
    return item


def _topics(slugs: list[str]) -> list[Topic]:
    topics = list(Topic.objects.filter(slug__in=slugs))
    if len(topics) != len(set(slugs)):
        raise ValidationError({"topics": "One of the topics does not exist."})
    return topics


@router.get("/", response=Page[ItemOut], auth=auth_optional, summary="List knowledge items")
def list_items(
    request: HttpRequest, filters: Query[ItemQuery], page: Query[PageParams]
) -> dict[str, Any]:
    """The items the caller may read, newest first; an unknown filter value finds nothing."""
    items = queries.library(
        caller(request),
        queries.ItemFilters(
            q=filters.q,
            kind=filters.kind,
            community=filters.community,
            topic=filters.topic,
            country=filters.country,
            language=filters.language,
            audience=filters.audience,
            archived=filters.archived,
        ),
    ).prefetch_related("topics")
    result = paginate(items, page)
    result["items"] = [_item(item) for item in result["items"]]
    return result


@router.post(
    "/",
    response={201: ItemDetailOut, 404: Error, 422: Error},
    auth=auth_required,
    summary="Contribute an item",
)
def create_item(request: HttpRequest, payload: ItemIn) -> Status[dict[str, Any]]:
    """Add an item of one kind to a community's library; ``fields`` holds the kind's fields."""
    user = signed_in_caller(request)
    community = community_queries.community_for(user, payload.community)
    policy.check_contribute(user, community)
    item = actions.contribute(
        community,
        actor=user,
        kind=payload.kind,
        data=actions.ItemInput(
            title=payload.title,
            summary=payload.summary,
            body=payload.body,
            structured=payload.fields,
            methods=[method.dict() for method in payload.methods],
            topics=_topics(payload.topics),
            countries=payload.countries,
            regions=payload.regions,
            language=payload.language,
            audience=payload.audience,
            review_due=payload.review_due,
        ),
    )
    return Status(201, _detail(request, item))


@router.get(
    "/review-queue",
    response=Page[ItemOut],
    auth=auth_required,
    summary="Items due for review",
)
def review_queue(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    """Items past their review date, for knowledge managers, coordinators and the KM team."""
    user = signed_in_caller(request)
    policy.check_see_review_queue(user)
    result = paginate(queries.review_queue(user).prefetch_related("topics"), page)
    result["items"] = [_item(item) for item in result["items"]]
    return result


@router.get("/{item_id}", response=ItemDetailOut, auth=auth_optional, summary="Read an item")
def get_item(request: HttpRequest, item_id: ObjectId) -> dict[str, Any]:
    return _detail(request, _item_for(request, item_id))


@router.patch(
    "/{item_id}",
    response={200: ItemDetailOut, 409: Error, 422: Error},
    auth=auth_required,
    summary="Update an item (a new version)",
)
@conflicts
def update_item(request: HttpRequest, item_id: ObjectId, payload: ItemUpdateIn) -> dict[str, Any]:
    """Change the fields sent; the previous version stays in the item's history."""
    user = signed_in_caller(request)
    item = _item_for(request, item_id)
    policy.check_edit_item(user, item)
    current = kinds.structured_values(item)
    structured = {k: str(v) for k, v in current.items() if k != "methods"}
    structured.update(payload.fields or {})
    methods = (
        [method.dict() for method in payload.methods]
        if payload.methods is not None
        else list(current.get("methods") or [])
    )
    data = actions.ItemInput(
        title=item.title if payload.title is None else payload.title,
        summary=item.summary if payload.summary is None else payload.summary,
        body=item.body if payload.body is None else payload.body,
        structured=structured,
        methods=methods,
        topics=list(item.topics.all()) if payload.topics is None else _topics(payload.topics),
        countries=item.countries if payload.countries is None else payload.countries,
        regions=item.regions if payload.regions is None else payload.regions,
        language=item.language if payload.language is None else payload.language,
        audience=item.audience if payload.audience is None else payload.audience,
        review_due=payload.review_due,
    )
    item = actions.edit_item(item, actor=user, data=data)
    return _detail(request, item)


@router.get(
    "/{item_id}/versions",
    response=list[ItemVersionOut],
    auth=auth_optional,
    summary="An item's earlier versions",
)
def list_versions(request: HttpRequest, item_id: ObjectId) -> list[dict[str, Any]]:
    item = _item_for(request, item_id)
    return [
        {
            "number": version.number,
            "title": version.title,
            "summary": version.summary,
            "body": version.body,
            "fields": version.structured or {},
            "written_by": _person(version.written_by),
            "written_at": version.written_at,
            "replaced_at": version.replaced_at,
        }
        for version in item.versions.select_related("written_by")
    ]


@router.put("/{item_id}/useful", response=UsefulOut, auth=auth_required, summary="Was this useful?")
def vote_useful(request: HttpRequest, item_id: ObjectId, payload: UsefulIn) -> dict[str, Any]:
    """One answer per person; sending another answer replaces it."""
    user = signed_in_caller(request)
    item = actions.vote_useful(_item_for(request, item_id), actor=user, useful=payload.useful)
    mine = UsefulVote.objects.get(item=item, user=user).useful
    return {"useful_yes": item.useful_yes, "useful_no": item.useful_no, "mine": mine}


@router.post(
    "/{item_id}/review",
    response={200: ItemDetailOut, 409: Error, 422: Error},
    auth=auth_required,
    summary="Confirm or archive an item",
)
@conflicts
def review_item(request: HttpRequest, item_id: ObjectId, payload: ReviewIn) -> dict[str, Any]:
    user = signed_in_caller(request)
    item = _item_for(request, item_id)
    if payload.action == "confirm":
        item = actions.confirm_review(item, actor=user, next_review=payload.next_review)
    else:
        item = actions.archive_item(item, actor=user)
    return _detail(request, item)
