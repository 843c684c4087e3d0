"""Every write of the mail intake: receive, process (route), release, delete, import.

``receive_message`` stores the raw message and enqueues its processing in one
transaction; the listener answers 250 only after it returns. ``process_message`` takes
the row under a lock, does nothing unless it is still pending, and in one transaction
routes it and records the outcome: running it twice (a retried or re-leased task)
posts once. Whatever goes wrong while routing, the message ends *quarantined* with the
reason, never lost and never stuck.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from solex.accounts.models import User
from solex.communities import actions as community_actions
from solex.communities import permissions as community_policy
from solex.communities.models import Community, DeliveryPreference
from solex.core import ratelimit
from solex.core.tasks import enqueue_on_commit
from solex.exchanges import actions as exchange_actions
from solex.exchanges.models import Exchange, Reply
from solex.intake import permissions as policy
from solex.intake.answers import Answer, compose, send_on_commit
from solex.intake.cleaning import clean_reply
from solex.intake.models import InboundAttachment, InboundMessage, State
from solex.intake.parsing import Attachment, ParsedMessage, parse
from solex.intake.safety import authentication_failure, automatic_reason
from solex.mail.tokens import read_reply_address

logger = logging.getLogger(__name__)

#: Commands: ``SLUG-<command>@SOLEX_MAIL_DOMAIN``.
DELIVERY_COMMANDS = {
    "unsubscribe": DeliveryPreference.WEB_ONLY,
    "digest": DeliveryPreference.WEEKLY,
    "weekly": DeliveryPreference.WEEKLY,
    "daily": DeliveryPreference.DAILY,
    "every": DeliveryPreference.EVERY_MESSAGE,
}
COMMANDS = {"join", "help", *DELIVERY_COMMANDS}
SUBJECT_PREFIX = re.compile(
    r"^\s*((re|fw|fwd|tr|rv|aw|wg|sv|vs|antw|réf|رد|回复|答复|转发|ответ|пересл)\s*(\[\d+\])?\s*[:：]\s*"
    r"|\[[^\]]{1,40}\]\s*)+",
    re.IGNORECASE,
)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_message_bytes() -> int:
    return _setting("SOLEX_MAIL_MAX_MESSAGE_BYTES", 50 * 1024 * 1024)


def _post_rate() -> ratelimit.Rate:
    return ratelimit.Rate(_setting("SOLEX_MAIL_POSTS_PER_HOUR", 20), 3600)


EXPLANATION_RATE = ratelimit.Rate(1, 24 * 3600)  # one explanation per address per day
ANSWER_RATE = ratelimit.Rate(10, 3600)  # command confirmations per address per hour


# --- Receiving -------------------------------------------------------------------------------


def receive_message(raw: bytes, *, mail_from: str, recipients: list[str]) -> InboundMessage:
    """Store a message as it came and schedule its processing; the caller may then say 250."""
    from solex.intake.tasks import process_inbound

    with transaction.atomic():
        message = InboundMessage.objects.create(
            raw=raw,
            size=len(raw),
            mail_from=mail_from[:320],
            recipients=[r[:320] for r in recipients][:100],
        )
        # robust: a queue that cannot be reached must not turn a stored message into a
        # refusal (the sender would retry and it would be stored twice); the periodic
        # sweep (requeue_pending) schedules it later.
        transaction.on_commit(partial(process_inbound.enqueue, message.pk), robust=True)
    return message


def requeue_pending(*, older_than_seconds: int = 300) -> int:
    """Schedule again messages whose processing was never done (a lost task); returns how many."""
    from solex.intake.tasks import process_inbound

    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    ids = list(
        InboundMessage.objects.filter(state__in=[State.RECEIVED, State.PROCESSING])
        .filter(received_at__lt=cutoff)
        .values_list("pk", flat=True)[:1000]
    )
    for pk in ids:
        enqueue_on_commit(process_inbound, pk)
    return len(ids)


# --- Processing ------------------------------------------------------------------------------


@dataclass
class Outcome:
    state: State
    reason: str = ""
    answers: list[Answer] = field(default_factory=list)
    exchange: Exchange | None = None
    reply: Reply | None = None


class _StopError(Exception):
    """Routing ends with this outcome."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.reason)
        self.outcome = outcome


