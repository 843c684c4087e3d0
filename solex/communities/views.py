"""Community pages: thin callers of queries.py and actions.py.

A community the visitor may not see answers 404 whatever the page, so a safe space
never reveals that it exists. Forms keep what people typed when an action refuses.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solex.accounts.models import User
from solex.communities import actions, queries
from solex.communities import permissions as policy
from solex.communities.actions import CommunityFields, CrisisTemplate
from solex.communities.forms import (
    AcceptInvitationForm,
    CharterForm,
    CommunityEditForm,
    CommunityRequestForm,
    CrisisForm,
    DecisionForm,
    DeliveryForm,
    DirectoryFilterForm,
    InviteForm,
    JoinRequestForm,
    RemoveMemberForm,
    RoleForm,
    WithdrawInvitationForm,
)
from solex.communities.models import (
    Community,
    CommunityInvitation,
    CommunityRequest,
    JoinRequest,
    Membership,
    Role,
)
from solex.core.views import is_htmx, show_action_errors

PAGE_SIZE = 30


def _page(request: HttpRequest, items: Any, size: int = PAGE_SIZE) -> Page[Any]:
    return Paginator(items, size).get_page(request.GET.get("page"))


def _user(request: HttpRequest) -> User | AnonymousUser:
    user = request.user
    assert isinstance(user, User | AnonymousUser)
    return user


def _signed_in_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


# --- Directory and community page ------------------------------------------------------------


def community_list(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    filters = queries.DirectoryFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = queries.DirectoryFilters(
            text=data["q"],
            topic=data["topic"],
            scope=data["scope"],
            region=data["region"],
            kind=data["kind"],
        )
    page = _page(request, queries.directory(_user(request), filters))
    context = {"form": form, "page": page, "filtering": filters.active}
    template = (
        "communities/community_list.html#results"
        if is_htmx(request)
        else "communities/community_list.html"
    )
    return render(request, template, context)


def _membership_context(request: HttpRequest, community: Community) -> dict[str, Any]:
    user = _user(request)
    membership = policy.membership_of(user, community)
    pending = (
        isinstance(user, User)
        and membership is None
        and JoinRequest.objects.filter(
            community=community, user=user, status=JoinRequest.Status.PENDING
        ).exists()
    )
    return {
        "community": community,
        "membership": membership,
        "roles": policy.roles_of(user, community),
        "can_join": policy.can_join(user, community),
        "can_request": policy.can_request_to_join(user, community) and not pending,
        "request_pending": pending,
        "can_moderate": policy.can_moderate(user, community),
        "can_manage": policy.can_manage(user, community),
        "can_invite": policy.can_invite(user, community),
        "can_edit": policy.can_edit_community(user, community),
        "delivery_form": DeliveryForm(initial={"delivery": membership.delivery})
        if membership
        else None,
    }


def community_detail(request: HttpRequest, slug: str) -> HttpResponse:
    community = queries.community_for(_user(request), slug)
    context = _membership_context(request, community)
    context["team"] = queries.team(community)
    context["topics"] = list(community.topics.all()[:20])
    context["children"] = list(
        Community.objects.visible_to(_user(request)).filter(parent=community).order_by("name")[:50]
    )
    if community.parent_id is not None:
        context["parent"] = (
            Community.objects.visible_to(_user(request)).filter(pk=community.parent_id).first()
        )
    if context["can_moderate"]:
        context["pending_requests"] = queries.pending_join_requests(community).count()
    # The prompt links to the knowledge library's review form (a higher layer: by URL name).
    context["review_prompt"] = community.is_review_due and policy.can_lead_after_action_review(
        _user(request), community
    )
    return render(request, "communities/community_detail.html", context)


def _after_membership_change(request: HttpRequest, community: Community) -> HttpResponse:
    if is_htmx(request):
        policy.forget_membership(community)
        return render(
            request,
            "communities/community_detail.html#membership",
            _membership_context(request, community),
        )
    return redirect(community)


@require_POST
@login_required
def community_join(request: HttpRequest, slug: str) -> HttpResponse:
    community = queries.community_for(_user(request), slug)
    try:
        actions.join(community, actor=_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Welcome to %(community)s.") % {"community": community.name})
    return _after_membership_change(request, community)


@require_POST
@login_required
def community_leave(request: HttpRequest, slug: str) -> HttpResponse:
    community = queries.community_for(_user(request), slug)
    try:
        actions.leave(community, actor=_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You left %(community)s.") % {"community": community.name})
    if not policy.can_view_community(_user(request), community):
        return redirect("communities:community-list")
    return _after_membership_change(request, community)


@require_POST
@login_required
def membership_delivery(request: HttpRequest, slug: str) -> HttpResponse:
    community = queries.community_for(_user(request), slug)
    form = DeliveryForm(request.POST)
    if form.is_valid():
        try:
            actions.set_delivery_preference(
                community, actor=_user(request), delivery=form.cleaned_data["delivery"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your email delivery is saved."))
    return _after_membership_change(request, community)


@login_required
def community_charter(request: HttpRequest, slug: str) -> HttpResponse:
    community = queries.community_for(_user(request), slug)
    policy.check_manage(_user(request), community)
    # The form gets its own copy: a ModelForm writes what it validates onto its
    # instance, and the action must see the saved values to know what changed.
    form = CharterForm(request.POST or None, instance=Community.objects.get(pk=community.pk))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_charter(community, actor=_user(request), changes=form.cleaned_data)
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("The charter is saved."))
            return redirect(community)
    return render(request, "communities/charter_form.html", {"community": community, "form": form})


@login_required
def community_edit(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    community = queries.community_for(user, slug)
    policy.check_edit_community(user, community)
    form = CommunityEditForm(
        request.POST or None,
        community=community,
        parents=Community.objects.visible_to(user).active().order_by("name"),
        may_change_access=policy.can_manage(user, community),
    )
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        topics = changes.pop("topics")
        try:
            actions.update_community(community, actor=user, changes=changes, topics=topics)
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("The community is saved."))
            return redirect(community)
    return render(
        request, "communities/community_edit.html", {"community": community, "form": form}
    )


# --- Joining by request ---------------------------------------------------------------------


@login_required
def join_request_create(request: HttpRequest, slug: str) -> HttpResponse:
    community = queries.community_for(_user(request), slug)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.request_to_join(community, actor=_user(request), note=form.cleaned_data["note"])
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(
                request, _("Your request is sent: a facilitator will answer by email.")
            )
            return redirect(community)
    return render(
        request, "communities/join_request_form.html", {"community": community, "form": form}
    )


@login_required
def join_request_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = queries.community_for(_user(request), slug)
    policy.check_moderate(_user(request), community)
    page = _page(request, queries.pending_join_requests(community))
    return render(
        request, "communities/join_request_list.html", {"community": community, "page": page}
    )


def _join_request(request: HttpRequest, slug: str, pk: int) -> JoinRequest:
    community = queries.community_for(_user(request), slug)
    policy.check_moderate(_user(request), community)
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("user"), pk=pk, community=community
    )
    join_request.community = community
    return join_request


@require_POST
@login_required
def join_request_approve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    join_request = _join_request(request, slug, pk)
    try:
        actions.approve_join_request(
            join_request, actor=_user(request), reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is now a member.") % {"name": join_request.user})
    return redirect("communities:join-request-list", slug)


@login_required
def join_request_decline(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    join_request = _join_request(request, slug, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.decline_join_request(
                join_request, actor=_user(request), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("The request is declined and the reason sent."))
            return redirect("communities:join-request-list", slug)
    context = {"community": join_request.community, "join_request": join_request, "form": form}
    return render(request, "communities/join_request_decline.html", context)


# --- Members, roles, invitations, audit ---------------------------------------------------------


def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = queries.community_for(_user(request), slug)
    text = request.GET.get("q", "").strip()[:100]
    page = _page(request, queries.members(community, text=text), size=50)
    context = {
        "community": community,
        "page": page,
        "q": text,
        "can_manage": policy.can_manage(_user(request), community) and not community.is_archived,
        "role_form": RoleForm(),
        "roles": [choice for choice in Role.choices if choice[0] != Role.MEMBER],
    }
    return render(request, "communities/member_list.html", context)


def _member(request: HttpRequest, slug: str, user_id: int) -> tuple[Community, User]:
    community = queries.community_for(_user(request), slug)
    policy.check_manage(_user(request), community)
    membership = get_object_or_404(
        Membership.objects.select_related("user"), community=community, user_id=user_id
    )
    return community, membership.user


@require_POST
@login_required
def member_roles(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    community, person = _member(request, slug, user_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role to grant or revoke."))
        return redirect("communities:member-list", slug)
    data = form.cleaned_data
    change = actions.grant_role if data["operation"] == "grant" else actions.revoke_role
    try:
        change(
            community, actor=_user(request), user=person, role=data["role"], reason=data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The roles of %(name)s are updated.") % {"name": person})
    return redirect("communities:member-list", slug)


@require_POST
@login_required
def member_remove(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    community, person = _member(request, slug, user_id)
    form = RemoveMemberForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        actions.remove_member(community, actor=_user(request), user=person, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is no longer a member.") % {"name": person})
    return redirect("communities:member-list", slug)


@login_required
def community_invite(request: HttpRequest, slug: str) -> HttpResponse:
    community = queries.community_for(_user(request), slug)
    policy.check_invite(_user(request), community)
    form = InviteForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = actions.bulk_invite_from_csv(
                community,
                actor=_user(request),
                csv_text=data["csv_text"],
                role=data["role"],
                message=data["message"],
            )
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            if report.invited:
                messages.success(
                    request, _("%(count)d invitations sent.") % {"count": len(report.invited)}
                )
            if not report.errors:
                return redirect("communities:member-list", slug)
    context = {
        "community": community,
        "form": form,
        "report": report,
        "invitations": _page(request, queries.open_invitations(community), size=50),
        "withdraw_form": WithdrawInvitationForm(),
    }
    return render(request, "communities/invite_form.html", context)


@require_POST
@login_required
def invitation_withdraw(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    community = queries.community_for(_user(request), slug)
    policy.check_moderate(_user(request), community)
    invitation = get_object_or_404(CommunityInvitation, pk=invitation_id, community=community)
    invitation.community = community
    form = WithdrawInvitationForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        actions.withdraw_invitation(invitation, actor=_user(request), reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
        )
    return redirect("communities:community-invite", slug)


@login_required
def community_audit(request: HttpRequest, slug: str) -> HttpResponse:
    community = queries.community_for(_user(request), slug)
    policy.check_manage(_user(request), community)
    page = _page(request, queries.audit_log(community), size=50)
    return render(request, "communities/audit_log.html", {"community": community, "page": page})


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Open to anyone holding the link: the signed token is the permission."""
    try:
        invitation = actions.invitation_for_token(token)
    except ValidationError as error:
        return render(
            request, "communities/invitation_invalid.html", {"errors": error.messages}, status=400
        )
    user = _user(request)
    form = AcceptInvitationForm(request.POST or None) if not user.is_authenticated else None
    errors: list[str] = []
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form is not None else {}
        try:
            membership = actions.accept_invitation(
                token,
                actor=user,
                name=data.get("name", ""),
                password=data.get("password", ""),
                language=request.LANGUAGE_CODE,
            )
        except ValidationError as error:
            if form is not None:
                show_action_errors(form, error)
            else:
                errors = error.messages
        else:
            if not user.is_authenticated:
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Welcome to %(community)s.") % {"community": invitation.community.name}
            )
            return redirect(invitation.community)
    login_url = f"{reverse('accounts:login')}?{urlencode({'next': request.path})}"
    context = {"invitation": invitation, "form": form, "errors": errors, "login_url": login_url}
    return render(request, "communities/invitation_accept.html", context)


