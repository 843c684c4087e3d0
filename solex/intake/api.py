"""The quarantine API: list held mail, read one message (headers, raw), release, delete.

Site admins see every message, moderators their communities' mail (``queries``); a
message the caller may not handle is a 404.
"""

# No "from __future__ import annotations": ninja resolves the refusals wrapper's annotations.
import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from solex.accounts.api_auth import auth_required, signed_in_caller
from solex.communities.api import refusals
from solex.core.api.errors import Error
from solex.core.api.pagination import Page, PageParams, paginate
from solex.intake import actions, queries
from solex.intake import permissions as policy
from solex.intake.models import InboundMessage
from solex.intake.parsing import decode_bytes, parse

router = Router(tags=["intake"])

RAW_LIMIT = 1_000_000


class MessageOut(Schema):
    id: int
    received_at: datetime.datetime
    state: str
    reason: str
    mail_from: str
    recipients: list[str]
    from_address: str
    subject: str
    community: str | None
    exchange: int | None
    reply: int | None


class HeaderOut(Schema):
    name: str
    value: str


class MessageDetailOut(MessageOut):
    headers: list[HeaderOut]
    raw: str = Field(description="The raw message as text (the first megabyte).")
    raw_truncated: bool


class QuarantineQuery(Schema):
    state: str = Field(
        "", description="Empty: the quarantine; a state (received, posted, ...) or 'all'."
    )


def _out(message: InboundMessage) -> dict[str, Any]:
    return {
        "id": message.pk,
        "received_at": message.received_at,
        "state": message.state,
        "reason": message.reason,
        "mail_from": message.mail_from,
        "recipients": list(message.recipients),
        "from_address": message.from_address,
        "subject": message.subject,
        "community": message.community.slug if message.community else None,
        "exchange": message.exchange_id,
        "reply": message.reply_id,
    }


def _message(request: HttpRequest, message_id: int) -> InboundMessage:
    message = get_object_or_404(InboundMessage.objects.select_related("community"), pk=message_id)
    policy.check_handle_message(signed_in_caller(request), message)
    return message


@router.get("/", response=Page[MessageOut], auth=auth_required, summary="List held mail")
def list_messages(
    request: HttpRequest, filters: Query[QuarantineQuery], page: Query[PageParams]
) -> dict[str, Any]:
    """Held mail the caller may handle, newest first (403 for people who moderate nothing)."""
    user = signed_in_caller(request)
    policy.check_view_quarantine(user)
    result = paginate(queries.held_messages(user, filters.state), page)
    result["items"] = [_out(item) for item in result["items"]]
    return result


@router.get(
    "/{message_id}",
    response={200: MessageDetailOut, 404: Error},
    auth=auth_required,
    summary="Read one inbound message",
)
def get_message(request: HttpRequest, message_id: int) -> dict[str, Any]:
    message = _message(request, message_id)
    raw = message.raw_bytes
    try:
        headers = parse(raw).headers
    except Exception:
        headers = []
    return {
        **_out(message),
        "headers": [{"name": name, "value": value} for name, value in headers],
        "raw": decode_bytes(raw[:RAW_LIMIT], "utf-8"),
        "raw_truncated": len(raw) > RAW_LIMIT,
    }


@router.post(
    "/{message_id}/release",
    response={200: MessageOut, 404: Error, 409: Error},
    auth=auth_required,
    summary="Process a held message again",
)
@refusals
def release_message(request: HttpRequest, message_id: int) -> dict[str, Any]:
    message = actions.release_message(
        _message(request, message_id), actor=signed_in_caller(request)
    )
    return _out(message)


@router.delete(
    "/{message_id}",
    response={204: None, 404: Error, 409: Error},
    auth=auth_required,
    summary="Delete an inbound message",
)
@refusals
def delete_message(request: HttpRequest, message_id: int) -> Status[None]:
    actions.delete_message(_message(request, message_id), actor=signed_in_caller(request))
    return Status(204, None)