@dataclass
class _Context:
    message: InboundMessage
    parsed: ParsedMessage
    released: bool
    local: str = ""
    user: User | None = None

    @property
    def reply_to(self) -> str:
        return self.parsed.from_address

    @property
    def language(self) -> str:
        return self.user.preferred_language if self.user else settings.LANGUAGE_CODE


def process_message(message_id: int, *, released_by: User | None = None) -> InboundMessage | None:
    """Route one stored message once; a message no longer pending is left as it is."""
    with transaction.atomic():
        message = InboundMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.state not in (State.RECEIVED, State.PROCESSING):
            return message
        message.attempts += 1
        message.released_by = released_by or message.released_by
        try:
            with transaction.atomic():
                outcome = _route(message, released=released_by is not None)
        except _StopError as stop:
            outcome = stop.outcome
        except Exception as exc:  # a bug or bad data: hold it, with the reason, for a person
            logger.exception("Inbound message %s could not be processed", message_id)
            outcome = Outcome(
                State.QUARANTINED, f"could not be processed: {type(exc).__name__}: {exc}"
            )
        message.state = outcome.state
        message.reason = outcome.reason[:500]
        message.exchange = outcome.exchange
        message.reply = outcome.reply
        message.processed_at = timezone.now()
        message.save(
            update_fields=[
                "state",
                "reason",
                "exchange",
                "reply",
                "processed_at",
                "attempts",
                "released_by",
                "message_id",
                "from_address",
                "subject",
                "community",
                "sender",
            ]
        )
        for answer in outcome.answers:
            send_on_commit(answer)
    return message


def _duplicate_of(message: InboundMessage) -> int | None:
    """An earlier copy of this message already handled (a server retried after our 250)."""
    if not message.message_id:
        return None
    earlier = (
        InboundMessage.objects.filter(
            message_id=message.message_id,
            from_address=message.from_address,
            state__in=[State.POSTED, State.REPLIED],
        )
        .exclude(pk=message.pk)
        .values_list("pk", "recipients")
    )
    for pk, recipients in earlier:
        if recipients == message.recipients:
            return int(pk)
    return None


def _our_recipient(message: InboundMessage) -> str:
    domain = settings.SOLEX_MAIL_DOMAIN.lower()
    for recipient in message.recipients:
        address = str(recipient).strip().strip("<>").lower()
        if address.rpartition("@")[2] == domain:
            return address
    return ""


def _route(message: InboundMessage, *, released: bool) -> Outcome:
    try:
        parsed = parse(message.raw_bytes)
    except Exception as exc:
        return Outcome(State.QUARANTINED, f"malformed message: {type(exc).__name__}: {exc}")
    message.message_id = parsed.message_id[:998]
    message.from_address = parsed.from_address[:320]
    message.subject = parsed.subject[:500]
    duplicate = _duplicate_of(message)
    if duplicate is not None:
        return Outcome(State.IGNORED, f"duplicate of message {duplicate} (sent again by a server)")
    recipient = _our_recipient(message)
    if not recipient:
        return Outcome(
            State.QUARANTINED,
            _("not addressed to %(domain)s") % {"domain": settings.SOLEX_MAIL_DOMAIN},
        )
    local = recipient.rpartition("@")[0]
    if local.startswith("bounce+") or local == "bounce":
        return _bounce(message)
    context = _Context(message, parsed, released, local=local)
    if local.startswith("unsubscribe+"):
        return _unsubscribe_by_token(context, recipient)
    automatic = automatic_reason(parsed, message.mail_from)
    if automatic:
        return Outcome(State.IGNORED, automatic)
    if not parsed.from_address:
        return Outcome(State.QUARANTINED, "no From address: nobody to post as or to answer")
    if local.startswith("reply+"):
        return _reply_by_token(context, recipient)
    return _community_address(context)


