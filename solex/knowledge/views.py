"""Knowledge pages: thin callers of the actions; an item its reader may not see is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from solex.accounts.models import User
from solex.communities import permissions as community_policy
from solex.communities import queries as community_queries
from solex.core.views import show_action_errors
from solex.knowledge import actions, kinds, queries
from solex.knowledge import permissions as policy
from solex.knowledge.forms import (
    AfterActionReviewForm,
    HandoverForm,
    ItemForm,
    LibraryFilterForm,
    PortalSearchForm,
    ReviewForm,
    UsefulForm,
    item_initial,
    method_suggestions,
)
from solex.knowledge.models import (
    Handover,
    ItemAttachment,
    ItemVersion,
    KnowledgeItem,
    UsefulVote,
)

PAGE_SIZE = 30


def _user(request: HttpRequest) -> User | AnonymousUser:
    user = request.user
    assert isinstance(user, User | AnonymousUser)
    return user


def _filters(data: dict[str, Any]) -> queries.ItemFilters:
    return queries.ItemFilters(
        q=str(data.get("q") or ""),
        kind=str(data.get("kind") or ""),
        community=str(data.get("community") or "")[:80],
        topic=str(data.get("topic") or "")[:140],
        country=str(data.get("country") or ""),
        language=str(data.get("language") or ""),
        audience=str(data.get("audience") or ""),
    )


def item_list(request: HttpRequest) -> HttpResponse:
    """The library: every item the reader may see, filtered; unknown filter values find nothing."""
    user = _user(request)
    form = LibraryFilterForm(request.GET or None)
    # An unknown value (a kind or topic that does not exist) is kept as typed: it finds nothing.
    data = form.cleaned_data if form.is_valid() else request.GET.dict()
    community = None
    community_slug = request.GET.get("community", "")[:80]
    if community_slug:
        community = community_queries.community_for(user, community_slug)
    items = queries.library(user, _filters(data))
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "community": community,
        "form": form,
        "can_contribute": community is not None and policy.can_contribute(user, community),
        "contribute_in": queries.communities_to_contribute(user) if community is None else [],
        "can_review": policy.can_see_review_queue(user),
    }
    return render(request, "knowledge/item_list.html", context)


def _item_for(user: User | AnonymousUser, pk: int) -> KnowledgeItem:
    item = get_object_or_404(
        KnowledgeItem.objects.select_related(
            "community", "lesson", "created_by", "owner", "last_reviewed_by", "source_exchange"
        ),
        pk=pk,
    )
    policy.check_view_item(user, item)
    return item


def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = _item_for(user, pk)
    if item.kind == KnowledgeItem.Kind.CONSOLIDATED_REPLY:
        return redirect(item)
    actions.record_view(item)
    vote = (
        UsefulVote.objects.filter(item=item, user=user).first() if isinstance(user, User) else None
    )
    context = {
        "item": item,
        "spec": kinds.spec_for(item.kind),
        "rows": kinds.rows(item),
        "methods": kinds.structured_values(item).get("methods") or [],
        "contributors": list(item.contributors.order_by("name")),
        "topics": list(item.topics.all()),
        "related": queries.related_items(user, item),
        "reuse": queries.reuse_of(item),
        "vote": vote,
        "overdue": queries.is_overdue(item),
        "can_edit": policy.can_edit_item(user, item),
        "can_review": policy.can_review_item(user, item),
        "can_vote": policy.can_vote_useful(user, item),
        "attachments": _attachments(item),
        "canonical": request.build_absolute_uri(item.get_absolute_url()),
        "version_count": item.versions.count(),
    }
    return render(request, "knowledge/item_detail.html", context)


def _attachments(item: KnowledgeItem) -> list[Any]:
    return list(item.attachments.select_related("file").order_by("pk"))


def attachment_download(request: HttpRequest, knowledge_attachment_id: int) -> HttpResponseBase:
    user = _user(request)
    attachment = get_object_or_404(
        ItemAttachment.objects.select_related("item__community", "file"),
        pk=knowledge_attachment_id,
    )
    try:
        return actions.download_attachment(attachment, actor=user)
    except ValidationError as error:
        raise Http404(" ".join(error.messages)) from error


# --- Contributing and editing ---------------------------------------------------------


def _members(community: Any) -> Any:
    return User.objects.filter(memberships__community=community, is_active=True).order_by(
        "name", "pk"
    )


@login_required
def contribute_choose(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    community = community_queries.community_for(user, slug)
    policy.check_contribute(user, community)
    choices = [kinds.SPECS[kind] for kind in kinds.CONTRIBUTED]
    return render(
        request, "knowledge/contribute_choose.html", {"community": community, "choices": choices}
    )


@login_required
def contribute(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    user = _user(request)
    community = community_queries.community_for(user, slug)
    try:
        policy.check_contribute(user, community)
    except ValidationError as error:
        raise PermissionDenied(" ".join(error.messages)) from error
    if kind not in kinds.CONTRIBUTED:
        raise Http404(_("There is no such kind of item to contribute."))
    spec = kinds.SPECS[kind]
    initial = method_suggestions() if spec.has_methods else {}
    form = ItemForm(
        request.POST or None,
        request.FILES or None,
        kind=kind,
        community=community,
        members=_members(community),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = actions.contribute(community, actor=user, kind=kind, data=form.to_input())
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            assert isinstance(user, User)
            _attach(request, item, user, form)
            messages.success(request, _("Thank you: the item is in the library."))
            return redirect(item)
    context = {"community": community, "form": form, "spec": spec}
    return render(request, "knowledge/contribute_form.html", context)


def _attach(request: HttpRequest, item: KnowledgeItem, user: User, form: ItemForm) -> None:
    """Attach the uploaded file, if any; a refused file never loses the item."""
    upload = form.cleaned_data.get("attachment")
    if not upload:
        return
    attachment = actions.attach_file(item, actor=user, upload=upload)
    if attachment.refusal:
        messages.warning(
            request,
            _("The item is saved, but its attachment was not: %(reason)s")
            % {"reason": attachment.refusal},
        )


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = _item_for(user, pk)
    try:
        policy.check_edit_item(user, item)
    except ValidationError as error:
        raise PermissionDenied(" ".join(error.messages)) from error
    form = ItemForm(
        request.POST or None,
        request.FILES or None,
        kind=item.kind,
        community=item.community,
        initial=item_initial(item),
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = actions.edit_item(item, actor=user, data=form.to_input())
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            assert isinstance(user, User)
            _attach(request, item, user, form)
            messages.success(request, _("Saved: the previous version is kept in the history."))
            return redirect(item)
    context = {"item": item, "form": form, "spec": kinds.spec_for(item.kind)}
    return render(request, "knowledge/item_edit.html", context)


def item_versions(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(_user(request), pk)
    versions = list(item.versions.select_related("written_by", "replaced_by"))
    return render(request, "knowledge/item_versions.html", {"item": item, "versions": versions})


def item_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    item = _item_for(_user(request), pk)
    version = get_object_or_404(
        ItemVersion.objects.select_related("written_by"), item=item, number=number
    )
    spec = kinds.spec_for(item.kind)
    values = version.structured or {}
    rows = (
        [
            (field, str(values.get(field.name, "")))
            for field in spec.fields
            if values.get(field.name)
        ]
        if spec
        else []
    )
    context = {
        "item": item,
        "version": version,
        "rows": rows,
        "methods": values.get("methods") or [],
    }
    return render(request, "knowledge/item_version.html", context)


@login_required
@require_POST
def item_useful(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = _item_for(user, pk)
    form = UsefulForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Answer yes or no."))
        return redirect(item)
    actions.vote_useful(item, actor=user, useful=form.cleaned_data["useful"] == "yes")
    messages.success(request, _("Thank you for saying."))
    return redirect(item)


@login_required
@require_POST
def item_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = _item_for(user, pk)
    policy.check_review_item(user, item)
    form = ReviewForm(request.POST)
    back = request.POST.get("next") == "queue"
    if not form.is_valid():
        messages.error(request, _("Choose to confirm or archive the item."))
        return redirect(item)
    try:
        if form.cleaned_data["action"] == "confirm":
            actions.confirm_review(item, actor=user, next_review=form.cleaned_data["next_review"])
            messages.success(
                request, _("Confirmed: “%(title)s” is fresh again.") % {"title": item.title}
            )
        else:
            actions.archive_item(item, actor=user)
            messages.success(request, _("Archived: “%(title)s”.") % {"title": item.title})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("knowledge:review-queue" if back else item.get_absolute_url())


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policy.check_see_review_queue(user)
    page = Paginator(queries.review_queue(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "knowledge/review_queue.html", {"page": page})


# --- The public portal ------------------------------------------------------------------------


def portal(request: HttpRequest) -> HttpResponse:
    """Public items, browsable and searchable without logging in."""
    form = PortalSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else request.GET.dict()
    items = queries.portal(_filters(data))
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": form,
        "canonical": request.build_absolute_uri(reverse("knowledge:portal")),
        "feed_url": request.build_absolute_uri(reverse("knowledge:portal-feed")),
    }
    return render(request, "knowledge/portal.html", context)


class PortalFeed(Feed[KnowledgeItem, None]):
    """The latest public items as Atom: only what the portal shows."""

    feed_type = Atom1Feed
    title = gettext_lazy("Solex public knowledge")
    subtitle = gettext_lazy("Lessons, good practices and publications shared by Solex communities.")

    def link(self) -> str:
        return reverse("knowledge:portal")

    def items(self) -> list[KnowledgeItem]:
        return list(
            KnowledgeItem.objects.public()
            .select_related("community")
            .order_by("-created_at", "-pk")[:50]
        )

    def item_title(self, item: KnowledgeItem) -> str:
        return item.title

    def item_description(self, item: KnowledgeItem) -> str:
        return item.summary

    def item_link(self, item: KnowledgeItem) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: KnowledgeItem) -> Any:
        return item.created_at

    def item_updateddate(self, item: KnowledgeItem) -> Any:
        return item.updated_at or item.created_at

    def item_categories(self, item: KnowledgeItem) -> list[str]:
        return [str(item.get_kind_display())]


portal_feed = PortalFeed()


# --- Handovers ---------------------------------------------------------------------------------


@login_required
def handover_create(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    community = community_queries.community_for(user, slug)
    try:
        policy.check_start_handover(user, community)
    except ValidationError as error:
        raise PermissionDenied(" ".join(error.messages)) from error
    members = _members(community).exclude(pk=user.pk)
    form = HandoverForm(request.POST or None, members=members, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            handover = actions.start_handover(
                community,
                actor=user,
                successor=form.cleaned_data["successor"],
                data=form.to_input(),
            )
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(
                request, _("Your successor is told: review the handover together, then both sign.")
            )
            return redirect(handover)
    return render(request, "knowledge/handover_form.html", {"community": community, "form": form})


def _handover_for(user: User | AnonymousUser, handover_id: int) -> Handover:
    handover = get_object_or_404(
        Handover.objects.select_related("community", "leaver", "successor", "published_item"),
        pk=handover_id,
    )
    policy.check_view_handover(user, handover)
    return handover


@login_required
def handover_detail(request: HttpRequest, handover_id: int) -> HttpResponse:
    user = _user(request)
    handover = _handover_for(user, handover_id)
    editable = True
    try:
        policy.check_edit_handover(user, handover)
    except (PermissionDenied, ValidationError):
        editable = False
    form = None
    if editable:
        initial = {
            "title": handover.title,
            "role": handover.role,
            "successor": handover.successor,
            "critical_knowledge": handover.critical_knowledge,
            "ongoing_work": handover.ongoing_work,
            "key_contacts": handover.key_contacts,
            "documents": handover.documents,
            "audience": handover.audience,
        }
        members = _members(handover.community).filter(pk=handover.successor_id)
        form = HandoverForm(
            request.POST or None, initial=initial, members=members, community=handover.community
        )
        if request.method == "POST" and form.is_valid():
            try:
                actions.update_handover(handover, actor=user, data=form.to_input())
            except ValidationError as error:
                show_action_errors(form, error)
            else:
                messages.success(request, _("Saved. Both of you sign off again."))
                return redirect(handover)
    elif request.method == "POST":
        raise PermissionDenied(_("This handover can no longer change."))
    context = {
        "handover": handover,
        "form": form,
        "is_leaver": user.pk == handover.leaver_id,
        "is_successor": user.pk == handover.successor_id,
    }
    return render(request, "knowledge/handover_detail.html", context)


@login_required
@require_POST
def handover_sign(request: HttpRequest, handover_id: int) -> HttpResponse:
    user = _user(request)
    handover = _handover_for(user, handover_id)
    try:
        actions.sign_handover(handover, actor=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Signed off."))
    return redirect(handover)


@login_required
@require_POST
def handover_publish(request: HttpRequest, handover_id: int) -> HttpResponse:
    user = _user(request)
    handover = _handover_for(user, handover_id)
    try:
        item = actions.publish_handover(handover, actor=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(handover)
    messages.success(request, _("The handover is published in the library."))
    return redirect(item)


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
