"""Every change to exchanges and replies.

Each action checks permission, validates, writes and records its history (an
``ExchangeEvent``, or a revision row) in one transaction, so a refusal changes
nothing. Views, the API, email handlers, tasks and the demo data call these and
nothing else. Bad input raises ``ValidationError`` with a message meant for a person.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from solex.accounts.models import User
from solex.communities import permissions as community_policy
from solex.communities.models import Community, Membership
from solex.core import files
from solex.core.markdown import render_markdown
from solex.core.models import StoredFile
from solex.exchanges import notify
from solex.exchanges import permissions as policy
from solex.exchanges.models import (
    Attachment,
    CloseReason,
    Connection,
    Draft,
    Exchange,
    ExchangeEvent,
    ExchangeRevision,
    ExchangeSettings,
    ExpertRequest,
    HelpfulMark,
    Kind,
    Reply,
    ReplyRevision,
    Status,
)
from solex.taxonomy.models import Topic

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.core.files import File

    AnyUser = User | AnonymousUser

MAX_TITLE = 200
MIN_TITLE = 5
MAX_BODY = 20_000
MAX_CONTEXT = 10_000
MAX_REPLY = 20_000
MAX_REASON = 300
MAX_NOTE = 2_000
MAX_EXPERTS = 20
MAX_CONNECTIONS = 10
MAX_ATTACHMENTS = 5
# How far up the parent chain a meta-network is looked for (communities nest a few levels).
MAX_NETWORK_DEPTH = 10


# --- Helpers ----------------------------------------------------------------------------


def _signed_in(actor: AnyUser) -> User:
    if not isinstance(actor, User) or not actor.is_active:
        raise PermissionDenied(_("Log in first."))
    return actor


def _record(
    exchange: Exchange,
    *,
    actor: User | None,
    action: ExchangeEvent.Action,
    detail: str = "",
    reason: str = "",
) -> ExchangeEvent:
    return ExchangeEvent.objects.create(
        exchange=exchange, actor=actor, action=action, detail=detail[:300], reason=reason
    )


def _text(value: str, *, field: str, label: str, maximum: int, required: bool = True) -> str:
    """Stripped text, or a ValidationError on ``field`` when empty (if required) or too long."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("%(label)s cannot be empty.") % {"label": label}})
    if len(value) > maximum:
        raise ValidationError(
            {
                field: _("%(label)s is too long: at most %(max)d characters (it has %(n)d).")
                % {"label": label, "max": maximum, "n": len(value)}
            }
        )
    return value


def _title(value: str) -> str:
    title = _text(value, field="title", label=_("The title"), maximum=MAX_TITLE)
    if len(title) < MIN_TITLE:
        raise ValidationError({"title": _("Say in a few words what you need to know.")})
    return title


def _lock(exchange: Exchange) -> Exchange:
    """Serialise changes to one exchange (close against reply, release against route)."""
    locked = Exchange.objects.select_for_update().get(pk=exchange.pk)
    # Keep the community object (and its cached membership answers) the caller loaded.
    locked.community = exchange.community
    return locked


def _refresh(target: Exchange, source: Exchange, *fields: str) -> None:
    for name in fields:
        setattr(target, name, getattr(source, name))


def exchange_settings(community: Community) -> ExchangeSettings:
    """This community's settings, or the defaults (unsaved) when it never changed them."""
    found = ExchangeSettings.objects.filter(community=community).first()
    return found or ExchangeSettings(community=community)


def network_root(community: Community) -> Community:
    """The top of the community's meta-network (itself when it has no parent)."""
    current = community
    for _depth in range(MAX_NETWORK_DEPTH):
        if current.parent_id is None:
            return current
        parent = Community.objects.filter(pk=current.parent_id).first()
        if parent is None:
            return current
        current = parent
    return current


def related_communities(community: Community) -> Q:
    """Its parent, its siblings and its children: the neighbours in the meta-network."""
    condition = Q(parent_id=community.pk)
    if community.parent_id is not None:
        condition |= Q(pk=community.parent_id) | Q(parent_id=community.parent_id)
    return condition & ~Q(pk=community.pk)


# --- Asking --------------------------------------------------------------------------------


def _check_needed_by(needed_by: datetime.date | None) -> None:
    if needed_by is not None and needed_by < timezone.localdate():
        raise ValidationError({"needed_by": _("The date you need an answer by is in the past.")})


