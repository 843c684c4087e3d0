"""Knowledge pages: thin callers of the actions; an item its reader may not see is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from solex.accounts.models import User
from solex.communities import permissions as community_policy
from solex.communities import queries as community_queries
from solex.knowledge import actions
from solex.knowledge.forms import AfterActionReviewForm
from solex.knowledge.models import KnowledgeItem

PAGE_SIZE = 30


def _user(request: HttpRequest) -> User | AnonymousUser:
    user = request.user
    assert isinstance(user, User | AnonymousUser)
    return user


def item_list(request: HttpRequest) -> HttpResponse:
    items = KnowledgeItem.objects.visible_to(_user(request)).select_related("community")
    community_slug = request.GET.get("community", "")[:80]
    community = None
    if community_slug:
        community = community_queries.community_for(_user(request), community_slug)
        items = items.filter(community=community)
    page = Paginator(items.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "knowledge/item_list.html", {"page": page, "community": community})


def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        KnowledgeItem.objects.visible_to(_user(request)).select_related(
            "community", "lesson", "created_by"
        ),
        pk=pk,
    )
    contributors = list(item.contributors.order_by("name"))
    return render(
        request, "knowledge/item_detail.html", {"item": item, "contributors": contributors}
    )


@login_required
def after_action_review(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    community = community_queries.community_for(user, slug)
    try:
        community_policy.check_lead_after_action_review(user, community)
    except ValidationError as error:
        # Not ended yet: say when the review opens instead of showing a form that must fail.
        context = {"community": community, "not_ended": error.messages}
        return render(request, "knowledge/after_action_review_form.html", context)
    members = User.objects.filter(memberships__community=community, is_active=True).order_by(
        "name", "pk"
    )
    form = AfterActionReviewForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        review = actions.AfterActionReview(
            title=data["title"],
            summary=data["summary"],
            context=data["context"],
            what_worked=data["what_worked"],
            what_did_not_work=data["what_did_not_work"],
            why=data["why"],
            recommendation=data["recommendation"],
            evidence=data["evidence"],
            body=data["body"],
        )
        try:
            item = actions.record_after_action_review(
                community, actor=user, review=review, contributors=data["contributors"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, _("The lesson is recorded. Thank you for the review."))
            return redirect(item)
    context = {"community": community, "form": form}
    return render(request, "knowledge/after_action_review_form.html", context)
