"""Every change to discussions: open, invite, post, summarise, close, synthesise, publish.

Each action checks permission, validates, then writes in one transaction, so a
refusal changes nothing. Bad input raises ``ValidationError`` with a message meant
for a person.

Concurrent editing of the synthesis follows the consolidated-reply editor: a draft
carries a ``version``, a save names the version it was made on and goes through
only if that is still the current one (a conditional UPDATE, so two saves cannot
both win). The loser gets ``DraftConflictError`` and keeps their text.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from solex.accounts.models import User
from solex.communities.models import Community, Membership
from solex.core.markdown import render_markdown
from solex.core.tasks import enqueue_on_commit
from solex.discussions import drafting, tasks
from solex.discussions import permissions as policy
from solex.discussions.models import (
    Discussion,
    FramingQuestion,
    Invitation,
    Summary,
    SynthesisDraft,
)
from solex.exchanges import actions as exchange_actions
from solex.exchanges.models import CloseReason, Exchange, ExchangeEvent, Kind, Reply, Status
from solex.knowledge.consolidated.drafting import person_label
from solex.knowledge.models import KnowledgeItem
from solex.notifications.actions import notify, translated

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser

MIN_TITLE = 5
MAX_TITLE = 200
MAX_PURPOSE = 10_000
MAX_QUESTION = 500
MAX_QUESTIONS = 10
MAX_INVITED = 200
MAX_POST = 20_000
MAX_SUMMARY_BODY = 20_000
MAX_SYNTHESIS_SUMMARY = 500
MAX_SYNTHESIS_BODY = 100_000
# An opening date this far in the past is taken as "now" (the form took a while).
OPENING_GRACE = datetime.timedelta(minutes=10)
SUMMARY_EVERY = datetime.timedelta(days=7)


class DraftConflictError(ValidationError):
    """Someone saved the synthesis since this editor opened: nothing was overwritten."""

    def __init__(self, current: SynthesisDraft) -> None:
        super().__init__(
            _(
                "%(person)s saved this synthesis while you were editing it. Nothing was "
                "overwritten: your text is below. Compare it with the saved version, "
                "then save again to replace it."
            )
            % {"person": person_label(current.updated_by)},
            code="conflict",
        )
        self.current = current


def _signed_in(actor: AnyUser) -> User:
    if not isinstance(actor, User) or not actor.is_active:
        raise PermissionDenied(_("Log in first."))
    return actor


def _text(value: str, *, field: str, label: str, maximum: int, required: bool = True) -> str:
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


def _clean_questions(questions: Sequence[str]) -> list[str]:
    cleaned = [question.strip() for question in questions if question and question.strip()]
    if not cleaned:
        raise ValidationError(
            {"questions": _("Ask at least one framing question for contributors to answer.")}
        )
    if len(cleaned) > MAX_QUESTIONS:
        raise ValidationError(
            {"questions": _("Ask at most %(max)d framing questions.") % {"max": MAX_QUESTIONS}}
        )
    for question in cleaned:
        if len(question) > MAX_QUESTION:
            raise ValidationError(
                {
                    "questions": _("Keep each framing question under %(max)d characters.")
                    % {"max": MAX_QUESTION}
                }
            )
    return cleaned


def _clean_window(
    opens_at: datetime.datetime | None, closes_at: datetime.datetime | None
) -> tuple[datetime.datetime, datetime.datetime]:
    now = timezone.now()
    if opens_at is None or now - OPENING_GRACE <= opens_at < now:
        opens_at = now
    if opens_at < now:
        raise ValidationError(
            {"opens_at": _("The opening date is in the past: open it now or later.")}
        )
    if closes_at is None:
        raise ValidationError({"closes_at": _("Choose when the discussion closes.")})
    if closes_at <= now:
        raise ValidationError({"closes_at": _("The closing date is in the past.")})
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The discussion must close after it opens.")})
    return opens_at, closes_at


def _check_members(community: Community, people: Sequence[User], *, field: str) -> None:
    if len(people) > MAX_INVITED:
        raise ValidationError({field: _("Invite at most %(max)d people.") % {"max": MAX_INVITED}})
    member_ids = set(
        Membership.objects.filter(
            community=community, user_id__in=[person.pk for person in people]
        ).values_list("user_id", flat=True)
    )
    outsiders = [person for person in people if person.pk not in member_ids]
    if outsiders:
        raise ValidationError(
            {
                field: _("Only members of the community can be invited; not: %(names)s.")
                % {"names": ", ".join(person.name or person.username for person in outsiders)}
            }
        )


def ensure_saved(discussion: Discussion) -> Discussion:
    """Save the row of a discussion exchange made elsewhere (see ``queries.discussion_for``)."""
    if discussion._state.adding:
        Discussion.objects.get_or_create(
            exchange_id=discussion.pk, defaults={"facilitator": discussion.facilitator}
        )
        discussion._state.adding = False
    return discussion


def _invite(discussion: Discussion, people: Iterable[User], *, actor: User) -> list[User]:
    """Invite those not invited yet and tell them; returns the newly invited."""
    ensure_saved(discussion)
    already = set(discussion.invitations.values_list("user_id", flat=True))
    new = [person for person in dict.fromkeys(people) if person.pk not in already]
    Invitation.objects.bulk_create(
        [Invitation(discussion=discussion, user=person, invited_by=actor) for person in new],
        ignore_conflicts=True,
    )
    exchange = discussion.exchange
    notify(
        new,
        kind="discussion.invited",
        text=translated(
            gettext_noop("%(facilitator)s invites you to the discussion “%(title)s”"),
            facilitator=actor.name or actor.username,
            title=exchange.title,
        ),
        target_url=exchange.get_absolute_url(),
        target_label=exchange.title,
        actor=actor,
    )
    return new


# --- Opening ----------------------------------------------------------------------------------


def open_discussion(
    community: Community,
    *,
    actor: AnyUser,
    title: str,
    purpose: str,
    questions: Sequence[str],
    opens_at: datetime.datetime | None,
    closes_at: datetime.datetime | None,
    invited: Sequence[User] = (),
) -> Discussion:
    """A facilitator opens a time-boxed discussion; the invited members are told."""
    user = _signed_in(actor)
    policy.check_open(user, community)
    title = _text(title, field="title", label=_("The title"), maximum=MAX_TITLE)
    if len(title) < MIN_TITLE:
        raise ValidationError({"title": _("Say in a few words what the discussion is about.")})
    purpose = _text(purpose, field="purpose", label=_("The purpose"), maximum=MAX_PURPOSE)
    cleaned_questions = _clean_questions(questions)
    opens_at, closes_at = _clean_window(opens_at, closes_at)
    _check_members(community, invited, field="invited")
    with transaction.atomic():
        exchange = exchange_actions.start_exchange(
            community,
            author=user,
            kind=Kind.DISCUSSION,
            title=title,
            body=purpose,
            opens_at=opens_at,
            closes_at=closes_at,
        )
        discussion = Discussion.objects.create(exchange=exchange, facilitator=user)
        FramingQuestion.objects.bulk_create(
            [
                FramingQuestion(discussion=discussion, number=number, text=text)
                for number, text in enumerate(cleaned_questions, start=1)
            ]
        )
        _invite(discussion, invited, actor=user)
    return discussion


def invite(discussion: Discussion, *, actor: AnyUser, people: Sequence[User]) -> list[User]:
    """Invite more members while the discussion is open; returns those newly invited."""
    user = _signed_in(actor)
    policy.check_facilitate(user, discussion)
    if not discussion.exchange.is_open:
        raise ValidationError(_("This discussion is closed."), code="closed")
    if not people:
        raise ValidationError({"invited": _("Choose the members to invite.")})
    _check_members(discussion.exchange.community, people, field="invited")
    with transaction.atomic():
        return _invite(discussion, people, actor=user)


# --- Posting ----------------------------------------------------------------------------------


def post(
    discussion: Discussion, *, actor: AnyUser, body: str, question: int | None = None
) -> Reply:
    """A member posts while the discussion is open, optionally answering a framing question."""
    user = _signed_in(actor)
    policy.check_post(user, discussion)
    if question is not None and not discussion.questions.filter(number=question).exists():
        raise ValidationError(
            {"question": _("This discussion has no framing question %(n)d.") % {"n": question}}
        )
    return exchange_actions.post_reply(
        discussion.exchange, actor=user, body=body, paragraph=question
    )


# --- Periodic summaries -----------------------------------------------------------------------


def draft_summary(
    discussion: Discussion, *, actor: AnyUser, now: datetime.datetime | None = None
) -> tuple[datetime.datetime, datetime.datetime, str]:
    """The period the next summary covers and a first draft of it, from that period's posts."""
    user = _signed_in(actor)
    policy.check_facilitate(user, discussion)
    end = now or timezone.now()
    start = drafting.week_start(discussion, end)
    return start, end, drafting.compose_summary(discussion, start=start, end=end)


