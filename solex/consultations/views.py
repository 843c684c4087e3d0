"""Consultation pages: thin callers of queries.py and actions.py.

A consultation the visitor may not see answers 404. Every form works without
JavaScript (POST, then redirect back); a refused action shows the page again with
the text as typed and what to fix.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solex.accounts.models import User
from solex.communities import permissions as community_policy
from solex.communities import queries as community_queries
from solex.consultations import actions, drafting, queries
from solex.consultations import permissions as policy
from solex.consultations.forms import (
    CloseForm,
    CommentForm,
    ResponseForm,
    StartForm,
    SummaryForm,
    VersionForm,
)
from solex.consultations.models import Response, SummaryDraft
from solex.core import files
from solex.core.markdown import render_markdown
from solex.core.views import show_action_errors
from solex.exchanges import permissions as exchange_policy
from solex.exchanges.models import Exchange


def _user(request: HttpRequest) -> User | AnonymousUser:
    user = request.user
    assert isinstance(user, User | AnonymousUser)
    return user


def _consultation(request: HttpRequest, consultation_id: int) -> Exchange:
    return queries.consultation_for(_user(request), consultation_id)


# --- A community's consultations ---------------------------------------------------------

PAGE_SIZE = 30


def community_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The community's consultations: open first (soonest deadline first), then closed."""
    user = _user(request)
    community = community_queries.community_for(user, slug)
    page = Paginator(queries.community_consultations(user, community), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "consultations/list.html",
        {"community": community, "page": page, "can_start": policy.can_start(user, community)},
    )


# --- Starting -----------------------------------------------------------------------------


@login_required
def start(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    community = community_queries.community_for(user, slug)
    policy.check_start(user, community)
    form = StartForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exchange = actions.start_consultation(
                community,
                actor=user,
                title=data["title"],
                purpose=data["purpose"],
                body=data["body"],
                closes_at=data["closes_at"],
                topics=data["topics"],
                attachment=data["attachment"],
            )
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("Your consultation is open for comments."))
            return redirect(exchange)
    return render(request, "consultations/start.html", {"community": community, "form": form})


# --- The consultation page ----------------------------------------------------------------


def _page_context(
    request: HttpRequest,
    exchange: Exchange,
    *,
    bound: CommentForm | None = None,
) -> dict[str, Any]:
    user = _user(request)
    versions = queries.versions_of(exchange)
    current = versions[-1]
    shown = current
    requested = request.GET.get("version", "")
    if requested.isdigit():
        shown = next((v for v in versions if v.number == int(requested)), current)
    comments = queries.comments_of(exchange)
    counts = queries.counts_by_paragraph(comments, shown.number)
    by_paragraph: dict[int, list[queries.Comment]] = {}
    whole: list[queries.Comment] = []
    roots = queries.threads(comments)
    for root in roots:
        if root.reply.paragraph and root.version == shown.number:
            by_paragraph.setdefault(root.reply.paragraph, []).append(root)
        elif not root.reply.paragraph:
            whole.append(root)
    elsewhere = [root for root in roots if root.reply.paragraph and root.version != shown.number]
    blocks = [
        {**block, "count": counts.get(block["number"] or 0, 0),
         "comments": by_paragraph.get(block["number"] or 0, []),
         "field_id": f"paragraph-{block['number']}-comment"}
        for block in shown.paragraphs
    ]  # fmt: skip
    target = _bound_target(bound)
    targets = {"whole-comment"} | {comment.field_id for comment in comments}
    if shown.number == current.number:
        targets |= {f"paragraph-{b['number']}-comment" for b in shown.paragraphs if b["number"]}
    can_comment = policy.can_comment(user, exchange)
    if target and (target not in targets or not can_comment):
        target = "whole-comment"  # a paragraph that does not exist: keep the text anyway
    can_manage = policy.can_manage(user, exchange)
    summary = queries.summary_draft_of(exchange)
    answerable = queries.answerable(exchange, comments)
    return {
        "exchange": exchange,
        "community": exchange.community,
        "topics": list(exchange.topics.all()),
        "versions": versions,
        "current": current,
        "shown": shown,
        "is_current": shown.number == current.number,
        "blocks": blocks,
        "whole": whole,
        "elsewhere": elsewhere,
        "comment_total": sum(1 for c in comments if not c.reply.is_hidden),
        "can_comment": can_comment,
        "past_deadline": policy.is_past_deadline(exchange),
        "upcoming": policy.is_upcoming(exchange),
        "can_manage": can_manage,
        # The link only: the collaboration app's own policy decides on its page.
        "can_start_group": community_policy.can_post_in(user, exchange.community),
        "can_moderate": exchange_policy.can_triage(user, exchange),
        "summary": summary,
        "unanswered": sum(1 for c in answerable if not c.response),
        "bound": bound,
        "bound_target": target,
    }


