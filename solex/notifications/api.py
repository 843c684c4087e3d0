"""The API for a person's own notifications: list them, mark them read."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from solex.accounts.api_auth import auth_required, signed_in_caller
from solex.core.api.pagination import Page, PageParams, paginate
from solex.core.api.params import ObjectId
from solex.notifications import actions, queries
from solex.notifications.models import Notification
from solex.notifications.schemas import MarkedOut, NotificationOut, NotificationQuery

router = Router(tags=["notifications"])


@router.get(
    "/", response=Page[NotificationOut], auth=auth_required, summary="List your notifications"
)
def list_notifications(
    request: HttpRequest, filters: Query[NotificationQuery], page: Query[PageParams]
) -> dict[str, Any]:
    """The caller's notifications, newest event first."""
    notifications = queries.inbox(signed_in_caller(request))
    if filters.unread:
        notifications = notifications.unread()
    return paginate(notifications, page)


@router.post("/read", response=MarkedOut, auth=auth_required, summary="Mark all read")
def mark_all_read(request: HttpRequest) -> dict[str, int]:
    return {"marked": actions.mark_all_read(actor=signed_in_caller(request))}


@router.post(
    "/{notification_id}/read",
    response=NotificationOut,
    auth=auth_required,
    summary="Mark one read",
)
def mark_read(request: HttpRequest, notification_id: ObjectId) -> Notification:
    """One of the caller's notifications (404 for anyone else's), now read."""
    user = signed_in_caller(request)
    notification = get_object_or_404(queries.inbox(user), pk=notification_id)
    actions.mark_read(notification, actor=user)
    return notification