def post_summary(
    discussion: Discussion,
    *,
    actor: AnyUser,
    body: str,
    period_start: datetime.datetime,
    period_end: datetime.datetime,
) -> Summary:
    """The facilitator posts the summary of a period; the participants are told."""
    user = _signed_in(actor)
    policy.check_facilitate(user, discussion)
    body = _text(body, field="body", label=_("The summary"), maximum=MAX_SUMMARY_BODY)
    if period_end <= period_start:
        raise ValidationError({"period_end": _("The period must end after it starts.")})
    if period_end > timezone.now() + OPENING_GRACE:
        raise ValidationError({"period_end": _("A summary covers a period that has passed.")})
    exchange = discussion.exchange
    with transaction.atomic():
        ensure_saved(discussion)
        summary = Summary.objects.create(
            discussion=discussion,
            period_start=period_start,
            period_end=period_end,
            body=body,
            body_html=render_markdown(body),
            author=user,
        )
        Discussion.objects.filter(pk=discussion.pk).update(summary_reminded_at=timezone.now())
        Exchange.objects.filter(pk=exchange.pk).update(last_activity_at=timezone.now())
        notify(
            _participants(discussion),
            kind="discussion.summary",
            text=translated(
                gettext_noop("%(facilitator)s summarised the discussion “%(title)s”"),
                facilitator=user.name or user.username,
                title=exchange.title,
            ),
            target_url=f"{exchange.get_absolute_url()}#summary-{summary.pk}",
            target_label=exchange.title,
            group_key=f"discussion:{discussion.pk}:summary",
            actor=user,
        )
    return summary