# --- New communities -------------------------------------------------------------------------------


@login_required
def community_request(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policy.check_request_community(user)
    form = CommunityRequestForm(
        request.POST or None, parents=Community.objects.visible_to(user).active()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = CommunityFields(
            name=data["name"],
            slug=data["slug"],
            purpose=data["purpose"],
            visibility=data["visibility"],
            membership_type=data["membership_type"],
            join_policy=data["join_policy"],
            kind=data["kind"],
            scope=data["scope"],
            parent=data["parent"],
        )
        try:
            community_request = actions.request_community(
                actor=user, fields=fields, reason=data["reason"], topics=data["topics"]
            )
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            if community_request.community is not None:
                messages.success(
                    request, _("Your community is ready: write its charter and invite people.")
                )
                return redirect(community_request.community)
            messages.success(request, _("Your request is sent to the knowledge management team."))
            return redirect("communities:community-list")
    return render(request, "communities/community_request_form.html", {"form": form})


@login_required
def community_request_list(request: HttpRequest) -> HttpResponse:
    policy.check_review_community_requests(_user(request))
    requests = CommunityRequest.objects.select_related("requested_by", "community", "decided_by")
    status = request.GET.get("status", CommunityRequest.Status.PENDING)
    if status in CommunityRequest.Status.values:
        requests = requests.filter(status=status)
    demand = dict(
        CommunityRequest.objects.values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    context = {
        "page": _page(request, requests),
        "status": status,
        "statuses": [
            (value, label, demand.get(value, 0)) for value, label in CommunityRequest.Status.choices
        ],
    }
    return render(request, "communities/community_request_list.html", context)


@require_POST
@login_required
def community_request_approve(request: HttpRequest, pk: int) -> HttpResponse:
    policy.check_review_community_requests(_user(request))
    community_request = get_object_or_404(CommunityRequest, pk=pk)
    try:
        community = actions.approve_community_request(community_request, actor=_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("communities:community-request-list")
    messages.success(request, _("%(community)s is created.") % {"community": community.name})
    return redirect(community)


@login_required
def community_request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    policy.check_review_community_requests(_user(request))
    community_request = get_object_or_404(CommunityRequest, pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.decline_community_request(
                community_request, actor=_user(request), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("The request is declined and the reason sent."))
            return redirect("communities:community-request-list")
    context = {"community_request": community_request, "form": form}
    return render(request, "communities/community_request_decline.html", context)


@login_required
def crisis_launch(request: HttpRequest) -> HttpResponse:
    policy.check_launch_crisis_community(_user(request))
    form = CrisisForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        template = CrisisTemplate(
            name=data["name"],
            slug=data["slug"],
            purpose=data["purpose"],
            ends_on=data["ends_on"],
            visibility=data["visibility"],
            admits_partners=data["admits_partners"],
            languages=data["languages"],
            countries=data["countries"],
            facilitators=data["facilitators"],
            expert_emails=data["expert_emails"],
            mission=data["mission"],
        )
        try:
            community = actions.launch_crisis_community(template, actor=_user(request))
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(
                request, _("%(community)s is launched.") % {"community": community.name}
            )
            return redirect(community)
    return render(request, "communities/crisis_form.html", {"form": form})