def _create(
    community: Community,
    *,
    author: User | None,
    kind: str,
    title: str,
    body: str,
    context: str,
    country: str,
    needed_by: datetime.date | None,
    status: str,
    is_direct_connect: bool = False,
    origin: Exchange | None = None,
) -> Exchange:
    now = timezone.now()
    return Exchange.objects.create(
        community=community,
        kind=kind,
        title=title,
        body=body,
        body_html=render_markdown(body),
        context=context,
        context_html=render_markdown(context) if context else "",
        country=country,
        author=author,
        status=status,
        needed_by=needed_by,
        is_direct_connect=is_direct_connect,
        origin=origin,
        created_at=now,
        last_activity_at=now,
    )


def _clean_country(country: str) -> str:
    country = (country or "").strip().upper()
    if country and (len(country) != 2 or not country.isalpha()):
        raise ValidationError(
            {"country": _("Give the country as its two-letter ISO code, e.g. KE.")}
        )
    return country


def ask_query(
    community: Community,
    *,
    actor: AnyUser,
    title: str,
    body: str,
    context: str = "",
    country: str = "",
    needed_by: datetime.date | None = None,
    topics: Iterable[Topic] = (),
    direct_connect: bool = False,
    attachments: Sequence[File[Any]] = (),
) -> Exchange:
    """A member asks the community; it waits for triage or goes straight out (community setting).

    A direct-connect query goes privately to the facilitators, always through triage.
    ``attachments`` are uploaded files, checked by ``solex.core.files`` (a refused file
    refuses the whole question, with the reason on the ``attachments`` field).
    """
    user = _signed_in(actor)
    policy.check_ask(user, community)
    title = _title(title)
    body = _text(body, field="body", label=_("The question"), maximum=MAX_BODY)
    context = _text(
        context, field="context", label=_("The context"), maximum=MAX_CONTEXT, required=False
    )
    country = _clean_country(country)
    _check_needed_by(needed_by)
    _check_attachment_count(attachments)
    triage = direct_connect or exchange_settings(community).triage_queries
    with transaction.atomic():
        stored = _accept_files(attachments)
        exchange = _create(
            community,
            author=user,
            kind=Kind.QUERY,
            title=title,
            body=body,
            context=context,
            country=country,
            needed_by=needed_by,
            status=Status.TRIAGE if triage else Status.OPEN,
            is_direct_connect=direct_connect,
        )
        exchange.topics.set(list(topics))
        _attach(exchange, None, user, stored)
        _record(exchange, actor=user, action=ExchangeEvent.Action.ASKED)
        notify.notify_query_asked(exchange)
    return exchange


def ask_direct(
    community: Community, *, actor: AnyUser, title: str, body: str, context: str = ""
) -> Exchange:
    """Direct connect: a member asks the facilitators privately (seed 002)."""
    return ask_query(
        community, actor=actor, title=title, body=body, context=context, direct_connect=True
    )


def start_exchange(
    community: Community,
    *,
    author: User,
    kind: str,
    title: str,
    body: str,
    opens_at: datetime.datetime | None = None,
    closes_at: datetime.datetime | None = None,
) -> Exchange:
    """The open Exchange row of a consultation, discussion or collaboration.

    For the apps of those kinds, inside their own transaction: they have checked
    permission and validated the text and dates already.
    """
    exchange = _create(
        community,
        author=author,
        kind=kind,
        title=title,
        body=body,
        context="",
        country="",
        needed_by=None,
        status=Status.OPEN,
    )
    if opens_at is not None or closes_at is not None:
        exchange.opens_at, exchange.closes_at = opens_at, closes_at
        exchange.save(update_fields=["opens_at", "closes_at"])
    _record(exchange, actor=author, action=ExchangeEvent.Action.ASKED)
    return exchange


def update_exchange_settings(
    community: Community,
    *,
    actor: AnyUser,
    triage_queries: bool,
    reminder_days: int,
    escalation_days: int,
) -> ExchangeSettings:
    user = _signed_in(actor)
    policy.check_change_settings(user, community)
    if not 1 <= reminder_days <= 60:
        raise ValidationError({"reminder_days": _("Choose between 1 and 60 days.")})
    if not reminder_days < escalation_days <= 90:
        raise ValidationError(
            {"escalation_days": _("Escalate after the reminder, and within 90 days.")}
        )
    with transaction.atomic():
        found, _created = ExchangeSettings.objects.update_or_create(
            community=community,
            defaults={
                "triage_queries": triage_queries,
                "reminder_days": reminder_days,
                "escalation_days": escalation_days,
            },
        )
    return found