def _bound_target(bound: CommentForm | None) -> str:
    """Which form on the page a refused comment came from: its text goes back there."""
    if bound is None:
        return ""
    parent = str(bound.data.get("parent", "")).strip()
    paragraph = str(bound.data.get("paragraph", "")).strip()
    if parent.isdigit():
        return f"reply-{parent}"
    if paragraph.isdigit():
        return f"paragraph-{paragraph}-comment"
    return "whole-comment"


def detail(request: HttpRequest, consultation_id: int) -> HttpResponse:
    exchange = _consultation(request, consultation_id)
    return render(request, "consultations/detail.html", _page_context(request, exchange))


@require_POST
@login_required
def comment(request: HttpRequest, consultation_id: int) -> HttpResponse:
    user = _user(request)
    exchange = _consultation(request, consultation_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        parent = None
        if data["parent"]:
            parent = exchange.replies.filter(pk=data["parent"]).first()
        try:
            if data["parent"] and parent is None:
                raise ValidationError({"parent": _("That comment is not in this consultation.")})
            reply = actions.comment(
                exchange,
                actor=user,
                body=data["body"],
                paragraph=data["paragraph"],
                version=data["version"],
                parent=parent,
            )
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("Your comment is posted."))
            return redirect(f"{exchange.get_absolute_url()}#comment-{reply.pk}")
    # The page again with the comment as typed and what to fix: nothing is lost.
    context = _page_context(request, exchange, bound=form)
    return render(request, "consultations/detail.html", context)


def attachment(request: HttpRequest, consultation_id: int, number: int) -> FileResponse:
    """A version's attached file, for whoever may read the consultation."""
    exchange = _consultation(request, consultation_id)
    version = next((v for v in queries.versions_of(exchange) if v.number == number), None)
    if version is None or version.attachment is None:
        raise Http404(_("This version has no attached file."))
    return files.file_response(version.attachment)


# --- The owner's work ---------------------------------------------------------------------


@login_required
def new_version(request: HttpRequest, consultation_id: int) -> HttpResponse:
    user = _user(request)
    exchange = _consultation(request, consultation_id)
    policy.check_manage(user, exchange)
    current = queries.current_version(exchange)
    form = VersionForm(request.POST or None, request.FILES or None, initial={"body": current.body})
    if request.method == "POST" and form.is_valid():
        try:
            version = actions.post_version(
                exchange,
                actor=user,
                body=form.cleaned_data["body"],
                note=form.cleaned_data["note"],
                attachment=form.cleaned_data["attachment"],
            )
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(number)d is posted; comments on earlier versions stay.")
                % {"number": version.number},
            )
            return redirect(exchange)
    return render(
        request,
        "consultations/version_form.html",
        {"exchange": exchange, "form": form, "current": current},
    )


@login_required
def close(request: HttpRequest, consultation_id: int) -> HttpResponse:
    user = _user(request)
    exchange = _consultation(request, consultation_id)
    policy.check_manage(user, exchange)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.close_consultation(exchange, actor=user, note=form.cleaned_data["note"])
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(
                request, _("The consultation is closed. Answer the comments, then the summary.")
            )
            return redirect("consultations:responses", consultation_id=exchange.pk)
    return render(request, "consultations/close.html", {"exchange": exchange, "form": form})


