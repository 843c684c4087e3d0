"""The quarantine pages: held mail with its reason, headers and raw text; release or delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solex.accounts.models import User
from solex.intake import actions, queries
from solex.intake import permissions as policy
from solex.intake.models import InboundMessage, State
from solex.intake.parsing import decode_bytes, parse

RAW_PREVIEW_BYTES = 100_000
PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _message(request: HttpRequest, message_id: int) -> InboundMessage:
    message = get_object_or_404(
        InboundMessage.objects.select_related("community", "sender"), pk=message_id
    )
    policy.check_handle_message(_user(request), message)
    return message


@login_required
def quarantine(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policy.check_view_quarantine(user)
    state = request.GET.get("state", "")
    listed = queries.held_messages(user, state)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    states = [
        ("", _("Held")),
        *[(value, label) for value, label in State.choices],
        ("all", _("All")),
    ]
    return render(
        request,
        "intake/quarantine.html",
        {"page": page, "state": state, "states": states},
    )


@login_required
def message_detail(request: HttpRequest, message_id: int) -> HttpResponse:
    message = _message(request, message_id)
    raw = message.raw_bytes
    try:
        headers = parse(raw).headers
    except Exception:
        headers = []
    preview = decode_bytes(raw[:RAW_PREVIEW_BYTES], "utf-8")
    return render(
        request,
        "intake/message_detail.html",
        {
            "message": message,
            "headers": headers,
            "raw_preview": preview,
            "truncated": len(raw) > RAW_PREVIEW_BYTES,
            "attachments": message.attachments.defer("data"),
            "can_release": message.state in (State.QUARANTINED, State.IGNORED, State.REPLIED),
        },
    )


@login_required
def message_raw(request: HttpRequest, message_id: int) -> HttpResponse:
    message = _message(request, message_id)
    response = HttpResponse(message.raw_bytes, content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="message-{message.pk}.eml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@login_required
def message_release(request: HttpRequest, message_id: int) -> HttpResponse:
    message = _message(request, message_id)
    try:
        message = actions.release_message(message, actor=_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Processed again: %(state)s.") % {"state": message.get_state_display()},
        )
    return redirect("intake:message-detail", message_id=message.pk)


@require_POST
@login_required
def message_delete(request: HttpRequest, message_id: int) -> HttpResponse:
    message = _message(request, message_id)
    try:
        actions.delete_message(message, actor=_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("intake:message-detail", message_id=message.pk)
    messages.success(request, _("The message was deleted."))
    return redirect("intake:quarantine")