# --- Triage ---------------------------------------------------------------------------------


def sharpen_query(
    exchange: Exchange, *, actor: AnyUser, title: str, body: str, reason: str
) -> Exchange:
    """A facilitator rewords a query; the earlier wording stays in its visible history."""
    user = _signed_in(actor)
    policy.check_triage(user, exchange)
    title = _title(title)
    body = _text(body, field="body", label=_("The question"), maximum=MAX_BODY)
    reason = _text(
        reason, field="reason", label=_("The reason"), maximum=MAX_REASON, required=False
    )
    with transaction.atomic():
        locked = _lock(exchange)
        if not locked.is_open:
            raise ValidationError(_("This exchange is closed: its wording can no longer change."))
        if locked.title == title and locked.body == body:
            raise ValidationError(_("Nothing changed: edit the title or the question."))
        ExchangeRevision.objects.create(
            exchange=locked, title=locked.title, body=locked.body, edited_by=user, reason=reason
        )
        locked.title = title
        locked.body = body
        locked.body_html = render_markdown(body)
        locked.save(update_fields=["title", "body", "body_html"])
        _record(locked, actor=user, action=ExchangeEvent.Action.SHARPENED, reason=reason)
    _refresh(exchange, locked, "title", "body", "body_html")
    return exchange


def release_query(exchange: Exchange, *, actor: AnyUser) -> Exchange:
    """Triage → open: the community sees the query and may reply."""
    user = _signed_in(actor)
    policy.check_triage(user, exchange)
    if exchange.is_direct_connect:
        raise ValidationError(
            _("A direct-connect request stays private: publish it anonymised instead.")
        )
    with transaction.atomic():
        locked = _lock(exchange)
        if locked.status != Status.TRIAGE:
            raise ValidationError(_("This query is not waiting for triage."), code="not_triage")
        locked.status = Status.OPEN
        locked.last_activity_at = timezone.now()
        locked.save(update_fields=["status", "last_activity_at"])
        _record(locked, actor=user, action=ExchangeEvent.Action.RELEASED)
    _refresh(exchange, locked, "status", "last_activity_at")
    return exchange


def _close(
    exchange: Exchange,
    *,
    actor: User,
    reason: str,
    note: str = "",
    moved_to: Exchange | None = None,
) -> None:
    """Close a locked, open exchange (the caller checked permission)."""
    now = timezone.now()
    exchange.status = Status.CLOSED
    exchange.close_reason = reason
    exchange.close_note = note
    exchange.closed_at = now
    exchange.closed_by = actor
    exchange.moved_to = moved_to
    exchange.last_activity_at = now
    exchange.save(
        update_fields=[
            "status",
            "close_reason",
            "close_note",
            "closed_at",
            "closed_by",
            "moved_to",
            "last_activity_at",
        ]
    )


CLOSE_FIELDS = (
    "status",
    "close_reason",
    "close_note",
    "closed_at",
    "closed_by",
    "moved_to",
    "last_activity_at",
)


def close_exchange(
    exchange: Exchange,
    *,
    actor: AnyUser,
    reason: str,
    note: str = "",
    moved_to: Exchange | None = None,
) -> Exchange:
    """Close with a reason shown on the exchange.

    Facilitators close for any reason; the asker may withdraw their own question. A
    duplicate and a hand-off name where the conversation went (``moved_to``).
    """
    user = _signed_in(actor)
    if reason not in CloseReason.values:
        raise ValidationError({"reason": _("Choose why the exchange closes.")})
    policy.check_close(user, exchange, reason=reason)
    note = _text(note, field="note", label=_("The note"), maximum=MAX_NOTE, required=False)
    if reason in (CloseReason.DUPLICATE, CloseReason.HANDED_OFF) and moved_to is None:
        raise ValidationError({"moved_to": _("Name the exchange this one continues in.")})
    if moved_to is not None and moved_to.pk == exchange.pk:
        raise ValidationError({"moved_to": _("An exchange cannot continue in itself.")})
    with transaction.atomic():
        locked = _lock(exchange)
        if not locked.is_open:
            raise ValidationError(_("This exchange is already closed."), code="closed")
        _close(locked, actor=user, reason=reason, note=note, moved_to=moved_to)
        detail = CloseReason(reason).label
        _record(
            locked, actor=user, action=ExchangeEvent.Action.CLOSED, detail=str(detail), reason=note
        )
        notify.notify_query_closed(locked, actor=user)
    _refresh(exchange, locked, *CLOSE_FIELDS)
    return exchange


