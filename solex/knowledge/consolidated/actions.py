"""Every change to consolidated replies: open the editor, save a draft, publish.

Concurrent editing: a draft carries a ``version``; a save names the version it was
made on and goes through only if that is still the current one (a conditional
UPDATE, so two saves cannot both win). The loser gets ``DraftConflictError`` and keeps
their text.

Facilitator time: the editor form carries a signed token with the moment it was
rendered (by the server) and the draft's version. A save or publication adds the
time since then to ``seconds_spent``, at most ``SESSION_CAP`` per stretch, so an
editor left open overnight counts as one long stretch, not as a night's work.
Each save renders a fresh token, so a long session of regular saves counts in full;
time after the last save of an abandoned session is not counted.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from solex.accounts.models import User
from solex.core.markdown import render_markdown
from solex.exchanges import actions as exchange_actions
from solex.exchanges import notify as exchange_notify
from solex.exchanges.models import CloseReason, Exchange
from solex.knowledge.consolidated import drafting
from solex.knowledge.consolidated.permissions import check_consolidate
from solex.knowledge.models import ConsolidatedReply, ConsolidatedReplyDraft, KnowledgeItem

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser

SESSION_CAP = datetime.timedelta(minutes=45)
SIGNING_NAMESPACE = "solex.knowledge.consolidated.editor"
MAX_TITLE = 200
MAX_SUMMARY = 500
MAX_BODY = 100_000


class DraftConflictError(ValidationError):
    """Someone saved the draft since this editor opened: nothing was overwritten."""

    def __init__(self, current: ConsolidatedReplyDraft) -> None:
        super().__init__(
            _(
                "%(person)s saved this draft while you were editing it. Nothing was "
                "overwritten: your text is below. Compare it with the saved version, "
                "then save again to replace it."
            )
            % {"person": drafting.person_label(current.updated_by)},
            code="conflict",
        )
        self.current = current


def _signed_in(actor: AnyUser) -> User:
    if not isinstance(actor, User):
        raise PermissionDenied(_("Log in first."))
    return actor


def editor_token(draft: ConsolidatedReplyDraft, *, now: datetime.datetime | None = None) -> str:
    """What the editor form carries to time the facilitator's work (tamper-proof)."""
    moment = now or timezone.now()
    return signing.dumps(
        {"draft": draft.pk, "version": draft.version, "at": moment.timestamp()},
        salt=SIGNING_NAMESPACE,
    )


def seconds_since(token: str, draft: ConsolidatedReplyDraft, version: int) -> int:
    """Editor time since the token was issued, capped; 0 for a token of another draft."""
    try:
        data = signing.loads(token, salt=SIGNING_NAMESPACE)
        if data["draft"] != draft.pk or data["version"] != version:
            return 0
        opened = datetime.datetime.fromtimestamp(float(data["at"]), tz=datetime.UTC)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return 0
    elapsed = timezone.now() - opened
    return int(max(datetime.timedelta(0), min(elapsed, SESSION_CAP)).total_seconds())


@transaction.atomic
def open_draft(exchange: Exchange, *, actor: AnyUser) -> ConsolidatedReplyDraft:
    """The query's draft, written from its replies the first time the editor opens."""
    user = _signed_in(actor)
    check_consolidate(user, exchange)
    draft = ConsolidatedReplyDraft.objects.filter(exchange=exchange).first()
    if draft is not None:
        return draft
    text = drafting.compose_draft(exchange, viewer=user)
    try:
        with transaction.atomic():
            return ConsolidatedReplyDraft.objects.create(
                exchange=exchange,
                title=text.title,
                summary=text.summary,
                body=text.body,
                created_by=user,
                updated_by=user,
            )
    except IntegrityError:
        # Two facilitators opened the editor at once: the first draft stands.
        return ConsolidatedReplyDraft.objects.get(exchange=exchange)


def redraft(draft: ConsolidatedReplyDraft, *, actor: AnyUser) -> drafting.DraftText:
    """A fresh automatic draft (after more replies came in), not saved until edited."""
    user = _signed_in(actor)
    check_consolidate(user, draft.exchange)
    return drafting.compose_draft(draft.exchange, viewer=user)


