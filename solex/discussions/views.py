"""Discussion pages: thin callers of queries.py, drafting.py and actions.py.

A discussion the visitor may not see answers 404. Forms keep what people typed when
an action refuses; buttons post to small views that come back to the discussion.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solex.accounts.models import User
from solex.communities import permissions as community_policy
from solex.communities import queries as community_queries
from solex.core.views import show_action_errors
from solex.discussions import actions, drafting, queries
from solex.discussions import permissions as policy
from solex.discussions.forms import (
    InviteForm,
    OpenDiscussionForm,
    PostForm,
    SummaryForm,
    SynthesisForm,
)
from solex.discussions.models import Discussion, SynthesisDraft
from solex.knowledge.models import KnowledgeItem


def _user(request: HttpRequest) -> User | AnonymousUser:
    user = request.user
    assert isinstance(user, User | AnonymousUser)
    return user


def _questions(discussion: Discussion) -> list[tuple[int, str]]:
    return [(question.number, question.text) for question in discussion.questions.all()]


def _published(discussion: Discussion) -> KnowledgeItem | None:
    draft = SynthesisDraft.objects.filter(discussion=discussion).select_related("published_item")
    found = draft.first()
    return found.published_item if found is not None else None


def _detail_context(
    request: HttpRequest, discussion: Discussion, form: PostForm | None = None
) -> dict[str, Any]:
    user = _user(request)
    exchange = discussion.exchange
    can_post = policy.can_post(user, discussion)
    questions = _questions(discussion)
    if form is None and can_post:
        form = PostForm(questions=questions)
    refusal = ""
    if not can_post and community_policy.is_member(user, exchange.community):
        refusal = policy.window_refusal(discussion)
    return {
        "discussion": discussion,
        "exchange": exchange,
        "community": exchange.community,
        "phase": queries.phase(discussion),
        "questions": discussion.questions.all(),
        "question_texts": dict(questions),
        "invited": [
            invitation.user for invitation in discussion.invitations.select_related("user")
        ],
        "summaries": discussion.summaries.select_related("author"),
        "posts": exchange.replies.select_related("author", "author__organization").order_by(
            "created_at", "pk"
        ),
        "form": form if can_post else None,
        "refusal": refusal,
        "can_facilitate": policy.can_facilitate(user, discussion),
        "published": _published(discussion),
        "has_draft": SynthesisDraft.objects.filter(discussion=discussion).exists(),
        "can_spawn": community_policy.is_member(user, exchange.community)
        and not exchange.community.is_archived,
    }


def detail(request: HttpRequest, discussion_id: int) -> HttpResponse:
    discussion = queries.discussion_for(_user(request), discussion_id)
    return render(request, "discussions/detail.html", _detail_context(request, discussion))


def community_list(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    community = community_queries.community_for(user, slug)
    discussions = queries.visible_discussions(user).filter(exchange__community=community)[:100]
    context = {
        "community": community,
        "rows": [(discussion, queries.phase(discussion)) for discussion in discussions],
        "can_open": policy.can_open(user, community),
    }
    return render(request, "discussions/list.html", context)


@login_required
def start(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    community = community_queries.community_for(user, slug)
    policy.check_open(user, community)
    form = OpenDiscussionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            discussion = actions.open_discussion(
                community,
                actor=user,
                title=data["title"],
                purpose=data["purpose"],
                questions=form.question_list(),
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                invited=data["invited"],
            )
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("The discussion is open; the invited members are told."))
            return redirect(discussion.exchange)
    return render(request, "discussions/start.html", {"community": community, "form": form})


@require_POST
@login_required
def post(request: HttpRequest, discussion_id: int) -> HttpResponse:
    user = _user(request)
    discussion = queries.discussion_for(user, discussion_id)
    if not community_policy.is_member(user, discussion.exchange.community):
        policy.check_post(user, discussion)
    form = PostForm(request.POST, questions=_questions(discussion))
    if form.is_valid():
        try:
            reply = actions.post(
                discussion,
                actor=user,
                body=form.cleaned_data["body"],
                question=form.cleaned_data["question"],
            )
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("Your contribution is posted."))
            return redirect(f"{discussion.exchange.get_absolute_url()}#post-{reply.pk}")
    context = _detail_context(request, discussion, form)
    # Keep the text even when the discussion closed meanwhile: show the form with the error.
    context["form"] = form
    return render(request, "discussions/detail.html", context)


@login_required
def invite(request: HttpRequest, discussion_id: int) -> HttpResponse:
    user = _user(request)
    discussion = queries.discussion_for(user, discussion_id)
    policy.check_facilitate(user, discussion)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = actions.invite(discussion, actor=user, people=form.cleaned_data["invited"])
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(
                request,
                _("%(count)d members invited and told.") % {"count": len(new)},
            )
            return redirect(discussion.exchange)
    context = {
        "discussion": discussion,
        "exchange": discussion.exchange,
        "form": form,
        "title": _("Invite contributors"),
        "submit": _("Invite"),
    }
    return render(request, "discussions/form.html", context)


@login_required
def summary(request: HttpRequest, discussion_id: int) -> HttpResponse:
    user = _user(request)
    discussion = queries.discussion_for(user, discussion_id)
    policy.check_facilitate(user, discussion)
    start, end, text = actions.draft_summary(discussion, actor=user)
    form = SummaryForm(
        request.POST or None,
        initial={
            "body": text,
            "period_start": timezone.localtime(start).replace(second=0, microsecond=0),
            "period_end": timezone.localtime(end).replace(second=0, microsecond=0),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            posted = actions.post_summary(
                discussion,
                actor=user,
                body=data["body"],
                period_start=data["period_start"],
                period_end=data["period_end"],
            )
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("The summary is posted in the discussion."))
            return redirect(f"{discussion.exchange.get_absolute_url()}#summary-{posted.pk}")
    count = len([r for r in drafting.posts(discussion) if start <= r.created_at < end])
    context = {
        "discussion": discussion,
        "exchange": discussion.exchange,
        "form": form,
        "title": _("Summarise the discussion"),
        "submit": _("Post the summary"),
        "intro": _(
            "Solex drafted this summary from the %(count)d posts since the last summary: "
            "check it against the posts, edit it, then post it in the discussion."
        )
        % {"count": count},
    }
    return render(request, "discussions/form.html", context)


@require_POST
@login_required
def close(request: HttpRequest, discussion_id: int) -> HttpResponse:
    user = _user(request)
    discussion = queries.discussion_for(user, discussion_id)
    policy.check_facilitate(user, discussion)
    try:
        actions.close_discussion(discussion, actor=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(discussion.exchange)
    messages.success(request, _("The discussion is closed. Solex drafted its synthesis."))
    return redirect("discussions:discussion-synthesis", discussion_id=discussion.pk)


@login_required
def synthesis(request: HttpRequest, discussion_id: int) -> HttpResponse:
    user = _user(request)
    discussion = queries.discussion_for(user, discussion_id)
    policy.check_facilitate(user, discussion)
    published = _published(discussion)
    if published is not None:
        return redirect(published)
    try:
        draft = actions.open_synthesis(discussion, actor=user)
    except ValidationError as error:
        context = {
            "discussion": discussion,
            "exchange": discussion.exchange,
            "refusal": error.messages,
        }
        return render(request, "discussions/synthesis.html", context)
    conflict: SynthesisDraft | None = None
    if request.method == "POST":
        form = SynthesisForm(request.POST)
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
                    item = actions.publish_synthesis(draft, **fields)
                    messages.success(
                        request, _("The synthesis is published in the library and announced.")
                    )
                    return redirect(item)
                actions.save_synthesis(draft, **fields)
            except actions.DraftConflictError as error:
                conflict = error.current
                data_copy = request.POST.copy()
                data_copy["version"] = str(conflict.version)
                form = SynthesisForm(data_copy)
                form.is_valid()
                form.add_error(None, error.messages)
            except ValidationError as error:
                show_action_errors(form, error)
            else:
                messages.success(request, _("Draft saved."))
                return redirect("discussions:discussion-synthesis", discussion_id=discussion.pk)
    else:
        form = SynthesisForm(
            initial={
                "title": draft.title,
                "summary": draft.summary,
                "body": draft.body,
                "version": draft.version,
            }
        )
    context = {
        "discussion": discussion,
        "exchange": discussion.exchange,
        "draft": draft,
        "form": form,
        "conflict": conflict,
        "post_count": drafting.posts(discussion).count(),
        "critical_mass": drafting.CRITICAL_MASS,
    }
    return render(request, "discussions/synthesis.html", context)
