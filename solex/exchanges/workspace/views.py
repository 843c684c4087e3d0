"""The facilitator's workspace pages: the queue, and welcoming a newcomer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from solex.accounts.models import User
from solex.communities import queries as community_queries
from solex.communities.models import Membership
from solex.exchanges.workspace import actions, queries


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def describe_minutes(minutes: int | None) -> str:
    """A median as a person reads it: minutes, hours or days."""
    if minutes is None:
        return _("not measured yet")
    if minutes < 120:
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    hours = round(minutes / 60)
    if hours < 48:
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    days = round(minutes / (60 * 24))
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    work = queries.queue(user)
    if not work.communities:
        raise PermissionDenied(_("The workspace is for the facilitators of a community."))
    clocks = queries.cached_service_clocks(work.communities)
    context = {
        "queue": work,
        "clocks": clocks,
        "clock_rows": [
            (_("Time to route"), describe_minutes(clocks.to_route)),
            (_("Time to first reply"), describe_minutes(clocks.to_first_reply)),
            (_("Time to consolidated reply"), describe_minutes(clocks.to_consolidated)),
        ],
        "kinds": [(label, work.counts[kind]) for kind, label in work.labels.items()],
        "message_max": actions.MESSAGE_MAX,
    }
    return render(request, "exchanges/workspace/queue.html", context)


@login_required
@require_POST
def member_welcome(request: HttpRequest, slug: str, username: str) -> HttpResponse:
    user = _user(request)
    community = community_queries.community_for(user, slug)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "community"),
        community=community,
        user__username=username,
    )
    try:
        actions.welcome_member(membership, actor=user, message=request.POST.get("message", ""))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request,
            _("You welcomed %(name)s to %(community)s.")
            % {"name": membership.user.name, "community": community.name},
        )
    return redirect("workspace:queue")