def _bounce(message: InboundMessage) -> Outcome:
    try:
        record_bounce = import_string("solex.mail.bounces.record_bounce")
    except ImportError:
        return Outcome(State.QUARANTINED, "bounce processing not available")
    if record_bounce(message.raw_bytes, list(message.recipients)):
        return Outcome(State.IGNORED, "bounce recorded")
    return Outcome(State.QUARANTINED, "not a delivery report Solex could read")


def _unsubscribe_by_token(context: _Context, recipient: str) -> Outcome:
    """The mailto of List-Unsubscribe (RFC 8058): the signed token is the authority."""
    try:
        read = import_string("solex.mail.tokens.read_unsubscribe_address")
    except ImportError:
        return Outcome(State.QUARANTINED, "unsubscribe by mail is not available")
    target = read(recipient)
    if target is None:
        return Outcome(State.QUARANTINED, "forged or altered unsubscribe address")
    user = User.objects.filter(pk=target.user_id, is_active=True).first()
    community = Community.objects.filter(pk=target.community_id).first()
    if user is None or community is None:
        return Outcome(State.QUARANTINED, "unsubscribe address for all mail: use the link instead")
    context.user, context.message.sender, context.message.community = user, user, community
    if not community_policy.is_member(user, community):
        return Outcome(State.IGNORED, "unsubscribe: no longer a member, nothing to change")
    community_actions.set_delivery_preference(
        community, actor=user, delivery=DeliveryPreference.WEB_ONLY
    )
    return Outcome(State.REPLIED, "unsubscribed (one-click mailto): web only")


def _known_user(address: str) -> User | None:
    return User.objects.filter(email__iexact=address, is_active=True).first()


def _check_trust(context: _Context, *, posting: bool) -> None:
    """Hold mail that failed authentication; limit how fast one person posts by email."""
    if context.released:
        return
    failure = authentication_failure(context.parsed)
    if failure:
        raise _StopError(Outcome(State.QUARANTINED, f"held for moderation: {failure}"))
    if posting:
        verdict = ratelimit.hit(f"intake-post:{context.parsed.from_address}", _post_rate())
        if not verdict.allowed:
            raise _StopError(
                Outcome(
                    State.QUARANTINED,
                    "held for moderation: too many messages by email from this address "
                    f"(more than {_post_rate().limit} an hour)",
                )
            )


def _answer(
    context: _Context, paragraphs: list[str], *, reason: str, explanation: bool = False
) -> Outcome:
    """Answer the sender, at most once a day for explanations to strangers (no loops)."""
    rate = EXPLANATION_RATE if explanation else ANSWER_RATE
    key = f"intake-answer:{'explain' if explanation else 'cmd'}:{context.reply_to}"
    if not ratelimit.hit(key, rate).allowed:
        return Outcome(State.IGNORED, f"{reason} (already answered recently: not answered again)")
    subject = context.parsed.subject or "Solex"
    if not subject.lower().startswith("re:"):
        subject = f"Re: {subject}"
    answer = compose(
        context.reply_to,
        subject[:200],
        paragraphs,
        language=context.language,
        in_reply_to=context.parsed.message_id,
    )
    return Outcome(State.REPLIED, reason, answers=[answer])