def _participants(discussion: Discussion) -> list[User]:
    """The invited and everyone who posted (active accounts only)."""
    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(pk__in=Invitation.objects.filter(discussion=discussion).values("user_id"))
            | Q(
                pk__in=Reply.objects.filter(exchange_id=discussion.pk, is_hidden=False).values(
                    "author_id"
                )
            )
        )
        .order_by("pk")
    )


def _facilitators(discussion: Discussion) -> list[User]:
    return [discussion.facilitator] if discussion.facilitator is not None else []


def summaries_due(now: datetime.datetime) -> list[Discussion]:
    """Open discussions whose last summary (or opening) and last reminder are a week old."""
    week_ago = now - SUMMARY_EVERY
    return list(
        Discussion.objects.filter(
            exchange__status=Status.OPEN,
            exchange__opens_at__lte=week_ago,
            exchange__closes_at__gt=now,
        )
        .filter(Q(summary_reminded_at__isnull=True) | Q(summary_reminded_at__lte=week_ago))
        .exclude(summaries__period_end__gt=week_ago)
        .select_related("exchange", "exchange__community", "facilitator")
    )


def remind_summary(discussion: Discussion, *, now: datetime.datetime) -> bool:
    """Tell the facilitator a summary is due, once a week (claimed by a conditional UPDATE)."""
    week_ago = now - SUMMARY_EVERY
    with transaction.atomic():
        claimed = (
            Discussion.objects.filter(pk=discussion.pk)
            .filter(Q(summary_reminded_at__isnull=True) | Q(summary_reminded_at__lte=week_ago))
            .update(summary_reminded_at=now)
        )
        if not claimed:
            return False
        exchange = discussion.exchange
        start = drafting.week_start(discussion, now)
        count = Reply.objects.filter(
            exchange_id=discussion.pk, is_hidden=False, created_at__gte=start, created_at__lt=now
        ).count()
        notify(
            _facilitators(discussion),
            kind="discussion.summary_due",
            text=translated(
                gettext_noop(
                    "Time for this week's summary of “%(title)s”: Solex drafted one from "
                    "its %(count)s new posts."
                ),
                title=exchange.title,
                count=count,
            ),
            target_url=f"{exchange.get_absolute_url()}summary/",
            target_label=exchange.title,
        )
    return True