@login_required
def responses(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """You said, we did: the owner answers each comment, one small form each."""
    user = _user(request)
    exchange = _consultation(request, consultation_id)
    policy.check_manage(user, exchange)
    comments = queries.answerable(exchange, queries.comments_of(exchange))
    bound: ResponseForm | None = None
    if request.method == "POST":
        bound = ResponseForm(request.POST)
        if bound.is_valid():
            data = bound.cleaned_data
            target = next((c for c in comments if c.reply.pk == data["comment"]), None)
            try:
                if target is None:
                    raise ValidationError(_("That comment is not one to answer here."))
                target.reply.exchange = exchange
                actions.respond(
                    target.reply, actor=user, response=data["response"], reason=data["reason"]
                )
            except ValidationError as error:
                show_action_errors(bound, error)
            else:
                messages.success(request, _("Your answer is saved."))
                url = reverse("consultations:responses", args=[exchange.pk])
                return redirect(f"{url}#comment-{data['comment']}")
    bound_id = bound.data.get("comment", "") if bound is not None else ""
    if (
        bound is not None
        and bound.errors
        and not any(str(c.reply.pk) == bound_id for c in comments)
    ):
        messages.error(
            request, " ".join(str(e) for errors in bound.errors.values() for e in errors)
        )
    rows = []
    for item in comments:
        if bound is not None and str(item.reply.pk) == bound_id:
            form = bound
        else:
            form = ResponseForm(
                initial={
                    "comment": item.reply.pk,
                    "response": item.response,
                    "reason": item.reason,
                },
                prefix=None,
                auto_id=f"id_%s_{item.reply.pk}",
            )
        rows.append({"comment": item, "form": form})
    if bound is not None:
        bound.auto_id = f"id_%s_{bound_id}"
    return render(
        request,
        "consultations/responses.html",
        {
            "exchange": exchange,
            "rows": rows,
            "published": queries.published_summary(exchange) is not None,
            "unanswered": sum(1 for c in comments if not c.response),
        },
    )


@login_required
def summary_editor(request: HttpRequest, consultation_id: int) -> HttpResponse:
    user = _user(request)
    exchange = _consultation(request, consultation_id)
    try:
        policy.check_summarise(user, exchange)
    except ValidationError as error:
        published = queries.published_summary(exchange)
        if published is not None:
            return redirect("consultations:summary", consultation_id=exchange.pk)
        return render(
            request,
            "consultations/summary_editor.html",
            {"exchange": exchange, "refusal": error.messages},
        )
    draft = actions.open_summary(exchange, actor=user)
    if draft.published_item_id is not None:
        return redirect("consultations:summary", consultation_id=exchange.pk)
    conflict: SummaryDraft | None = None
    if request.method == "POST":
        form = SummaryForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            fields = {
                "actor": user,
                "version": data["version"],
                "title": data["title"],
                "summary": data["summary"],
                "body": data["body"],
            }
            try:
                if request.POST.get("action") == "publish":
                    actions.publish_summary(draft, **fields)
                    messages.success(
                        request,
                        _("The feedback summary is published and every contributor is told."),
                    )
                    return redirect("consultations:summary", consultation_id=exchange.pk)
                actions.save_summary(draft, **fields)
            except actions.SummaryConflictError as error:
                conflict = error.current
                data_copy = request.POST.copy()
                data_copy["version"] = str(conflict.version)
                form = SummaryForm(data_copy)
                form.is_valid()
                form.add_error(None, error.messages)
            except ValidationError as error:
                show_action_errors(form, error)
            else:
                messages.success(request, _("Draft saved."))
                return redirect("consultations:summary-editor", consultation_id=exchange.pk)
    else:
        form = SummaryForm(
            initial={
                "title": draft.title,
                "summary": draft.summary,
                "body": draft.body,
                "version": draft.version,
            }
        )
    comments = queries.answerable(exchange, queries.comments_of(exchange))
    return render(
        request,
        "consultations/summary_editor.html",
        {
            "exchange": exchange,
            "draft": draft,
            "form": form,
            "conflict": conflict,
            "unanswered": sum(1 for c in comments if not c.response),
            "comment_count": len(comments),
        },
    )


# --- The published summary ----------------------------------------------------------------


def summary(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """The published feedback summary, and what became of every comment."""
    exchange = _consultation(request, consultation_id)
    draft = queries.published_summary(exchange)
    comments = queries.answerable(exchange, queries.comments_of(exchange)) if draft else []
    fates = [{"comment": c, "label": drafting.response_label(c.response)} for c in comments]
    counts = {value: sum(1 for c in comments if c.response == value) for value in Response.values}
    return render(
        request,
        "consultations/summary.html",
        {
            "exchange": exchange,
            "draft": draft,
            "item": draft.published_item if draft else None,
            # The owner's text; the library's copy adds the table shown below it here.
            "body_html": render_markdown(draft.body) if draft else "",
            "fates": fates,
            "counts": counts,
            "unanswered": sum(1 for c in comments if not c.response),
            "can_manage": policy.can_manage(_user(request), exchange),
        },
    )
