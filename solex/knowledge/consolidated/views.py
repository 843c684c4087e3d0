"""The facilitator's consolidated-reply editor and the published consolidated reply."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from solex.accounts.models import User
from solex.communities import permissions as community_policy
from solex.exchanges.models import Exchange
from solex.knowledge import actions as knowledge_actions
from solex.knowledge import permissions as policy
from solex.knowledge import queries as knowledge_queries
from solex.knowledge.consolidated import actions, drafting
from solex.knowledge.consolidated.forms import ConsolidatedReplyForm
from solex.knowledge.consolidated.permissions import check_consolidate
from solex.knowledge.models import ConsolidatedReplyDraft, KnowledgeItem, UsefulVote


def _user(request: HttpRequest) -> User | AnonymousUser:
    user = request.user
    assert isinstance(user, User | AnonymousUser)
    return user


def _form_errors(form: ConsolidatedReplyForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def editor(request: HttpRequest, exchange_id: int) -> HttpResponse:
    user = _user(request)
    exchange = get_object_or_404(
        Exchange.objects.visible_to(user).select_related("community", "author"), pk=exchange_id
    )
    try:
        check_consolidate(user, exchange)
    except ValidationError as error:
        published = KnowledgeItem.objects.filter(
            source_exchange=exchange, kind=KnowledgeItem.Kind.CONSOLIDATED_REPLY
        ).first()
        if published is not None:
            return redirect(published)
        context = {"exchange": exchange, "refusal": error.messages}
        return render(request, "knowledge/consolidated/editor.html", context)
    draft = actions.open_draft(exchange, actor=user)
    conflict: ConsolidatedReplyDraft | None = None
    if request.method == "POST":
        form = ConsolidatedReplyForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            fields = {
                "actor": user,
                "version": data["version"],
                "title": data["title"],
                "summary": data["summary"],
                "body": data["body"],
                "token": data["token"],
            }
            try:
                if request.POST.get("action") == "publish":
                    item = actions.publish_draft(draft, **fields)
                    messages.success(
                        request,
                        _("The consolidated reply is published and the query is closed."),
                    )
                    return redirect(item)
                actions.save_draft(draft, **fields)
            except actions.DraftConflictError as error:
                conflict = error.current
                form = _conflicted(request, form, conflict)
                form.add_error(None, error.messages)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Draft saved."))
                return redirect("knowledge:consolidated-reply-editor", exchange_id=exchange.pk)
    else:
        form = ConsolidatedReplyForm(
            initial={
                "title": draft.title,
                "summary": draft.summary,
                "body": draft.body,
                "version": draft.version,
                "token": actions.editor_token(draft),
            }
        )
    context = {
        "exchange": exchange,
        "draft": draft,
        "form": form,
        "conflict": conflict,
        "reply_count": drafting.shown_replies(exchange).count(),
        "minutes_so_far": round(draft.seconds_spent / 60),
    }
    return render(request, "knowledge/consolidated/editor.html", context)


def _conflicted(
    request: HttpRequest, form: ConsolidatedReplyForm, current: ConsolidatedReplyDraft
) -> ConsolidatedReplyForm:
    """The same text, now based on the saved version: saving again is a deliberate choice."""
    data = request.POST.copy()
    data["version"] = str(current.version)
    data["token"] = actions.editor_token(current)
    rebound = ConsolidatedReplyForm(data)
    rebound.is_valid()
    return rebound


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = get_object_or_404(
        KnowledgeItem.objects.visible_to(user).select_related(
            "community", "created_by", "consolidated", "source_exchange"
        ),
        pk=pk,
        kind=KnowledgeItem.Kind.CONSOLIDATED_REPLY,
    )
    exchange = item.source_exchange
    replies = list(drafting.shown_replies(exchange)) if exchange is not None else []
    contributors = [
        (person, drafting.person_label(person)) for person in item.contributors.order_by("name")
    ]
    knowledge_actions.record_view(item)
    context = {
        "item": item,
        "exchange": exchange,
        "replies": replies,
        "contributors": contributors,
        "consolidated": getattr(item, "consolidated", None),
        "shows_effort": community_policy.can_moderate(user, item.community),
        # Use and freshness, as on every item's page.
        "related": knowledge_queries.related_items(user, item),
        "reuse": knowledge_queries.reuse_of(item),
        "vote": (
            UsefulVote.objects.filter(item=item, user=user).first()
            if isinstance(user, User)
            else None
        ),
        "can_vote": policy.can_vote_useful(user, item),
        "can_review": policy.can_review_item(user, item),
        "can_edit": False,
        "canonical": request.build_absolute_uri(item.get_absolute_url()),
    }
    return render(request, "knowledge/consolidated/detail.html", context)