def _absolute(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


def _refusal_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return str(exc) or _("You may not do this.")


def _body(context: _Context) -> str:
    return clean_reply(context.parsed.text)


def _with_files[T](context: _Context, body: str, post: Callable[[str, list[File[Any]]], T]) -> T:
    """Post with the mail's files attached; if the site refuses them, without, saying so.

    Every file stays on the inbound message for the moderators either way.
    """
    kept = _keep_attachments(context)
    if kept:
        uploads: list[File[Any]] = [
            SimpleUploadedFile(a.filename, a.data, content_type=a.content_type) for a in kept
        ]
        try:
            with transaction.atomic():
                return post(body, uploads)
        except ValidationError as error:
            if "attachments" not in getattr(error, "error_dict", {}):
                raise
        note = _("Attachments sent by email are kept for the moderators: %(names)s.") % {
            "names": ", ".join(a.filename[:80] for a in kept)
        }
        body = f"{body}\n\n*{note}*"
    return post(body, [])


def _keep_attachments(context: _Context) -> list[Attachment]:
    """Store the message's files (those over the limits: named, not kept); the ones kept."""
    message = context.message
    limit = _setting("SOLEX_MAIL_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)
    count = _setting("SOLEX_MAIL_MAX_ATTACHMENTS", 10)
    InboundAttachment.objects.filter(message=message).delete()
    kept: list[Attachment] = []
    for index, attachment in enumerate(context.parsed.attachments):
        size = len(attachment.data)
        dropped = ""
        if index >= count:
            dropped = f"more than {count} attachments"
        elif size > limit:
            dropped = f"larger than {limit // (1024 * 1024)} MB"
        InboundAttachment.objects.create(
            message=message,
            filename=attachment.filename[:255],
            content_type=attachment.content_type[:255],
            size=size,
            data=b"" if dropped else attachment.data,
            dropped_reason=dropped,
        )
        if not dropped:
            kept.append(attachment)
    return kept


def _empty(context: _Context) -> Outcome:
    if context.parsed.defects and not context.parsed.text.strip():
        defects = ", ".join(sorted(set(context.parsed.defects)))
        return Outcome(State.QUARANTINED, f"malformed MIME, no readable text ({defects})")
    with translation.override(context.language):
        return _answer(
            context,
            [
                _("Hello,"),
                _(
                    "Your message reached Solex, but once the quoted earlier messages and "
                    "the signature were removed there was nothing left to post."
                ),
                _("Write your text above the quoted message and send it again."),
            ],
            reason="empty after removing quotes and signature",
        )


def _reply_by_token(context: _Context, recipient: str) -> Outcome:
    target = read_reply_address(recipient)
    if target is None:
        return Outcome(
            State.QUARANTINED, "forged or altered reply address: the token does not verify"
        )
    user = User.objects.filter(pk=target.user_id, is_active=True).first()
    if user is None or user.email.strip().lower() != context.parsed.from_address:
        return Outcome(
            State.QUARANTINED,
            "the sender's address does not belong to the person this reply address was made for",
        )
    context.user = user
    context.message.sender = user
    exchange = Exchange.objects.select_related("community").filter(pk=target.exchange_id).first()
    if exchange is None:
        with translation.override(context.language):
            return _answer(
                context,
                [
                    _(
                        "The conversation you replied to no longer exists, so your reply was not posted."
                    )
                ],
                reason="the exchange no longer exists",
            )
    context.message.community = exchange.community
    _check_trust(context, posting=True)
    body = _body(context)
    if not body:
        return _empty(context)
    try:
        reply = _with_files(
            context,
            body,
            lambda text, files: exchange_actions.post_reply(
                exchange, actor=user, body=text, attachments=files
            ),
        )
    except (PermissionDenied, ValidationError, Http404) as exc:
        with translation.override(context.language):
            return _answer(
                context,
                [
                    _("Your reply to “%(title)s” could not be posted:") % {"title": exchange.title},
                    _refusal_text(exc),
                ],
                reason=f"refused: {_refusal_text(exc)}",
            )
    return Outcome(State.POSTED, "", exchange=exchange, reply=reply)


def _split_local(local: str) -> tuple[str, str]:
    """(community slug, command) from the local part; the slug may contain hyphens."""
    base, _sep, command = local.rpartition("-")
    if base and command in COMMANDS and not Community.objects.filter(slug=local).exists():
        return base, command
    return local, ""


def _unknown_list(context: _Context) -> Outcome:
    with translation.override(context.language):
        return _answer(
            context,
            [
                _("Hello,"),
                _(
                    "There is no community at %(address)s that you can write to, so your "
                    "message was not posted."
                )
                % {"address": f"{context.local}@{settings.SOLEX_MAIL_DOMAIN}"},
                _("The communities you can join are listed at %(url)s.")
                % {"url": _absolute(reverse("communities:community-list"))},
            ],
            reason="no community at this address that the sender may see",
            explanation=True,
        )


def _community_address(context: _Context) -> Outcome:
    slug, command = _split_local(context.local)
    community = Community.objects.filter(slug=slug).first()
    context.user = _known_user(context.parsed.from_address)
    context.message.sender = context.user
    viewer = context.user or AnonymousUser()
    if community is None or not community_policy.can_view_community(viewer, community):
        return _unknown_list(context)
    context.message.community = community
    if command == "help":
        return _help(context, community)
    if command == "join":
        return _join(context, community)
    if command in DELIVERY_COMMANDS:
        return _delivery(context, community, DELIVERY_COMMANDS[command])
    return _ask(context, community)


def _address(community: Community, command: str = "") -> str:
    suffix = f"-{command}" if command else ""
    return f"{community.slug}{suffix}@{settings.SOLEX_MAIL_DOMAIN}"


def help_paragraphs(community: Community) -> list[str]:
    return [
        _("Taking part in %(name)s by email:") % {"name": community.name},
        "\n".join(
            [
                _("%(address)s — ask the community a question (the subject is its title).")
                % {"address": _address(community)},
                _("Reply to any message from Solex — your reply is posted to that conversation."),
                _("%(address)s — ask to join.") % {"address": _address(community, "join")},
                _("%(address)s — receive every message.")
                % {"address": _address(community, "every")},
                _("%(address)s — receive a daily digest.")
                % {"address": _address(community, "daily")},
                _("%(address)s — receive a weekly digest.")
                % {"address": _address(community, "digest")},
                _("%(address)s — stop all email from this community (the web stays open).")
                % {"address": _address(community, "unsubscribe")},
                _("%(address)s — this help.") % {"address": _address(community, "help")},
            ]
        ),
        _("On the web: %(url)s") % {"url": _absolute(community.get_absolute_url())},
    ]


def _help(context: _Context, community: Community) -> Outcome:
    with translation.override(context.language):
        return _answer(context, help_paragraphs(community), reason="help sent")


def _join(context: _Context, community: Community) -> Outcome:
    user = context.user
    if user is None:
        with translation.override(context.language):
            return _answer(
                context,
                [
                    _("Hello,"),
                    _(
                        "To join %(name)s, first create your Solex account with this "
                        "address at %(url)s, then write to %(address)s again."
                    )
                    % {
                        "name": community.name,
                        "url": _absolute(reverse("accounts:signup")),
                        "address": _address(community, "join"),
                    },
                ],
                reason="join request from an address without an account",
                explanation=True,
            )
    _check_trust(context, posting=False)
    with translation.override(context.language):
        try:
            if community_policy.is_member(user, community):
                text = _("You are already a member of %(name)s.") % {"name": community.name}
                reason = "already a member"
            elif community_policy.can_join(user, community):
                community_actions.join(community, actor=user)
                text = _("Welcome to %(name)s: you are now a member.") % {"name": community.name}
                reason = "joined"
            else:
                note = clean_reply(context.parsed.text)[:2000]
                community_actions.request_to_join(community, actor=user, note=note)
                text = _(
                    "Your request to join %(name)s was sent to its facilitators; you will "
                    "hear from them by email."
                ) % {"name": community.name}
                reason = "join request filed"
        except (PermissionDenied, ValidationError, Http404) as exc:
            text = _("You could not join %(name)s: %(why)s") % {
                "name": community.name,
                "why": _refusal_text(exc),
            }
            reason = f"join refused: {_refusal_text(exc)}"
        return _answer(context, [text, *help_paragraphs(community)[:1]], reason=reason)


def _delivery(context: _Context, community: Community, delivery: str) -> Outcome:
    user = context.user
    if user is None or not community_policy.is_member(user, community):
        with translation.override(context.language):
            return _answer(
                context,
                [
                    _("This address is not a member of %(name)s, so nothing was changed.")
                    % {"name": community.name}
                ],
                reason="delivery change from a non-member",
                explanation=True,
            )
    _check_trust(context, posting=False)
    community_actions.set_delivery_preference(community, actor=user, delivery=delivery)
    with translation.override(context.language):
        label = DeliveryPreference(delivery).label
        return _answer(
            context,
            [
                _("Done: your email from %(name)s is now: %(choice)s.")
                % {"name": community.name, "choice": label},
                _("Change it at any time on %(url)s or by writing to %(address)s.")
                % {
                    "url": _absolute(community.get_absolute_url()),
                    "address": _address(community, "help"),
                },
            ],
            reason=f"delivery set to {delivery}",
        )


def clean_subject(subject: str) -> str:
    return SUBJECT_PREFIX.sub("", subject or "").strip()


def _ask(context: _Context, community: Community) -> Outcome:
    user = context.user
    if user is None or not community_policy.can_post_in(user, community):
        with translation.override(context.language):
            how = (
                _("Write to %(address)s to ask to join.") % {"address": _address(community, "join")}
                if user is not None
                else _("Create your Solex account with this address at %(url)s, then ask to join.")
                % {"url": _absolute(reverse("accounts:signup"))}
            )
            return _answer(
                context,
                [
                    _("Hello,"),
                    _(
                        "Only members of %(name)s can post to it by email, and this address "
                        "is not one of a member, so your message was not posted."
                    )
                    % {"name": community.name},
                    how,
                ],
                reason="sender is not a member allowed to post",
                explanation=True,
            )
    _check_trust(context, posting=True)
    body = _body(context)
    if not body:
        return _empty(context)
    title = clean_subject(context.parsed.subject) or body.split("\n", 1)[0][:120]
    try:
        exchange = _with_files(
            context,
            body,
            lambda text, files: exchange_actions.ask_query(
                community, actor=user, title=title[:200], body=text, attachments=files
            ),
        )
    except (PermissionDenied, ValidationError, Http404) as exc:
        with translation.override(context.language):
            return _answer(
                context,
                [_("Your question could not be posted:"), _refusal_text(exc)],
                reason=f"refused: {_refusal_text(exc)}",
            )
    return Outcome(State.POSTED, "", exchange=exchange)


# --- The quarantine --------------------------------------------------------------------------


def release_message(message: InboundMessage, *, actor: User) -> InboundMessage:
    """Process a held message again, as if a moderator vouched for it (no authentication check)."""
    policy.check_handle_message(actor, message)
    if message.state in (State.POSTED, State.RECEIVED, State.PROCESSING):
        raise ValidationError(_("This message is not held: there is nothing to release."))
    updated = InboundMessage.objects.filter(pk=message.pk, state=message.state).update(
        state=State.RECEIVED, reason=""
    )
    if updated:
        process_message(message.pk, released_by=actor)
    message.refresh_from_db()
    return message


def delete_message(message: InboundMessage, *, actor: User) -> None:
    policy.check_handle_message(actor, message)
    if message.state in (State.RECEIVED, State.PROCESSING):
        raise ValidationError(_("This message is still being processed."))
    logger.info("Inbound message %s deleted by %s (%s)", message.pk, actor.pk, message.reason)
    message.delete()
