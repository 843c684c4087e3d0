"""Exchange pages: thin callers of queries.py, routing.py and actions.py.

An exchange the visitor may not see answers 404 (a safe space's queries, someone
else's direct-connect request). Forms keep what people typed when an action refuses;
the buttons on the exchange page post to small views that come back to it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solex.accounts.models import User
from solex.communities import permissions as community_policy
from solex.communities import queries as community_queries
from solex.communities.models import Community
from solex.core import files
from solex.core.views import is_htmx, show_action_errors
from solex.exchanges import actions, queries, routing
from solex.exchanges import permissions as policy
from solex.exchanges.forms import (
    AskForm,
    CloseForm,
    ConnectForm,
    DirectForm,
    EditReplyForm,
    ExchangeFilterForm,
    HandOffForm,
    LibraryAnswerForm,
    LibrarySearchForm,
    MergeForm,
    ReasonForm,
    ReplyForm,
    RouteForm,
    SettingsForm,
    SharpenForm,
    SimilarForm,
)
from solex.exchanges.models import DETAIL_URL_NAMES, Exchange, Reply, Status
from solex.search import queries as search_queries

PAGE_SIZE = 30


def _user(request: HttpRequest) -> User | AnonymousUser:
    user = request.user
    assert isinstance(user, User | AnonymousUser)
    return user


def _exchange(request: HttpRequest, exchange_id: int) -> Exchange:
    return queries.exchange_for(_user(request), exchange_id)


def _reply(request: HttpRequest, reply_id: int) -> Reply:
    reply = get_object_or_404(Reply.objects.select_related("author"), pk=reply_id)
    reply.exchange = _exchange(request, reply.exchange_id)
    return reply


def _act(
    request: HttpRequest, exchange: Exchange, action: Callable[[], object], done: str
) -> HttpResponse:
    """Run a button's action, say how it went, and go back to the exchange."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(exchange)


def _form_page(
    request: HttpRequest,
    exchange: Exchange,
    form: forms.BaseForm,
    *,
    title: str,
    submit: str,
    intro: str = "",
) -> HttpResponse:
    return render(
        request,
        "exchanges/action_form.html",
        {"exchange": exchange, "form": form, "title": title, "submit": submit, "intro": intro},
    )


# --- Lists and asking ---------------------------------------------------------------------