# --- Closing and the synthesis ----------------------------------------------------------------


def _open_synthesis(discussion: Discussion) -> SynthesisDraft:
    ensure_saved(discussion)
    found = SynthesisDraft.objects.filter(discussion=discussion).first()
    if found is not None:
        return found
    text = drafting.compose_synthesis(discussion)
    try:
        with transaction.atomic():
            draft = SynthesisDraft.objects.create(
                discussion=discussion, title=text.title, summary=text.summary, body=text.body
            )
    except IntegrityError:
        # Two closes at once (the facilitator and the clock): the first draft stands.
        return SynthesisDraft.objects.get(discussion=discussion)
    Discussion.objects.filter(pk=discussion.pk).update(synthesis_drafted_at=timezone.now())
    return draft


def _synthesis_ready(discussion: Discussion, *, actor: User | None) -> None:
    exchange = discussion.exchange
    notify(
        _facilitators(discussion),
        kind="discussion.synthesis_draft",
        text=translated(
            gettext_noop("“%(title)s” has closed: Solex drafted its synthesis for you to edit."),
            title=exchange.title,
        ),
        target_url=f"{exchange.get_absolute_url()}synthesis/",
        target_label=exchange.title,
        actor=actor,
    )


def close_discussion(discussion: Discussion, *, actor: AnyUser) -> SynthesisDraft:
    """The facilitator closes the discussion early (or on time); the synthesis is drafted."""
    user = _signed_in(actor)
    policy.check_close(user, discussion)
    with transaction.atomic():
        exchange_actions.close_exchange(
            discussion.exchange, actor=user, reason=CloseReason.COMPLETED
        )
        draft = _open_synthesis(discussion)
        _synthesis_ready(discussion, actor=user)
    return draft


def close_due(now: datetime.datetime | None = None) -> int:
    """Close every open discussion whose closing date has passed; returns how many.

    Each is claimed by a conditional UPDATE of its exchange's status, so a second run
    (or a second worker) finds nothing left to do.
    """
    now = now or timezone.now()
    due = Discussion.objects.filter(
        exchange__status=Status.OPEN, exchange__closes_at__lte=now
    ).select_related("exchange", "exchange__community", "facilitator")
    closed = 0
    for discussion in due:
        with transaction.atomic():
            claimed = Exchange.objects.filter(pk=discussion.pk, status=Status.OPEN).update(
                status=Status.CLOSED,
                close_reason=CloseReason.COMPLETED,
                closed_at=now,
                last_activity_at=now,
            )
            if not claimed:
                continue
            ExchangeEvent.objects.create(
                exchange_id=discussion.pk,
                actor=None,
                action=ExchangeEvent.Action.CLOSED,
                detail=str(CloseReason.COMPLETED.label),
            )
            discussion.exchange.refresh_from_db()
            _open_synthesis(discussion)
            _synthesis_ready(discussion, actor=None)
            closed += 1
    return closed


def open_synthesis(discussion: Discussion, *, actor: AnyUser) -> SynthesisDraft:
    """The synthesis draft of a closed discussion (written the first time if need be)."""
    user = _signed_in(actor)
    policy.check_synthesise(user, discussion)
    return _open_synthesis(discussion)


def redraft_synthesis(discussion: Discussion, *, actor: AnyUser) -> drafting.DraftText:
    """A fresh automatic draft, not saved until the facilitator saves it."""
    user = _signed_in(actor)
    policy.check_synthesise(user, discussion)
    return drafting.compose_synthesis(discussion)


def _clean_synthesis(title: str, summary: str, body: str) -> tuple[str, str, str]:
    title, summary, body = title.strip(), summary.strip(), body.strip()
    errors: dict[str, str] = {}
    if len(title) > MAX_TITLE:
        errors["title"] = _("Keep the title under %(max)d characters.") % {"max": MAX_TITLE}
    if len(summary) > MAX_SYNTHESIS_SUMMARY:
        errors["summary"] = _("Keep the summary under %(max)d characters.") % {
            "max": MAX_SYNTHESIS_SUMMARY
        }
    if len(body) > MAX_SYNTHESIS_BODY:
        errors["body"] = _("The synthesis is too long.")
    if errors:
        raise ValidationError(errors)
    return title, summary, body