def merge_duplicate(exchange: Exchange, *, actor: AnyUser, into: Exchange) -> Exchange:
    """Close a query as a duplicate of an earlier exchange in the same community."""
    user = _signed_in(actor)
    policy.check_triage(user, exchange)
    if into.pk == exchange.pk:
        raise ValidationError({"into": _("A query cannot be a duplicate of itself.")})
    if into.community_id != exchange.community_id:
        raise ValidationError({"into": _("Merge into an exchange of the same community.")})
    if into.is_direct_connect and not exchange.is_direct_connect:
        raise ValidationError({"into": _("A private direct-connect request cannot take merges.")})
    if into.moved_to_id == exchange.pk:
        raise ValidationError({"into": _("That exchange was itself merged into this one.")})
    with transaction.atomic():
        locked = _lock(exchange)
        if not locked.is_open:
            raise ValidationError(_("This exchange is already closed."), code="closed")
        _close(locked, actor=user, reason=CloseReason.DUPLICATE, moved_to=into)
        _record(
            locked,
            actor=user,
            action=ExchangeEvent.Action.MERGED,
            detail=f"#{into.pk} {into.title}",
        )
    _refresh(exchange, locked, *CLOSE_FIELDS)
    return exchange


def hand_off(
    exchange: Exchange, *, actor: AnyUser, to_community: Community, note: str = ""
) -> Exchange:
    """Forward an exchange to another community of the same meta-network.

    The copy links back to the original (``origin``), the original closes as handed
    off and points at the copy (``moved_to``). Returns the copy.
    """
    user = _signed_in(actor)
    policy.check_triage(user, exchange)
    note = _text(note, field="note", label=_("The note"), maximum=MAX_NOTE, required=False)
    if exchange.is_direct_connect:
        raise ValidationError(_("A direct-connect request stays private: it cannot be handed off."))
    if to_community.pk == exchange.community_id:
        raise ValidationError({"to_community": _("Choose another community.")})
    if not community_policy.can_view_community(user, to_community):
        raise ValidationError({"to_community": _("No such community.")})
    if to_community.is_archived:
        raise ValidationError({"to_community": _("That community is a read-only archive.")})
    if network_root(to_community).pk != network_root(exchange.community).pk:
        raise ValidationError(
            {"to_community": _("Hand off only to a community of the same network.")}
        )
    triage = exchange_settings(to_community).triage_queries
    with transaction.atomic():
        locked = _lock(exchange)
        if not locked.is_open:
            raise ValidationError(_("This exchange is already closed."), code="closed")
        copy = _create(
            to_community,
            author=locked.author,
            kind=locked.kind,
            title=locked.title,
            body=locked.body,
            context=locked.context,
            country=locked.country,
            needed_by=locked.needed_by,
            status=Status.TRIAGE if triage else Status.OPEN,
            origin=locked,
        )
        copy.is_anonymous = locked.is_anonymous
        copy.save(update_fields=["is_anonymous"])
        copy.topics.set(list(locked.topics.all()))
        _record(
            copy,
            actor=user,
            action=ExchangeEvent.Action.RECEIVED,
            detail=exchange.community.name,
            reason=note,
        )
        _close(locked, actor=user, reason=CloseReason.HANDED_OFF, note=note, moved_to=copy)
        _record(
            locked,
            actor=user,
            action=ExchangeEvent.Action.HANDED_OFF,
            detail=to_community.name,
            reason=note,
        )
    _refresh(exchange, locked, *CLOSE_FIELDS)
    return copy


def lock_exchange(exchange: Exchange, *, actor: AnyUser, reason: str) -> Exchange:
    user = _signed_in(actor)
    policy.check_triage(user, exchange)
    reason = _text(reason, field="reason", label=_("The reason"), maximum=MAX_REASON)
    with transaction.atomic():
        locked = _lock(exchange)
        if locked.is_locked:
            raise ValidationError(_("This exchange is already locked."))
        locked.is_locked = True
        locked.locked_reason = reason
        locked.save(update_fields=["is_locked", "locked_reason"])
        _record(locked, actor=user, action=ExchangeEvent.Action.LOCKED, reason=reason)
    _refresh(exchange, locked, "is_locked", "locked_reason")
    return exchange


