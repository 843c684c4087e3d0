"""Every change to consultations: start, comment, revise, close, answer, summarise, publish.

Each action checks permission, validates and writes in one transaction, so a refusal
changes nothing; bad input raises ``ValidationError`` with a message meant for a
person. The consultation is an ``Exchange``: it is created with the exchanges' own
helpers and comments go through ``exchanges.actions.post_reply`` (counters, service
clocks, notifications), with this app's rows written beside them.

Concurrent editing of the feedback summary works as in the consolidated-reply
editor: a save names the draft version it was made on and goes through only if that
is still the current one (a conditional UPDATE, so two saves cannot both win); the
loser gets ``SummaryConflictError`` and keeps their text.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from solex.accounts.models import User
from solex.consultations import drafting, queries
from solex.consultations import paragraphs as splitting
from solex.consultations import permissions as policy
from solex.consultations.models import CommentRecord, DraftVersion, Response, SummaryDraft
from solex.core import files
from solex.core.markdown import render_markdown
from solex.core.models import StoredFile
from solex.exchanges import actions as exchange_actions
from solex.exchanges import notify as exchange_notify
from solex.exchanges.models import (
    CloseReason,
    Exchange,
    ExchangeEvent,
    Kind,
    Reply,
    Status,
)
from solex.knowledge.models import KnowledgeItem
from solex.notifications.actions import notify, translated
from solex.taxonomy.models import Topic

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.core.files import File

    from solex.communities.models import Community

    AnyUser = User | AnonymousUser

MAX_PURPOSE = exchange_actions.MAX_CONTEXT
MAX_DRAFT = 50_000
MAX_COMMENT = exchange_actions.MAX_REPLY
MAX_NOTE = 500
MAX_REASON = 2_000
MAX_SUMMARY_TITLE = 200
MAX_SUMMARY = 500
MAX_SUMMARY_BODY = 100_000
#: The longest a consultation may run: a deadline further away is most likely a typo.
MAX_DURATION = datetime.timedelta(days=366)


class SummaryConflictError(ValidationError):
    """Someone saved the summary since this editor opened: nothing was overwritten."""

    def __init__(self, current: SummaryDraft) -> None:
        super().__init__(
            _(
                "%(person)s saved this summary while you were editing it. Nothing was "
                "overwritten: your text is below. Compare it with the saved version, "
                "then save again to replace it."
            )
            % {"person": drafting.person_label(current.updated_by)},
            code="conflict",
        )
        self.current = current


def _signed_in(actor: AnyUser) -> User:
    if not isinstance(actor, User) or not actor.is_active:
        raise PermissionDenied(_("Log in first."))
    return actor


def summary_url(exchange: Exchange) -> str:
    return reverse("consultations:summary", args=[exchange.pk])


def _check_deadline(closes_at: datetime.datetime | None) -> datetime.datetime:
    if closes_at is None:
        raise ValidationError({"closes_at": _("Choose when comments close.")})
    if timezone.is_naive(closes_at):
        closes_at = timezone.make_aware(closes_at)
    now = timezone.now()
    if closes_at <= now:
        raise ValidationError(
            {"closes_at": _("The deadline is in the past: choose a moment still to come.")}
        )
    if closes_at - now > MAX_DURATION:
        raise ValidationError(
            {"closes_at": _("Keep the consultation to a year at most: choose an earlier deadline.")}
        )
    return closes_at


def _draft(body: str, *, field: str = "body") -> tuple[str, list[splitting.Paragraph]]:
    body = exchange_actions._text(body, field=field, label=_("The draft"), maximum=MAX_DRAFT)
    blocks = splitting.split(body)
    if not splitting.count(blocks):
        raise ValidationError(
            {field: _("The draft needs at least one paragraph of text, not only headings.")}
        )
    return body, blocks


def _accept(upload: File[Any] | None) -> StoredFile | None:
    """The attached file, checked by content and stored; its refusal names the field."""
    if upload is None:
        return None
    try:
        return files.accept_upload(upload)
    except ValidationError as error:
        raise ValidationError({"attachment": error.messages}) from error


# --- Starting -----------------------------------------------------------------------------


def start_consultation(
    community: Community,
    *,
    actor: AnyUser,
    title: str,
    purpose: str,
    body: str,
    closes_at: datetime.datetime | None,
    topics: Iterable[Topic] = (),
    attachment: File[Any] | None = None,
) -> Exchange:
    """A member puts a draft to the community, open for comments until ``closes_at``.

    ``attachment`` is an optional file of the draft (PDF, Word...), checked by content.
    """
    user = _signed_in(actor)
    policy.check_start(user, community)
    title = exchange_actions._title(title)
    purpose = exchange_actions._text(
        purpose, field="purpose", label=_("The purpose"), maximum=MAX_PURPOSE
    )
    body, blocks = _draft(body)
    closes_at = _check_deadline(closes_at)
    with transaction.atomic():
        stored = _accept(attachment)
        exchange = exchange_actions._create(
            community,
            author=user,
            kind=Kind.CONSULTATION,
            title=title,
            body=body,
            context=purpose,
            country="",
            needed_by=None,
            status=Status.OPEN,
        )
        exchange.opens_at = exchange.created_at
        exchange.closes_at = closes_at
        exchange.save(update_fields=["opens_at", "closes_at"])
        exchange.topics.set(list(topics))
        DraftVersion.objects.create(
            exchange=exchange,
            number=1,
            body=body,
            paragraphs=blocks,
            attachment=stored,
            created_by=user,
            created_at=exchange.created_at,
        )
        exchange_actions._record(exchange, actor=user, action=ExchangeEvent.Action.ASKED)
        notify(
            exchange_notify.facilitators(community),
            kind="consultation.started",
            text=translated(
                gettext_noop("%(author)s opened a consultation in %(community)s"),
                author=drafting.person_label(user),
                community=community.name,
            ),
            target_url=exchange.get_absolute_url(),
            target_label=exchange.title,
            group_key=f"exchange:{exchange.pk}",
            actor=user,
        )
    return exchange


def _ensure_first_version(exchange: Exchange) -> None:
    """Older consultations (without version rows) get theirs before anything builds on it."""
    if not DraftVersion.objects.filter(exchange=exchange).exists():
        DraftVersion.objects.get_or_create(
            exchange=exchange,
            number=1,
            defaults={
                "body": exchange.body,
                "paragraphs": splitting.split(exchange.body),
                "created_by": exchange.author,
                "created_at": exchange.created_at,
            },
        )


# --- Commenting ---------------------------------------------------------------------------


def comment(
    exchange: Exchange,
    *,
    actor: AnyUser,
    body: str,
    paragraph: int | None = None,
    version: int | None = None,
    parent: Reply | None = None,
) -> Reply:
    """Comment on a paragraph of a version (the current one by default), or on the whole.

    A reply to a comment (``parent``) is about the same paragraph as the comment.
    """
    user = _signed_in(actor)
    policy.check_comment(user, exchange)
    body = exchange_actions._text(body, field="body", label=_("The comment"), maximum=MAX_COMMENT)
    versions = {item.number: item for item in queries.versions_of(exchange)}
    current = max(versions)
    number = current if version is None else version
    if number not in versions:
        raise ValidationError(
            {
                "version": _("There is no version %(version)d: the current one is %(current)d.")
                % {"version": number, "current": current}
            }
        )
    if parent is not None:
        if parent.exchange_id != exchange.pk:
            raise ValidationError({"parent": _("That comment belongs to another consultation.")})
        paragraph = parent.paragraph
    elif paragraph is not None:
        numbers = {block.get("number") for block in versions[number].paragraphs} - {None}
        if paragraph not in numbers:
            raise ValidationError(
                {
                    "paragraph": _(
                        "Version %(version)d has no paragraph %(paragraph)d: its paragraphs "
                        "are numbered 1 to %(count)d."
                    )
                    % {"version": number, "paragraph": paragraph, "count": len(numbers)}
                }
            )
    with transaction.atomic():
        reply = exchange_actions.post_reply(
            exchange, actor=user, body=body, parent=parent, paragraph=paragraph
        )
        CommentRecord.objects.create(reply=reply, exchange=exchange, version=number)
    return reply


# --- New versions -------------------------------------------------------------------------


def post_version(
    exchange: Exchange,
    *,
    actor: AnyUser,
    body: str,
    note: str = "",
    attachment: File[Any] | None = None,
) -> DraftVersion:
    """The owner posts a new version of the draft; earlier versions and their comments stay.

    Without a new ``attachment`` the version keeps the previous version's file.
    """
    user = _signed_in(actor)
    policy.check_revise(user, exchange)
    body, blocks = _draft(body)
    note = exchange_actions._text(
        note, field="note", label=_("The note"), maximum=MAX_NOTE, required=False
    )
    with transaction.atomic():
        locked = exchange_actions._lock(exchange)
        policy.check_revise(user, locked)
        _ensure_first_version(locked)
        latest = DraftVersion.objects.filter(exchange=locked).aggregate(n=Max("number"))["n"] or 0
        previous = DraftVersion.objects.get(exchange=locked, number=latest)
        if previous.body == body and attachment is None:
            raise ValidationError({"body": _("Nothing changed: edit the draft first.")})
        stored = _accept(attachment) or previous.attachment
        now = timezone.now()
        version = DraftVersion.objects.create(
            exchange=locked,
            number=latest + 1,
            body=body,
            paragraphs=blocks,
            note=note,
            attachment=stored,
            created_by=user,
            created_at=now,
        )
        locked.body = body
        locked.body_html = render_markdown(body)
        locked.last_activity_at = now
        locked.save(update_fields=["body", "body_html", "last_activity_at"])
        exchange_actions._record(
            locked,
            actor=user,
            action=ExchangeEvent.Action.SHARPENED,
            detail=_("version %(number)d") % {"number": version.number},
            reason=note,
        )
        commenters = list(
            User.objects.filter(is_active=True, replies__exchange=locked).distinct().order_by("pk")
        )
        notify(
            commenters,
            kind="consultation.version",
            text=translated(
                gettext_noop("Version %(number)s of the draft you commented on is posted"),
                number=str(version.number),
            ),
            target_url=locked.get_absolute_url(),
            target_label=locked.title,
            group_key=f"exchange:{locked.pk}",
            actor=user,
        )
    exchange.body, exchange.body_html = locked.body, locked.body_html
    exchange.last_activity_at = locked.last_activity_at
    return version


# --- Closing ------------------------------------------------------------------------------


def _close_locked(locked: Exchange, *, actor: User | None, note: str) -> SummaryDraft:
    now = timezone.now()
    locked.status = Status.CLOSED
    locked.close_reason = CloseReason.COMPLETED
    locked.close_note = note
    locked.closed_at = now
    locked.closed_by = actor
    locked.last_activity_at = now
    locked.save(update_fields=list(exchange_actions.CLOSE_FIELDS))
    exchange_actions._record(
        locked,
        actor=actor,
        action=ExchangeEvent.Action.CLOSED,
        detail=str(CloseReason.COMPLETED.label) if actor else _("the deadline passed"),
        reason=note,
    )
    draft = _open_summary(locked, user=actor)
    owner = locked.author
    if owner is not None:
        notify(
            [owner],
            kind="consultation.closed",
            text=translated(
                gettext_noop(
                    "Comments on your consultation have closed: the feedback summary draft is ready"
                )
            ),
            target_url=reverse("consultations:summary-editor", args=[locked.pk]),
            target_label=locked.title,
            group_key=f"exchange:{locked.pk}",
            actor=actor,
        )
    return draft


def close_consultation(exchange: Exchange, *, actor: AnyUser, note: str = "") -> SummaryDraft:
    """The owner closes comments early (or on time); Solex drafts the feedback summary."""
    user = _signed_in(actor)
    policy.check_close(user, exchange)
    note = exchange_actions._text(
        note, field="note", label=_("The note"), maximum=exchange_actions.MAX_NOTE, required=False
    )
    with transaction.atomic():
        locked = exchange_actions._lock(exchange)
        if not locked.is_open:
            raise ValidationError(_("This consultation is already closed."), code="closed")
        draft = _close_locked(locked, actor=user, note=note)
    exchange_actions._refresh(exchange, locked, *exchange_actions.CLOSE_FIELDS)
    return draft


def close_due(now: datetime.datetime | None = None) -> int:
    """Close every open consultation whose deadline has passed; returns how many.

    Idempotent: each is closed under its row lock after checking it is still open, so a
    second run (or a second worker) finds nothing left to do.
    """
    moment = now or timezone.now()
    due = list(
        Exchange.objects.filter(
            kind=Kind.CONSULTATION, status=Status.OPEN, closes_at__lte=moment
        ).values_list("pk", flat=True)
    )
    closed = 0
    for pk in due:
        with transaction.atomic():
            locked = Exchange.objects.select_for_update().select_related("community").get(pk=pk)
            if not locked.is_open:
                continue
            _close_locked(locked, actor=None, note="")
            closed += 1
    return closed


# --- You said, we did ---------------------------------------------------------------------


def respond(reply: Reply, *, actor: AnyUser, response: str, reason: str = "") -> CommentRecord:
    """The owner says what became of a comment: taken up, partly, or not (with a reason)."""
    user = _signed_in(actor)
    exchange = reply.exchange
    policy.check_manage(user, exchange)
    if queries.published_summary(exchange) is not None:
        raise ValidationError(
            _("The feedback summary is published: its answers are final."), code="published"
        )
    if response not in Response.values:
        raise ValidationError(
            {"response": _("Choose: taken up, partly taken up, or not taken up.")}
        )
    reason = exchange_actions._text(
        reason,
        field="reason",
        label=_("The reason"),
        maximum=MAX_REASON,
        required=response != Response.TAKEN_UP,
    )
    if reply.is_hidden:
        raise ValidationError(_("This comment is hidden by a facilitator."), code="hidden")
    if reply.author_id is not None and reply.author_id == exchange.author_id:
        raise ValidationError(_("The owner's own comments need no answer."), code="own")
    now = timezone.now()
    with transaction.atomic():
        record, _created = CommentRecord.objects.get_or_create(
            reply=reply, defaults={"exchange": exchange, "version": 1}
        )
        record.response = response
        record.reason = reason
        record.responded_by = user
        record.responded_at = now
        record.save(update_fields=["response", "reason", "responded_by", "responded_at"])
    return record


# --- The feedback summary -----------------------------------------------------------------


def _open_summary(exchange: Exchange, *, user: User | None) -> SummaryDraft:
    draft = SummaryDraft.objects.filter(exchange=exchange).first()
    if draft is not None:
        return draft
    text = drafting.compose(exchange)
    try:
        with transaction.atomic():
            return SummaryDraft.objects.create(
                exchange=exchange,
                title=text.title,
                summary=text.summary,
                body=text.body,
                created_by=user,
                updated_by=user,
            )
    except IntegrityError:
        return SummaryDraft.objects.get(exchange=exchange)


def open_summary(exchange: Exchange, *, actor: AnyUser) -> SummaryDraft:
    """The consultation's summary draft, written from its comments the first time."""
    user = _signed_in(actor)
    policy.check_summarise(user, exchange)
    with transaction.atomic():
        return _open_summary(exchange, user=user)