def _clean(title: str, summary: str, body: str) -> tuple[str, str, str]:
    title, summary, body = title.strip(), summary.strip(), body.strip()
    errors: dict[str, str] = {}
    if len(title) > MAX_TITLE:
        errors["title"] = _("Keep the title under %(max)d characters.") % {"max": MAX_TITLE}
    if len(summary) > MAX_SUMMARY:
        errors["summary"] = _("Keep the summary under %(max)d characters.") % {"max": MAX_SUMMARY}
    if len(body) > MAX_BODY:
        errors["body"] = _("The consolidated reply is too long.")
    if errors:
        raise ValidationError(errors)
    return title, summary, body


def _write(
    draft: ConsolidatedReplyDraft,
    *,
    user: User,
    version: int,
    title: str,
    summary: str,
    body: str,
    token: str,
) -> ConsolidatedReplyDraft:
    now = timezone.now()
    written = ConsolidatedReplyDraft.objects.filter(
        pk=draft.pk, version=version, published_item__isnull=True
    ).update(
        title=title,
        summary=summary,
        body=body,
        version=F("version") + 1,
        seconds_spent=F("seconds_spent") + seconds_since(token, draft, version),
        updated_by=user,
        updated_at=now,
    )
    current = ConsolidatedReplyDraft.objects.select_related("updated_by").get(pk=draft.pk)
    if not written:
        if current.published_item_id is not None:
            raise ValidationError(
                _("This consolidated reply is already published."), code="published"
            )
        raise DraftConflictError(current)
    return current


@transaction.atomic
def save_draft(
    draft: ConsolidatedReplyDraft,
    *,
    actor: AnyUser,
    version: int,
    title: str,
    summary: str,
    body: str,
    token: str = "",
) -> ConsolidatedReplyDraft:
    """Save the facilitator's text, unless someone saved a newer version meanwhile."""
    user = _signed_in(actor)
    check_consolidate(user, draft.exchange)
    title, summary, body = _clean(title, summary, body)
    return _write(
        draft, user=user, version=version, title=title, summary=summary, body=body, token=token
    )


@transaction.atomic
def publish_draft(
    draft: ConsolidatedReplyDraft,
    *,
    actor: AnyUser,
    version: int,
    title: str,
    summary: str,
    body: str,
    token: str = "",
) -> KnowledgeItem:
    """Publish to the library, credit the respondents, close the query, tell everyone.

    The item has the community's audience; its contributors are the authors of the
    query's visible replies, whose full text the published page keeps below the
    synthesis. The asker and every respondent are notified.
    """
    user = _signed_in(actor)
    exchange = draft.exchange
    check_consolidate(user, exchange)
    title, summary, body = _clean(title, summary, body)
    errors: dict[str, str] = {}
    if not body:
        errors["body"] = _(
            "The consolidated reply is empty. Write the synthesis (or keep the "
            "automatic draft) before publishing."
        )
    if not title:
        errors["title"] = _("Give the consolidated reply a title.")
    if not summary:
        errors["summary"] = _("Write a short summary: it is what readers of the library see first.")
    if errors:
        raise ValidationError(errors)
    current = _write(
        draft, user=user, version=version, title=title, summary=summary, body=body, token=token
    )
    people = drafting.respondents(exchange)
    item = KnowledgeItem.objects.create(
        kind=KnowledgeItem.Kind.CONSOLIDATED_REPLY,
        title=title,
        summary=summary,
        body=body,
        body_html=render_markdown(body),
        community=exchange.community,
        created_by=user,
        source_exchange=exchange,
    )
    item.contributors.set(people)
    ConsolidatedReply.objects.create(
        item=item,
        facilitator_seconds=current.seconds_spent,
        reply_count=drafting.shown_replies(exchange).count(),
    )
    current.published_item = item
    current.save(update_fields=["published_item"])
    exchange_actions.close_exchange(exchange, actor=user, reason=CloseReason.CONSOLIDATED)
    exchange_notify.notify_consolidated_reply_published(
        exchange, actor=user, target_url=item.get_absolute_url()
    )
    draft.refresh_from_db()
    return item