def unlock_exchange(exchange: Exchange, *, actor: AnyUser) -> Exchange:
    user = _signed_in(actor)
    policy.check_triage(user, exchange)
    with transaction.atomic():
        locked = _lock(exchange)
        if not locked.is_locked:
            raise ValidationError(_("This exchange is not locked."))
        locked.is_locked = False
        locked.locked_reason = ""
        locked.save(update_fields=["is_locked", "locked_reason"])
        _record(locked, actor=user, action=ExchangeEvent.Action.UNLOCKED)
    _refresh(exchange, locked, "is_locked", "locked_reason")
    return exchange


# --- Routing ------------------------------------------------------------------------------------


def _routable(exchange: Exchange, experts: Sequence[User]) -> None:
    """Every expert belongs here or to a neighbouring community, and may read the query."""
    community = exchange.community
    neighbours = Community.objects.filter(related_communities(community))
    member_ids = set(
        Membership.objects.filter(
            Q(community=community) | Q(community__in=neighbours),
            user__in=[expert.pk for expert in experts],
            user__is_active=True,
        ).values_list("user_id", flat=True)
    )
    refused = [
        expert
        for expert in experts
        if expert.pk not in member_ids or not policy.can_view_exchange(expert, exchange)
    ]
    if refused:
        names = ", ".join(str(expert) for expert in refused)
        raise ValidationError(
            {
                "experts": _(
                    "Only members of this community (or its network) who can read the query "
                    "can be asked; not: %(names)s."
                )
                % {"names": names}
            },
            code="not_member",
        )


def route_query(
    exchange: Exchange,
    *,
    actor: AnyUser,
    experts: Sequence[User],
    reasons: Mapping[int, str] | None = None,
) -> list[ExpertRequest]:
    """Ask experts directly. A query still in triage is released to the community too.

    ``reasons`` maps an expert's id to why Solex suggested them, as the facilitator saw
    it. Asking someone twice is harmless: they keep their first request. Returns the
    requests this call made.
    """
    user = _signed_in(actor)
    policy.check_route(user, exchange)
    experts = list({expert.pk: expert for expert in experts}.values())
    if not experts:
        raise ValidationError({"experts": _("Choose at least one person to ask.")})
    if len(experts) > MAX_EXPERTS:
        raise ValidationError(
            {"experts": _("Ask at most %(max)d people at once.") % {"max": MAX_EXPERTS}}
        )
    if exchange.author_id in {expert.pk for expert in experts}:
        raise ValidationError({"experts": _("The asker cannot be asked their own question.")})
    _routable(exchange, experts)
    reasons = reasons or {}
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(exchange)
        if not locked.is_open:
            raise ValidationError(_("This exchange is closed."), code="closed")
        already = set(
            ExpertRequest.objects.filter(exchange=locked).values_list("expert_id", flat=True)
        )
        ExpertRequest.objects.bulk_create(
            [
                ExpertRequest(
                    exchange=locked,
                    expert=expert,
                    requested_by=user,
                    reason=reasons.get(expert.pk, "")[:300],
                    requested_at=now,
                )
                for expert in experts
                if expert.pk not in already
            ],
            # Two facilitators routing at once: the unique constraint keeps one request.
            ignore_conflicts=True,
        )
        made = list(
            ExpertRequest.objects.filter(exchange=locked, requested_at=now, requested_by=user)
            .exclude(expert_id__in=already)
            .select_related("expert")
        )
        fields = ["routed_at", "last_activity_at"]
        if locked.routed_at is None:
            locked.routed_at = now
        locked.last_activity_at = now
        if locked.status == Status.TRIAGE and not locked.is_direct_connect:
            locked.status = Status.OPEN
            fields.append("status")
            _record(locked, actor=user, action=ExchangeEvent.Action.RELEASED)
        locked.save(update_fields=fields)
        _record(
            locked,
            actor=user,
            action=ExchangeEvent.Action.ROUTED,
            detail=", ".join(str(request.expert) for request in made),
        )
        notify.notify_experts_requested(made)
    _refresh(exchange, locked, "routed_at", "last_activity_at", "status")
    return made


