"""The inbox: a person's notifications, newest first, marked read one by one or all at once.

Everything is a plain form post, so it works without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from solex.accounts.models import User
from solex.notifications import actions, queries

PAGE_SIZE = 30


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    page = Paginator(queries.inbox(user).select_related("actor"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    unread = sum(1 for notification in page if notification.is_unread)
    return render(request, "notifications/inbox.html", {"page": page, "unread_on_page": unread})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one read; with ``open`` set, go on to what it is about."""
    user = _user(request)
    notification = get_object_or_404(queries.inbox(user), pk=pk)
    actions.mark_read(notification, actor=user)
    target = notification.target_url
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = actions.mark_all_read(actor=_user(request))
    messages.success(
        request,
        ngettext(
            "Marked %(count)d notification read.", "Marked %(count)d notifications read.", count
        )
        % {"count": count},
    )
    return redirect("notifications:inbox")