def community_exchanges(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    community = community_queries.community_for(user, slug)
    filters_form = ExchangeFilterForm(request.GET or None)
    filters = queries.ExchangeFilters()
    if filters_form.is_valid():
        data = filters_form.cleaned_data
        filters = queries.ExchangeFilters(
            kind=data["kind"], status=data["status"], topic=data["topic"]
        )
    page = Paginator(queries.community_exchanges(user, community, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "exchanges/exchange_list.html",
        {
            "community": community,
            "page": page,
            "filters_form": filters_form,
            "can_ask": policy.can_ask(user, community),
        },
    )


def _similar(request: HttpRequest, title: str, body: str) -> list[queries.SimilarExchange]:
    return queries.similar_exchanges(f"{title} {title} {body}", user=_user(request))


@login_required
def exchange_ask(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    community = community_queries.community_for(user, slug)
    policy.check_ask(user, community)
    draft_key = ask_draft_key(community)
    form = AskForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        # What they typed last time and never sent comes back.
        form = AskForm(initial=queries.draft_data(user, draft_key))
    similar: list[queries.SimilarExchange] | None = None
    if request.method == "POST" and "check" in request.POST:
        # The no-JavaScript way to look for similar questions: keep the text, show matches.
        form = AskForm(request.POST)
        similar = _similar(request, request.POST.get("title", ""), request.POST.get("body", ""))
        actions.save_draft(user, draft_key, request.POST)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exchange = actions.ask_query(
                community,
                actor=user,
                title=data["title"],
                body=data["body"],
                context=data["context"],
                country=data["country"],
                needed_by=data["needed_by"],
                topics=data["topics"],
                attachments=data["attachments"],
            )
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            actions.clear_draft(user, draft_key)
            if exchange.status == Status.TRIAGE:
                messages.success(
                    request, _("Your query is sent: a facilitator will look at it and route it.")
                )
            else:
                messages.success(request, _("Your query is posted to the community."))
            return redirect(exchange)
    if request.method == "POST" and form.errors:
        # A refused question is kept for the next visit too.
        actions.save_draft(user, draft_key, request.POST)
    return render(
        request,
        "exchanges/ask_form.html",
        {"community": community, "form": form, "similar": similar},
    )


def ask_draft_key(community: Community) -> str:
    return f"ask:{community.pk}"


def reply_draft_key(exchange: Exchange) -> str:
    return f"reply:{exchange.pk}"


def _draft_saved(request: HttpRequest, back: str) -> HttpResponse:
    if is_htmx(request):
        return render(request, "exchanges/_draft_status.html", {"saved": True})
    messages.success(request, _("Your draft is saved."))
    return redirect(back)


@require_POST
@login_required
def exchange_ask_draft(request: HttpRequest, slug: str) -> HttpResponse:
    """Keep the ask form's text as the member types (htmx autosave)."""
    user = _user(request)
    community = community_queries.community_for(user, slug)
    policy.check_ask(user, community)
    actions.save_draft(user, ask_draft_key(community), request.POST)
    return _draft_saved(request, reverse("exchanges:exchange-ask", args=[community.slug]))


@require_POST
@login_required
def exchange_reply_draft(request: HttpRequest, exchange_id: int) -> HttpResponse:
    """Keep the reply form's text as the person types (htmx autosave)."""
    user = _user(request)
    exchange = _exchange(request, exchange_id)
    actions.save_draft(user, reply_draft_key(exchange), request.POST)
    return _draft_saved(request, exchange.get_absolute_url())


@login_required
def exchange_similar(request: HttpRequest, slug: str) -> HttpResponse:
    """The similar-questions panel of the ask form, refreshed as the member types (htmx)."""
    community_queries.community_for(_user(request), slug)
    form = SimilarForm(request.GET)
    similar: list[queries.SimilarExchange] = []
    if form.is_valid():
        similar = _similar(request, form.cleaned_data["title"], form.cleaned_data["body"])
    return render(request, "exchanges/ask_form.html#similar", {"similar": similar})


@login_required
def exchange_direct(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    community = community_queries.community_for(user, slug)
    policy.check_ask(user, community)
    form = DirectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            exchange = actions.ask_direct(
                community,
                actor=user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("Sent privately to the facilitators."))
            return redirect(exchange)
    return render(request, "exchanges/direct_form.html", {"community": community, "form": form})


@login_required
def exchange_settings(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    community = community_queries.community_for(user, slug)
    policy.check_change_settings(user, community)
    current = actions.exchange_settings(community)
    form = SettingsForm(
        request.POST or None,
        initial={
            "triage_queries": current.triage_queries,
            "reminder_days": current.reminder_days,
            "escalation_days": current.escalation_days,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_exchange_settings(community, actor=user, **form.cleaned_data)
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("The exchange settings are saved."))
            return redirect("exchanges:community-exchanges", slug=community.slug)
    return render(request, "exchanges/settings_form.html", {"community": community, "form": form})


# --- The exchange page ------------------------------------------------------------------------


def _detail_context(
    request: HttpRequest, exchange: Exchange, reply_form: ReplyForm | None = None
) -> dict[str, Any]:
    user = _user(request)
    can_triage = policy.can_triage(user, exchange)
    can_route = policy.can_route(user, exchange)
    is_asker = isinstance(user, User) and exchange.author_id == user.pk
    context: dict[str, Any] = {
        "exchange": exchange,
        "community": exchange.community,
        "topics": list(exchange.topics.all()),
        "replies": list(queries.replies_of(exchange)),
        "helpful_ids": queries.helpful_reply_ids(user, exchange),
        "can_reply": policy.can_reply(user, exchange),
        "can_triage": can_triage,
        "can_route": can_route,
        "can_close": policy.can_close(user, exchange),
        # The link only: the collaboration app's own policy decides on its page.
        "can_start_group": not exchange.is_direct_connect
        and community_policy.can_post_in(user, exchange.community),
        "can_mark": is_asker or can_triage,
        "is_asker": is_asker,
        "reply_form": reply_form
        or ReplyForm(initial=queries.draft_data(user, reply_draft_key(exchange))),
        "show_history": is_asker or can_triage,
        "attachments": queries.attachments_by_reply(exchange),
        "reply_revisions": queries.reply_revisions_of(exchange),
    }
    if context["show_history"]:
        context["revisions"] = list(queries.revisions_of(exchange))
        context["events"] = list(queries.events_of(exchange))
    if can_triage:
        context["expert_requests"] = list(exchange.expert_requests.select_related("expert"))
        context["connections"] = list(exchange.connections.select_related("person"))
    elif is_asker and exchange.is_direct_connect:
        context["connections"] = list(exchange.connections.select_related("person"))
    if can_route:
        suggestions = routing.suggest_experts(exchange)
        context["suggestions"] = suggestions
        context["route_form"] = RouteForm(
            people=User.objects.filter(pk__in=[s.person.pk for s in suggestions])
        )
    return context


def exchange_detail(request: HttpRequest, exchange_id: int) -> HttpResponse:
    exchange = _exchange(request, exchange_id)
    if exchange.kind in DETAIL_URL_NAMES:
        return redirect(exchange.get_absolute_url())
    return render(request, "exchanges/exchange_detail.html", _detail_context(request, exchange))


def exchange_page(request: HttpRequest, exchange_id: int) -> HttpResponse:
    """The shared exchange page, for the kinds whose apps render it inside their own."""
    exchange = _exchange(request, exchange_id)
    return render(request, "exchanges/exchange_detail.html", _detail_context(request, exchange))


@require_POST
@login_required
def exchange_reply(request: HttpRequest, exchange_id: int) -> HttpResponse:
    user = _user(request)
    exchange = _exchange(request, exchange_id)
    policy.check_view_exchange(user, exchange)
    if not community_policy.is_member(user, exchange.community):
        policy.check_reply(user, exchange)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = exchange.replies.filter(pk=form.cleaned_data["parent"]).first()
        try:
            actions.post_reply(
                exchange,
                actor=user,
                body=form.cleaned_data["body"],
                parent=parent,
                paragraph=form.cleaned_data["paragraph"],
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            actions.clear_draft(user, reply_draft_key(exchange))
            messages.success(request, _("Your reply is posted."))
            return redirect(exchange)
    # The page again with the reply as typed and what to fix: nothing is lost, and the
    # text is kept for a later visit too.
    actions.save_draft(user, reply_draft_key(exchange), request.POST)
    return render(
        request,
        "exchanges/exchange_detail.html",
        _detail_context(request, exchange, form),
        status=200,
    )


@login_required
def exchange_sharpen(request: HttpRequest, exchange_id: int) -> HttpResponse:
    user = _user(request)
    exchange = _exchange(request, exchange_id)
    policy.check_triage(user, exchange)
    form = SharpenForm(
        request.POST or None, initial={"title": exchange.title, "body": exchange.body}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.sharpen_query(exchange, actor=user, **form.cleaned_data)
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(
                request, _("The query is reworded; the asker can see the earlier wording.")
            )
            return redirect(exchange)
    return _form_page(
        request,
        exchange,
        form,
        title=_("Sharpen the query"),
        submit=_("Save the new wording"),
        intro=_(
            "Make the question clear and answerable. The earlier wording is kept and shown to the asker."
        ),
    )


@require_POST
@login_required
def exchange_release(request: HttpRequest, exchange_id: int) -> HttpResponse:
    user = _user(request)
    exchange = _exchange(request, exchange_id)
    policy.check_triage(user, exchange)
    return _act(
        request,
        exchange,
        lambda: actions.release_query(exchange, actor=user),
        _("The query is open to the community."),
    )


@require_POST
@login_required
def exchange_route(request: HttpRequest, exchange_id: int) -> HttpResponse:
    user = _user(request)
    exchange = _exchange(request, exchange_id)
    policy.check_triage(user, exchange)
    form = RouteForm(request.POST, people=User.objects.filter(is_active=True))
    if not form.is_valid():
        messages.error(request, _("Choose at least one person to ask."))
        return redirect(exchange)
    reasons = {
        int(key.removeprefix("reason-")): str(value)
        for key, value in request.POST.items()
        if key.startswith("reason-") and key.removeprefix("reason-").isdigit()
    }
    return _act(
        request,
        exchange,
        lambda: actions.route_query(
            exchange, actor=user, experts=list(form.cleaned_data["experts"]), reasons=reasons
        ),
        _("The experts are asked."),
    )


@login_required
def exchange_close(request: HttpRequest, exchange_id: int) -> HttpResponse:
    user = _user(request)
    exchange = _exchange(request, exchange_id)
    if not policy.can_close(user, exchange):
        policy.check_close(user, exchange, reason="")
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        moved_to = None
        if form.cleaned_data["moved_to"]:
            moved_to = (
                Exchange.objects.visible_to(user).filter(pk=form.cleaned_data["moved_to"]).first()
            )
            if moved_to is None:
                form.add_error("moved_to", _("No exchange has this number."))
        if not form.errors:
            try:
                actions.close_exchange(
                    exchange,
                    actor=user,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                    moved_to=moved_to,
                )
            except ValidationError as error:
                show_action_errors(form, error)
            else:
                messages.success(request, _("The exchange is closed."))
                return redirect(exchange)
    return _form_page(request, exchange, form, title=_("Close the exchange"), submit=_("Close it"))


@login_required
def exchange_merge(request: HttpRequest, exchange_id: int) -> HttpResponse:
    user = _user(request)
    exchange = _exchange(request, exchange_id)
    policy.check_triage(user, exchange)
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        into = Exchange.objects.visible_to(user).filter(pk=form.cleaned_data["into"]).first()
        if into is None:
            form.add_error("into", _("No exchange has this number."))
        else:
            try:
                actions.merge_duplicate(exchange, actor=user, into=into)
            except ValidationError as error:
                show_action_errors(form, error)
            else:
                messages.success(request, _("Merged: the query now points at the earlier one."))
                return redirect(into)
    return _form_page(
        request, exchange, form, title=_("Merge a duplicate"), submit=_("Merge into that exchange")
    )


@login_required
def exchange_hand_off(request: HttpRequest, exchange_id: int) -> HttpResponse:
    user = _user(request)
    exchange = _exchange(request, exchange_id)
    policy.check_triage(user, exchange)
    communities = (
        Community.objects.visible_to(user)
        .filter(actions.related_communities(exchange.community))
        .active()
        .order_by("name")
    )
    form = HandOffForm(request.POST or None, communities=communities)
    if request.method == "POST" and form.is_valid():
        try:
            copy = actions.hand_off(
                exchange,
                actor=user,
                to_community=form.cleaned_data["to_community"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("Handed off: the query continues in the other community."))
            return redirect(copy)
    return _form_page(
        request,
        exchange,
        form,
        title=_("Hand off to another community"),
        submit=_("Hand it off"),
        intro=_("The query moves with a link to its history here; this copy closes."),
    )


@login_required
def exchange_lock(request: HttpRequest, exchange_id: int) -> HttpResponse:
    user = _user(request)
    exchange = _exchange(request, exchange_id)
    policy.check_triage(user, exchange)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.lock_exchange(exchange, actor=user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("The exchange is locked."))
            return redirect(exchange)
    return _form_page(request, exchange, form, title=_("Lock the exchange"), submit=_("Lock it"))


@require_POST
@login_required
def exchange_unlock(request: HttpRequest, exchange_id: int) -> HttpResponse:
    user = _user(request)
    exchange = _exchange(request, exchange_id)
    policy.check_triage(user, exchange)
    return _act(
        request, exchange, lambda: actions.unlock_exchange(exchange, actor=user), _("Unlocked.")
    )


@login_required
def exchange_connect(request: HttpRequest, exchange_id: int) -> HttpResponse:
    user = _user(request)
    exchange = _exchange(request, exchange_id)
    policy.check_triage(user, exchange)
    form = ConnectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        names = form.usernames()
        people = list(User.objects.filter(username__in=names, is_active=True))
        unknown = sorted(set(names) - {person.username for person in people})
        if unknown:
            form.add_error(
                "people", _("Nobody is called: %(names)s.") % {"names": ", ".join(unknown)}
            )
        else:
            try:
                actions.connect_people(
                    exchange, actor=user, people=people, note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                show_action_errors(form, error)
            else:
                messages.success(request, _("The asker is connected with them."))
                return redirect(exchange)
    return _form_page(
        request, exchange, form, title=_("Connect the asker with people"), submit=_("Connect")
    )


@require_POST
@login_required
def exchange_publish(request: HttpRequest, exchange_id: int) -> HttpResponse:
    user = _user(request)
    exchange = _exchange(request, exchange_id)
    policy.check_triage(user, exchange)
    return _act(
        request,
        exchange,
        lambda: actions.publish_anonymised(exchange, actor=user),
        _("Published without the asker's name."),
    )


# --- Replies ---------------------------------------------------------------------------------


@require_POST
@login_required
def reply_helpful(request: HttpRequest, reply_id: int) -> HttpResponse:
    user = _user(request)
    reply = _reply(request, reply_id)
    policy.check_mark_helpful(user, reply)
    if request.POST.get("helpful") == "no":
        actions.unmark_helpful(reply, actor=user)
    else:
        actions.mark_helpful(reply, actor=user)
    if is_htmx(request):
        return render(
            request,
            "exchanges/exchange_detail.html#helpful",
            {
                "reply": reply,
                "helpful_ids": queries.helpful_reply_ids(user, reply.exchange),
                "can_mark": True,
            },
        )
    return redirect(f"{reply.exchange.get_absolute_url()}#reply-{reply.pk}")


@login_required
def reply_edit(request: HttpRequest, reply_id: int) -> HttpResponse:
    user = _user(request)
    reply = _reply(request, reply_id)
    policy.check_edit_reply(user, reply)
    form = EditReplyForm(request.POST or None, initial={"body": reply.body})
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_reply(reply, actor=user, **form.cleaned_data)
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("The reply is updated; its earlier wording is kept."))
            return redirect(f"{reply.exchange.get_absolute_url()}#reply-{reply.pk}")
    return _form_page(request, reply.exchange, form, title=_("Edit the reply"), submit=_("Save"))


@login_required
def reply_hide(request: HttpRequest, reply_id: int) -> HttpResponse:
    user = _user(request)
    reply = _reply(request, reply_id)
    policy.check_triage(user, reply.exchange)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.hide_reply(reply, actor=user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            show_action_errors(form, error)
        else:
            messages.success(request, _("The reply is hidden, with your reason shown."))
            return redirect(reply.exchange)
    return _form_page(request, reply.exchange, form, title=_("Hide the reply"), submit=_("Hide it"))


@require_POST
@login_required
def reply_show(request: HttpRequest, reply_id: int) -> HttpResponse:
    user = _user(request)
    reply = _reply(request, reply_id)
    policy.check_triage(user, reply.exchange)
    return _act(
        request,
        reply.exchange,
        lambda: actions.show_reply(reply, actor=user),
        _("The reply shows again."),
    )


# --- Attachments --------------------------------------------------------------------------------


def attachment_download(request: HttpRequest, attachment_id: int) -> FileResponse:
    """A file of an exchange, for whoever may read the exchange (404 for anyone else)."""
    attachment = queries.attachment_for(_user(request), attachment_id)
    return files.file_response(attachment.file)


# --- Answering from the library ------------------------------------------------------------------

LIBRARY_KINDS = ["knowledge"]


@login_required
def exchange_library(request: HttpRequest, exchange_id: int) -> HttpResponse:
    """Find a knowledge item that answers the query, and close the query with it."""
    user = _user(request)
    exchange = _exchange(request, exchange_id)
    policy.check_triage(user, exchange)
    search_form = LibrarySearchForm(request.GET or {"q": exchange.title})
    answer_form = LibraryAnswerForm(request.POST or None)
    library = search_queries.filtered(user, search_queries.SearchParams(types=LIBRARY_KINDS))
    if request.method == "POST" and answer_form.is_valid():
        document = library.filter(pk=answer_form.cleaned_data["item"]).first()
        if document is None:
            answer_form.add_error("item", _("Choose an item of the library."))
        else:
            try:
                actions.answer_from_library(
                    exchange,
                    actor=user,
                    title=document.title,
                    url=document.url,
                    note=answer_form.cleaned_data["note"],
                )
            except ValidationError as error:
                show_action_errors(answer_form, error)
            else:
                messages.success(
                    request, _("The query is answered from the library; the asker is told.")
                )
                return redirect(exchange)
    results: list[search_queries.Result] = []
    if search_form.is_valid() and search_form.cleaned_data["q"]:
        results = search_queries.search(
            user,
            search_queries.SearchParams(q=search_form.cleaned_data["q"], types=LIBRARY_KINDS),
            per_page=10,
        ).results
    return render(
        request,
        "exchanges/library_answer.html",
        {
            "exchange": exchange,
            "search_form": search_form,
            "answer_form": answer_form,
            "results": results,
        },
    )