# --- Replies ---------------------------------------------------------------------------------------


def post_reply(
    exchange: Exchange,
    *,
    actor: AnyUser,
    body: str,
    parent: Reply | None = None,
    paragraph: int | None = None,
    attachments: Sequence[File[Any]] = (),
) -> Reply:
    """Reply on the web (and later by email). Keeps the counters and service clocks."""
    user = _signed_in(actor)
    policy.check_reply(user, exchange)
    body = _text(body, field="body", label=_("The reply"), maximum=MAX_REPLY)
    _check_attachment_count(attachments)
    if parent is not None and parent.exchange_id != exchange.pk:
        raise ValidationError({"parent": _("That reply belongs to another exchange.")})
    if paragraph is not None and paragraph < 1:
        raise ValidationError({"paragraph": _("Paragraphs are numbered from 1.")})
    with transaction.atomic():
        locked = _lock(exchange)
        # The exchange may have closed or locked since the check above.
        policy.check_reply(user, locked)
        now = timezone.now()
        reply = Reply.objects.create(
            exchange=locked,
            author=user,
            body=body,
            body_html=render_markdown(body),
            parent=parent,
            paragraph=paragraph,
            created_at=now,
        )
        _attach(locked, reply, user, _accept_files(attachments))
        changes: dict[str, object] = {"reply_count": F("reply_count") + 1, "last_activity_at": now}
        if locked.author_id != user.pk:
            changes["first_reply_at"] = Coalesce(F("first_reply_at"), Value(now))
        Exchange.objects.filter(pk=locked.pk).update(**changes)
        ExpertRequest.objects.filter(exchange=locked, expert=user, answered_at__isnull=True).update(
            answered_at=now
        )
        notify.notify_reply_posted(reply)
    exchange.refresh_from_db(fields=["reply_count", "last_activity_at", "first_reply_at"])
    return reply


def edit_reply(reply: Reply, *, actor: AnyUser, body: str, reason: str = "") -> Reply:
    """Its author or a facilitator rewords a reply; the earlier wording is kept."""
    user = _signed_in(actor)
    policy.check_edit_reply(user, reply)
    body = _text(body, field="body", label=_("The reply"), maximum=MAX_REPLY)
    reason = _text(
        reason, field="reason", label=_("The reason"), maximum=MAX_REASON, required=False
    )
    if body == reply.body:
        raise ValidationError({"body": _("Nothing changed.")})
    with transaction.atomic():
        ReplyRevision.objects.create(reply=reply, body=reply.body, edited_by=user, reason=reason)
        reply.body = body
        reply.body_html = render_markdown(body)
        reply.edited_at = timezone.now()
        reply.save(update_fields=["body", "body_html", "edited_at"])
        if reply.author_id != user.pk:
            _record(
                reply.exchange,
                actor=user,
                action=ExchangeEvent.Action.REPLY_EDITED,
                detail=f"#{reply.pk}",
                reason=reason,
            )
    return reply


def mark_helpful(reply: Reply, *, actor: AnyUser) -> Reply:
    """The asker or a facilitator found this reply helpful. Marking twice counts once."""
    user = _signed_in(actor)
    policy.check_mark_helpful(user, reply)
    with transaction.atomic():
        try:
            with transaction.atomic():
                HelpfulMark.objects.create(reply=reply, user=user)
        except IntegrityError:
            return reply
        Reply.objects.filter(pk=reply.pk).update(helpful_count=F("helpful_count") + 1)
    reply.refresh_from_db(fields=["helpful_count"])
    return reply


def unmark_helpful(reply: Reply, *, actor: AnyUser) -> Reply:
    user = _signed_in(actor)
    policy.check_view_exchange(user, reply.exchange)
    with transaction.atomic():
        deleted, _rows = HelpfulMark.objects.filter(reply=reply, user=user).delete()
        if deleted:
            Reply.objects.filter(pk=reply.pk, helpful_count__gt=0).update(
                helpful_count=F("helpful_count") - 1
            )
    reply.refresh_from_db(fields=["helpful_count"])
    return reply