def redraft(draft: SummaryDraft, *, actor: AnyUser) -> drafting.DraftText:
    """A fresh automatic draft (not saved until the owner saves it)."""
    user = _signed_in(actor)
    policy.check_summarise(user, draft.exchange)
    return drafting.compose(draft.exchange)


def _clean(title: str, summary: str, body: str) -> tuple[str, str, str]:
    title, summary, body = title.strip(), summary.strip(), body.strip()
    errors: dict[str, str] = {}
    if len(title) > MAX_SUMMARY_TITLE:
        errors["title"] = _("Keep the title under %(max)d characters.") % {"max": MAX_SUMMARY_TITLE}
    if len(summary) > MAX_SUMMARY:
        errors["summary"] = _("Keep the summary under %(max)d characters.") % {"max": MAX_SUMMARY}
    if len(body) > MAX_SUMMARY_BODY:
        errors["body"] = _("The feedback summary is too long: at most %(max)d characters.") % {
            "max": MAX_SUMMARY_BODY
        }
    if errors:
        raise ValidationError(errors)
    return title, summary, body


def _write(
    draft: SummaryDraft, *, user: User, version: int, title: str, summary: str, body: str
) -> SummaryDraft:
    written = SummaryDraft.objects.filter(
        pk=draft.pk, version=version, published_item__isnull=True
    ).update(
        title=title,
        summary=summary,
        body=body,
        version=F("version") + 1,
        updated_by=user,
        updated_at=timezone.now(),
    )
    current = SummaryDraft.objects.select_related("updated_by").get(pk=draft.pk)
    if not written:
        if current.published_item_id is not None:
            raise ValidationError(
                _("This feedback summary is already published."), code="published"
            )
        raise SummaryConflictError(current)
    return current