def _write(
    draft: SynthesisDraft, *, user: User, version: int, title: str, summary: str, body: str
) -> SynthesisDraft:
    written = SynthesisDraft.objects.filter(
        pk=draft.pk, version=version, published_item__isnull=True
    ).update(
        title=title,
        summary=summary,
        body=body,
        version=F("version") + 1,
        updated_by=user,
        updated_at=timezone.now(),
    )
    current = SynthesisDraft.objects.select_related("updated_by").get(pk=draft.pk)
    if not written:
        if current.published_item_id is not None:
            raise ValidationError(_("This synthesis is already published."), code="published")
        raise DraftConflictError(current)
    return current


@transaction.atomic
def save_synthesis(
    draft: SynthesisDraft, *, actor: AnyUser, version: int, title: str, summary: str, body: str
) -> SynthesisDraft:
    """Save the facilitator's text, unless someone saved a newer version meanwhile."""
    user = _signed_in(actor)
    policy.check_synthesise(user, draft.discussion)
    title, summary, body = _clean_synthesis(title, summary, body)
    return _write(draft, user=user, version=version, title=title, summary=summary, body=body)


@transaction.atomic
def publish_synthesis(
    draft: SynthesisDraft, *, actor: AnyUser, version: int, title: str, summary: str, body: str
) -> KnowledgeItem:
    """Publish to the library, credit the participants, and announce it to the community."""
    user = _signed_in(actor)
    discussion = draft.discussion
    policy.check_synthesise(user, discussion)
    title, summary, body = _clean_synthesis(title, summary, body)
    errors: dict[str, str] = {}
    if not body:
        errors["body"] = _(
            "The synthesis is empty. Write it (or keep the automatic draft) before publishing."
        )
    if not title:
        errors["title"] = _("Give the synthesis a title.")
    if not summary:
        errors["summary"] = _("Write a short summary: it is what readers of the library see first.")
    if errors:
        raise ValidationError(errors)
    current = _write(draft, user=user, version=version, title=title, summary=summary, body=body)
    exchange = discussion.exchange
    item = create_synthesis_item(
        discussion, title=title, summary=summary, body=body, created_by=user
    )
    current.published_item = item
    current.save(update_fields=["published_item"])
    draft.refresh_from_db()
    enqueue_on_commit(tasks.announce_synthesis, item.pk, user.pk)
    Exchange.objects.filter(pk=exchange.pk).update(last_activity_at=timezone.now())
    return item


def create_synthesis_item(
    discussion: Discussion, *, title: str, summary: str, body: str, created_by: User | None
) -> KnowledgeItem:
    """The library's record of a synthesis, crediting everyone who posted."""
    exchange = discussion.exchange
    item = KnowledgeItem.objects.create(
        kind=KnowledgeItem.Kind.DISCUSSION_SYNTHESIS,
        title=title,
        summary=summary,
        body=body,
        body_html=render_markdown(body),
        community=exchange.community,
        created_by=created_by,
        source_exchange=exchange,
    )
    item.contributors.set(
        User.objects.filter(
            pk__in=Reply.objects.filter(exchange_id=exchange.pk, is_hidden=False).values(
                "author_id"
            )
        )
    )
    return item


def announce_synthesis(item: KnowledgeItem, *, actor: User | None) -> int:
    """Tell the participants and the community's members that the synthesis is out."""
    exchange = item.source_exchange
    if exchange is None:
        return 0
    discussion = Discussion.objects.filter(pk=exchange.pk).first()
    participants = _participants(discussion) if discussion is not None else []
    members = User.objects.filter(
        is_active=True, memberships__community_id=item.community_id
    ).order_by("pk")
    text = translated(
        gettext_noop("The synthesis of the discussion “%(title)s” is published"),
        title=exchange.title,
    )
    people = list(dict.fromkeys([*participants, *members]))
    return notify(
        people,
        kind="discussion.synthesis_published",
        text=text,
        target_url=item.get_absolute_url(),
        target_label=item.title,
        actor=actor,
    )