def hide_reply(reply: Reply, *, actor: AnyUser, reason: str) -> Reply:
    """Moderation: the reply stays, folded away behind the visible reason."""
    user = _signed_in(actor)
    policy.check_triage(user, reply.exchange)
    reason = _text(reason, field="reason", label=_("The reason"), maximum=MAX_REASON)
    with transaction.atomic():
        updated = Reply.objects.filter(pk=reply.pk, is_hidden=False).update(
            is_hidden=True, hidden_reason=reason, hidden_by=user
        )
        if not updated:
            raise ValidationError(_("This reply is already hidden."))
        _record(
            reply.exchange,
            actor=user,
            action=ExchangeEvent.Action.REPLY_HIDDEN,
            detail=f"#{reply.pk}",
            reason=reason,
        )
    reply.refresh_from_db(fields=["is_hidden", "hidden_reason", "hidden_by"])
    return reply


def show_reply(reply: Reply, *, actor: AnyUser) -> Reply:
    user = _signed_in(actor)
    policy.check_triage(user, reply.exchange)
    with transaction.atomic():
        updated = Reply.objects.filter(pk=reply.pk, is_hidden=True).update(
            is_hidden=False, hidden_reason="", hidden_by=None
        )
        if not updated:
            raise ValidationError(_("This reply is not hidden."))
        _record(
            reply.exchange,
            actor=user,
            action=ExchangeEvent.Action.REPLY_SHOWN,
            detail=f"#{reply.pk}",
        )
    reply.refresh_from_db(fields=["is_hidden", "hidden_reason", "hidden_by"])
    return reply


# --- Direct connect ------------------------------------------------------------------------------


def _check_direct(exchange: Exchange) -> None:
    if not exchange.is_direct_connect:
        raise ValidationError(_("This is not a direct-connect request."), code="not_direct")


def connect_people(
    exchange: Exchange, *, actor: AnyUser, people: Sequence[User], note: str = ""
) -> list[Connection]:
    """A facilitator puts the asker of a direct-connect request in touch with named people."""
    user = _signed_in(actor)
    policy.check_triage(user, exchange)
    _check_direct(exchange)
    note = _text(note, field="note", label=_("The note"), maximum=MAX_NOTE, required=False)
    people = [person for person in {p.pk: p for p in people}.values() if person.is_active]
    if not people:
        raise ValidationError({"people": _("Choose at least one person to connect with.")})
    if len(people) > MAX_CONNECTIONS:
        raise ValidationError(
            {"people": _("Connect at most %(max)d people at once.") % {"max": MAX_CONNECTIONS}}
        )
    if exchange.author_id in {person.pk for person in people}:
        raise ValidationError({"people": _("The asker cannot be connected with themselves.")})
    with transaction.atomic():
        locked = _lock(exchange)
        if not locked.is_open:
            raise ValidationError(_("This exchange is closed."), code="closed")
        already = set(
            Connection.objects.filter(exchange=locked).values_list("person_id", flat=True)
        )
        Connection.objects.bulk_create(
            [
                Connection(exchange=locked, person=person, connected_by=user, note=note)
                for person in people
                if person.pk not in already
            ],
            ignore_conflicts=True,
        )
        made = list(
            Connection.objects.filter(exchange=locked)
            .exclude(person_id__in=already)
            .select_related("person")
        )
        _record(
            locked,
            actor=user,
            action=ExchangeEvent.Action.CONNECTED,
            detail=", ".join(str(c.person) for c in made),
            reason=note,
        )
        Exchange.objects.filter(pk=locked.pk).update(last_activity_at=timezone.now())
    return made


def publish_anonymised(exchange: Exchange, *, actor: AnyUser) -> Exchange:
    """A direct-connect request becomes an open query for the community, without the asker's name."""
    user = _signed_in(actor)
    policy.check_triage(user, exchange)
    _check_direct(exchange)
    with transaction.atomic():
        locked = _lock(exchange)
        if not locked.is_open:
            raise ValidationError(_("This exchange is closed."), code="closed")
        locked.is_direct_connect = False
        locked.is_anonymous = True
        locked.status = Status.OPEN
        locked.last_activity_at = timezone.now()
        locked.save(
            update_fields=["is_direct_connect", "is_anonymous", "status", "last_activity_at"]
        )
        _record(locked, actor=user, action=ExchangeEvent.Action.PUBLISHED)
    _refresh(exchange, locked, "is_direct_connect", "is_anonymous", "status", "last_activity_at")
    return exchange


# --- Attachments ----------------------------------------------------------------------------