@transaction.atomic
def save_summary(
    draft: SummaryDraft, *, actor: AnyUser, version: int, title: str, summary: str, body: str
) -> SummaryDraft:
    """Save the owner's text, unless someone saved a newer version meanwhile."""
    user = _signed_in(actor)
    policy.check_summarise(user, draft.exchange)
    title, summary, body = _clean(title, summary, body)
    return _write(draft, user=user, version=version, title=title, summary=summary, body=body)


@transaction.atomic
def publish_summary(
    draft: SummaryDraft, *, actor: AnyUser, version: int, title: str, summary: str, body: str
) -> KnowledgeItem:
    """Publish the summary to the library and tell every contributor what became of their input.

    The item has the community's audience; its contributors are the people whose
    comments it answers. The "you said, we did" table is appended to the owner's text.
    """
    user = _signed_in(actor)
    exchange = draft.exchange
    policy.check_summarise(user, exchange)
    title, summary, body = _clean(title, summary, body)
    errors: dict[str, str] = {}
    if not body:
        errors["body"] = _(
            "The feedback summary is empty. Write it (or keep the automatic draft) before "
            "publishing."
        )
    if not title:
        errors["title"] = _("Give the feedback summary a title.")
    if not summary:
        errors["summary"] = _("Write a short summary: it is what readers of the library see first.")
    if errors:
        raise ValidationError(errors)
    current = _write(draft, user=user, version=version, title=title, summary=summary, body=body)
    comments = queries.comments_of(exchange)
    people = drafting.contributors(exchange, comments)
    full = f"{body}\n\n{drafting.you_said_we_did(exchange)}"
    item = KnowledgeItem.objects.create(
        kind=KnowledgeItem.Kind.CONSULTATION_SUMMARY,
        title=title,
        summary=summary,
        body=full,
        body_html=render_markdown(full),
        community=exchange.community,
        created_by=user,
        source_exchange=exchange,
    )
    item.contributors.set(people)
    current.published_item = item
    current.published_at = timezone.now()
    current.save(update_fields=["published_item", "published_at"])
    _tell_contributors(exchange, comments, actor=user)
    draft.refresh_from_db()
    return item


def _tell_contributors(exchange: Exchange, comments: list[queries.Comment], *, actor: User) -> int:
    """Each contributor hears what became of their own comments."""
    fates: dict[int, Counter[str]] = {}
    people: dict[int, User] = {}
    for comment in queries.answerable(exchange, comments):
        author = comment.reply.author
        if author is None:
            continue
        people[author.pk] = author
        fates.setdefault(author.pk, Counter())[comment.response or "none"] += 1
    told = 0
    url = summary_url(exchange)
    for pk, person in people.items():
        counted = fates[pk]
        told += notify(
            [person],
            kind="consultation.summary",
            text=translated(
                gettext_noop(
                    "The feedback summary is published. Your comments: %(taken)s taken up, "
                    "%(partly)s partly taken up, %(not_taken)s not taken up, %(none)s without "
                    "an answer. See why for each."
                ),
                taken=str(counted[Response.TAKEN_UP]),
                partly=str(counted[Response.PARTLY]),
                not_taken=str(counted[Response.NOT_TAKEN_UP]),
                none=str(counted["none"]),
            ),
            target_url=url,
            target_label=exchange.title,
            group_key=f"exchange:{exchange.pk}:summary",
            actor=actor,
        )
    return told
