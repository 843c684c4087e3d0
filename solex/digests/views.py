"""Email pages: one-click unsubscribe (no login), delivery settings, re-enabling, the top 5.

The unsubscribe page is authenticated by its signed token, not a session: GET shows
what the link will stop and a button; POST stops it. Mail clients send the RFC 8058
one-click POST (``List-Unsubscribe=One-Click``) without cookies or CSRF token, so the
view is exempt from CSRF; the token is what proves the request is genuine.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from solex.accounts.models import User
from solex.communities import permissions as policy
from solex.communities.models import Community
from solex.communities.queries import community_for
from solex.core.views import show_action_errors
from solex.digests import actions, queries
from solex.digests.forms import PreferencesForm, TopFiveForm, candidate_rows
from solex.mail.bounces import stopped_notice
from solex.mail.tokens import read_unsubscribe_token


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, key: str) -> HttpResponse:
    target = read_unsubscribe_token(key)
    if target is None:
        return render(request, "digests/unsubscribe_invalid.html", status=400)
    person = User.objects.filter(pk=target.user_id, is_active=True).first()
    if person is None:
        return render(request, "digests/unsubscribe_invalid.html", status=400)
    community = (
        Community.objects.filter(pk=target.community_id).first() if target.community_id else None
    )
    if request.method == "POST":
        done = actions.unsubscribe(target)
        return render(
            request,
            "digests/unsubscribe_done.html",
            {"community": community, "changed": bool(done and done.changed), "key": key},
        )
    return render(request, "digests/unsubscribe_confirm.html", {"community": community, "key": key})


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    memberships = list(queries.memberships(user))
    settings_row = queries.mail_settings(user)
    form = PreferencesForm(request.POST or None, memberships=memberships, settings_row=settings_row)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_preferences(
                user,
                paused=form.cleaned_data["paused"],
                default_delivery=form.cleaned_data["default_delivery"],
                deliveries=form.deliveries(),
            )
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("Your email settings are saved."))
            return redirect("digests:preferences")
    return render(
        request,
        "digests/preferences.html",
        {"form": form, "stopped": stopped_notice(user), "has_memberships": bool(memberships)},
    )


@login_required
@require_POST
def reenable(request: HttpRequest) -> HttpResponse:
    if actions.reenable(_user(request)):
        messages.success(request, _("Email is on again. We will tell you if it bounces again."))
    return redirect("digests:preferences")


@login_required
def top_five(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    community = community_for(user, slug)
    if not policy.can_moderate(user, community):
        raise PermissionDenied(_("Only the community's facilitators and coordinators may do this."))
    candidates = queries.top_five_candidates(community)
    form = TopFiveForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            sent = actions.send_top_five(
                community, actor=user, intro=form.cleaned_data["intro"], items=form.picked()
            )
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(
                request,
                _("This week's top 5 is on its way to %(count)d members.")
                % {"count": sent.recipients},
            )
            return redirect("digests:top-five", slug=community.slug)
    return render(
        request,
        "digests/top_five_form.html",
        {"community": community, "form": form, "rows": candidate_rows(form)},
    )