def _check_attachment_count(uploads: Sequence[object], *, already: int = 0) -> None:
    if len(uploads) + already > MAX_ATTACHMENTS:
        raise ValidationError(
            {
                "attachments": _("Attach at most %(max)d files (you chose %(n)d).")
                % {"max": MAX_ATTACHMENTS, "n": len(uploads) + already}
            }
        )


def _accept_files(uploads: Sequence[File[Any]]) -> list[StoredFile]:
    """Check and store each file (call inside the action's transaction)."""
    stored = []
    for upload in uploads:
        try:
            stored.append(files.accept_upload(upload))
        except ValidationError as error:
            raise ValidationError({"attachments": error.messages}) from error
    return stored


def _attach(
    exchange: Exchange, reply: Reply | None, user: User, stored: Sequence[StoredFile]
) -> list[Attachment]:
    return Attachment.objects.bulk_create(
        [Attachment(exchange=exchange, reply=reply, file=f, uploaded_by=user) for f in stored]
    )


def attach_files(
    exchange: Exchange,
    *,
    actor: AnyUser,
    uploads: Sequence[File[Any]],
    reply: Reply | None = None,
) -> list[Attachment]:
    """Add files to a query (its asker or a facilitator) or to a reply (whoever may edit it)."""
    user = _signed_in(actor)
    if reply is not None:
        if reply.exchange_id != exchange.pk:
            raise ValidationError({"reply": _("That reply belongs to another exchange.")})
        policy.check_edit_reply(user, reply)
    else:
        policy.check_attach(user, exchange)
    if not uploads:
        raise ValidationError({"attachments": _("Choose a file to attach.")})
    _check_attachment_count(
        uploads, already=Attachment.objects.filter(exchange=exchange, reply=reply).count()
    )
    with transaction.atomic():
        return _attach(exchange, reply, user, _accept_files(uploads))


# --- Drafts ------------------------------------------------------------------------------------

DRAFT_FIELDS = frozenset(["title", "body", "context", "country", "needed_by", "paragraph"])


def save_draft(actor: AnyUser, key: str, data: Mapping[str, Any]) -> Draft | None:
    """Keep what someone is typing in a form (only its text fields, each bounded).

    Saving an empty form deletes the draft instead.
    """
    user = _signed_in(actor)
    kept = {
        name: str(value)[:MAX_BODY]
        for name, value in data.items()
        if name in DRAFT_FIELDS and str(value).strip()
    }
    if not kept:
        clear_draft(user, key)
        return None
    draft, _created = Draft.objects.update_or_create(
        user=user, key=key[:60], defaults={"data": kept, "updated_at": timezone.now()}
    )
    return draft


def clear_draft(actor: AnyUser, key: str) -> None:
    if isinstance(actor, User):
        Draft.objects.filter(user=actor, key=key[:60]).delete()


# --- Answering from the library ---------------------------------------------------------------


def answer_from_library(
    exchange: Exchange, *, actor: AnyUser, title: str, url: str, note: str = ""
) -> Exchange:
    """A facilitator closes a query with an existing knowledge item that answers it.

    ``title`` and ``url`` name the item (found through search, which only shows what
    the facilitator may see); the asker is told, and the link shows on the query.
    """
    user = _signed_in(actor)
    policy.check_triage(user, exchange)
    if exchange.kind != Kind.QUERY:
        raise ValidationError(_("Only a query is answered from the library."))
    title = _text(title, field="item", label=_("The item"), maximum=300)
    url = (url or "").strip()
    if not url.startswith("/") or url.startswith("//") or len(url) > 300:
        raise ValidationError({"item": _("Choose an item of this site's library.")})
    note = _text(note, field="note", label=_("The note"), maximum=MAX_NOTE, required=False)
    with transaction.atomic():
        locked = _lock(exchange)
        if not locked.is_open:
            raise ValidationError(_("This exchange is already closed."), code="closed")
        _close(locked, actor=user, reason=CloseReason.LIBRARY, note=note)
        locked.answer_title = title
        locked.answer_url = url
        locked.save(update_fields=["answer_title", "answer_url"])
        _record(locked, actor=user, action=ExchangeEvent.Action.LIBRARY, detail=title, reason=note)
        notify.notify_query_closed(locked, actor=user)
    _refresh(exchange, locked, *CLOSE_FIELDS, "answer_title", "answer_url")
    return exchange
