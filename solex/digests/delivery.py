"""Delivering notifications and new posts by email, by each member's preference.

The notifications app knows nothing of communities, so this top layer decides:

* A notification's community comes from its group key (``exchange:42`` and the keys
  of the apps built on exchanges name an exchange; ``welcome:<community>:<user>`` a
  community). Its preference is the person's ``Membership.delivery`` there; for a
  notification about no community (or one the person is not a member of), their
  ``MailSettings.default_delivery``. ``MailSettings.paused`` stops everything.
* **Grouping.** ``notify`` folds events on one group key into one unread row. The
  periodic ``sweep`` emails a row only once its latest event is older than
  ``SOLEX_MAIL_GROUPING_MINUTES`` and it is still unread: a burst of replies is one
  email, and nothing is emailed if the person saw it on the web first. A row that
  gets new events after being emailed is emailed again (same thread), keyed by its
  event count so a re-run never sends one twice.
* **Posts.** A new open exchange is sent once (``PostBroadcast``) to the members who
  receive every message; digest readers find it in their digest instead.
"""

from __future__ import annotations

import itertools
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from solex.accounts.models import User
from solex.communities.models import Community, DeliveryPreference, Membership
from solex.digests.models import PostBroadcast
from solex.exchanges.models import Exchange, Reply, Status
from solex.mail import sending
from solex.mail.compose import absolute
from solex.mail.models import Delivery, MailSettings
from solex.mail.render import email_safe_html, render_content
from solex.notifications.actions import notify, translated
from solex.notifications.models import Notification

logger = logging.getLogger("solex.mail")

# Group-key prefixes whose first number is an exchange's id.
EXCHANGE_PREFIXES = frozenset({"exchange", "consultation", "discussion", "collaboration"})
COMMUNITY_PREFIXES = frozenset({"welcome", "community"})
SWEEP_LIMIT = 5000
REPLIES_PER_EMAIL = 10
POSTS_SINCE = timedelta(days=3)


@dataclass(frozen=True)
class About:
    community_id: int | None
    exchange_id: int | None


def parse_group_key(group_key: str) -> tuple[str, int | None]:
    prefix, _colon, rest = group_key.partition(":")
    number = rest.split(":", 1)[0]
    return prefix, int(number) if number.isdigit() else None


def what_about(notifications: Sequence[Notification]) -> dict[int, About]:
    """The community and exchange each notification is about, in two queries at most."""
    exchange_ids = set()
    for notification in notifications:
        prefix, number = parse_group_key(notification.group_key)
        if prefix in EXCHANGE_PREFIXES and number is not None:
            exchange_ids.add(number)
    communities = dict(
        Exchange.objects.filter(pk__in=exchange_ids).values_list("pk", "community_id")
    )
    about: dict[int, About] = {}
    for notification in notifications:
        prefix, number = parse_group_key(notification.group_key)
        if prefix in EXCHANGE_PREFIXES and number in communities:
            about[notification.pk] = About(communities[number], number)
        elif prefix in COMMUNITY_PREFIXES and number is not None:
            about[notification.pk] = About(number, None)
        else:
            about[notification.pk] = About(None, None)
    return about


def preferences(
    pairs: Iterable[tuple[int, int]],
) -> dict[tuple[int, int], str]:
    """``Membership.delivery`` per (user id, community id) pair that is a membership."""
    pairs = set(pairs)
    if not pairs:
        return {}
    users = {user_id for user_id, _community in pairs}
    communities = {community_id for _user, community_id in pairs}
    rows = Membership.objects.filter(user_id__in=users, community_id__in=communities).values_list(
        "user_id", "community_id", "delivery"
    )
    return {(u, c): d for u, c, d in rows if (u, c) in pairs}


def mail_settings(user_ids: Iterable[int]) -> dict[int, MailSettings]:
    return {row.user_id: row for row in MailSettings.objects.filter(user_id__in=set(user_ids))}


def delivery_for(
    notification: Notification,
    about: About,
    prefs: dict[tuple[int, int], str],
    settings_of: dict[int, MailSettings],
) -> str:
    """The preference that applies to this notification for its recipient."""
    if about.community_id is not None:
        delivery = prefs.get((notification.recipient_id, about.community_id))
        if delivery is not None:
            return delivery
    row = settings_of.get(notification.recipient_id)
    return row.default_delivery if row is not None else Delivery.EVERY_MESSAGE


# --- The sweep --------------------------------------------------------------------------------


def sweep(now: datetime | None = None) -> dict[str, int]:
    """Email the due notifications of people who want every message; fan out new posts."""
    now = now or timezone.now()
    counts = sweep_notifications(now)
    counts["posts"] = fan_out_posts(now)
    return counts


def sweep_notifications(now: datetime) -> dict[str, int]:
    cutoff = now - timedelta(minutes=settings.SOLEX_MAIL_GROUPING_MINUTES)
    due = list(
        Notification.objects.filter(mail_pending=True, updated_at__lte=cutoff)
        .select_related("recipient")
        .order_by("updated_at", "pk")[:SWEEP_LIMIT]
    )
    counts = {"emailed": 0, "later": 0, "read": 0}
    if not due:
        return counts
    about = what_about(due)
    prefs = preferences(
        (n.recipient_id, community_id)
        for n in due
        if (community_id := about[n.pk].community_id) is not None
    )
    settings_of = mail_settings(n.recipient_id for n in due)
    communities = {
        c.pk: c
        for c in Community.objects.filter(
            pk__in={a.community_id for a in about.values() if a.community_id}
        )
    }
    for notification in due:
        if notification.read_at is not None:
            outcome = "read"
        elif delivery_for(notification, about[notification.pk], prefs, settings_of) == (
            DeliveryPreference.EVERY_MESSAGE
        ):
            outcome = "emailed"
        else:
            outcome = "later"  # a digest, or web only
        reason = sending.why_not_deliverable(
            notification.recipient, settings_of.get(notification.recipient_id)
        )
        if outcome == "emailed" and reason:
            outcome = "later"
        with transaction.atomic():
            # Only if no new event came in meanwhile: that one waits for its own delay.
            claimed = Notification.objects.filter(
                pk=notification.pk, mail_pending=True, updated_at=notification.updated_at
            ).update(
                mail_pending=False,
                # The latest event it includes: later events are news for the next email.
                **({"emailed_at": notification.updated_at} if outcome == "emailed" else {}),
            )
            if claimed and outcome == "emailed":
                about_it = about[notification.pk]
                community = communities.get(about_it.community_id or 0)
                _email_notification(notification, about_it, community)
        counts[outcome] += 1
    return counts


def _replies_since(exchange: Exchange, since: datetime | None) -> list[Reply]:
    replies = Reply.objects.filter(exchange=exchange, is_hidden=False).select_related("author")
    if since is not None:
        replies = replies.filter(created_at__gt=since)
    return list(replies.order_by("-created_at")[:REPLIES_PER_EMAIL])[::-1]


def _reply_context(reply: Reply) -> dict[str, str]:
    author = reply.author
    return {
        "author": (author.name or author.username) if author else _("A former member"),
        "when": formats.date_format(reply.created_at, "DATETIME_FORMAT"),
        "body": reply.body,
        "html": email_safe_html(reply.body_html),
    }


def list_fields(community: Community | None) -> dict[str, object]:
    if community is None:
        return {}
    return {
        "community_id": community.pk,
        "list_slug": community.slug,
        "list_name": community.name,
    }


def _email_notification(
    notification: Notification, about: About, community: Community | None
) -> None:
    user = notification.recipient
    exchange = None
    if about.exchange_id is not None:
        exchange = Exchange.objects.visible_to(user).filter(pk=about.exchange_id).first()
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        context: dict[str, object] = {
            "text": notification.text,
            "count": notification.count,
            "url": absolute(notification.target_url),
            "title": notification.target_label,
            "replies": [],
            "can_reply": False,
        }
        if exchange is not None:
            first_time = notification.emailed_at is None and notification.count == 1
            previously = notification.emailed_at
            context["title"] = exchange.title
            if first_time and notification.kind != "exchange.reply":
                context["body"] = exchange.body
                context["body_html"] = email_safe_html(exchange.body_html)
            context["replies"] = [
                _reply_context(r)
                for r in _replies_since(exchange, previously)
                if notification.kind.endswith("reply") or previously is not None
            ]
            context["can_reply"] = exchange.status == Status.OPEN and not exchange.is_locked
        subject_prefix = f"[{community.name}] " if community else ""
        subject = subject_prefix + str(context["title"] or notification.text)
        content = render_content(
            "mail/notification",
            context,
            kind=notification.kind or "notification",
            language=user.preferred_language,
            subject=subject,
            thread=f"exchange.{exchange.pk}" if exchange else "",
            reply_exchange_id=exchange.pk if exchange and context["can_reply"] else None,
            archive_url=exchange.get_absolute_url() if exchange else "",
            **list_fields(community),  # type: ignore[arg-type]
        )
    content.save()
    sending.queue(content, [(f"notification:{notification.pk}:{notification.count}", user)])


# --- New posts --------------------------------------------------------------------------------


def new_posts(now: datetime) -> list[Exchange]:
    """Open exchanges published lately that were not fanned out yet."""
    since = now - POSTS_SINCE
    return list(
        Exchange.objects.filter(status=Status.OPEN, is_direct_connect=False)
        .filter(Q(created_at__gte=since) | Q(routed_at__gte=since))
        .exclude(pk__in=PostBroadcast.objects.values("exchange_id"))
        .select_related("community", "author")
        .order_by("created_at")[:50]
    )


def fan_out_posts(now: datetime) -> int:
    total = 0
    for exchange in new_posts(now):
        total += fan_out(exchange)
    return total


def subscribers(community: Community, *, exclude: Iterable[int] = ()) -> list[User]:
    """Members who receive every message by email, and can be emailed now."""
    stopped = MailSettings.objects.filter(Q(paused=True) | Q(stopped_at__isnull=False))
    return list(
        User.objects.filter(
            is_active=True,
            memberships__community=community,
            memberships__delivery=DeliveryPreference.EVERY_MESSAGE,
        )
        .exclude(email="")
        .exclude(pk__in=list(exclude))
        .exclude(pk__in=stopped.values("user_id"))
        .only("pk", "email", "name", "username", "preferred_language", "is_active")
        .order_by("pk")
    )


def fan_out(exchange: Exchange) -> int:
    """Send a new post to its community's every-message members, once; returns copies queued."""
    try:
        with transaction.atomic():
            PostBroadcast.objects.create(exchange=exchange)
    except IntegrityError:
        return 0  # another sweep has it
    community = exchange.community
    author = exchange.author if exchange.author_id and not exchange.is_anonymous else None
    people = subscribers(community, exclude=[exchange.author_id] if exchange.author_id else [])
    queued = 0
    by_language: dict[str, list[User]] = defaultdict(list)
    for person in people:
        by_language[person.preferred_language or settings.LANGUAGE_CODE].append(person)
    for language, group in sorted(by_language.items()):
        with translation.override(language):
            if author is not None:
                text = _("%(author)s posted in %(community)s") % {
                    "author": author.name or author.username,
                    "community": community.name,
                }
            else:
                text = _("New post in %(community)s") % {"community": community.name}
            content = render_content(
                "mail/notification",
                {
                    "text": text,
                    "count": 1,
                    "url": absolute(exchange.get_absolute_url()),
                    "title": exchange.title,
                    "body": exchange.body,
                    "body_html": email_safe_html(exchange.body_html),
                    "replies": [],
                    "can_reply": not exchange.is_locked,
                },
                kind=f"post.{exchange.kind}",
                language=language,
                subject=f"[{community.name}] {exchange.title}",
                thread=f"exchange.{exchange.pk}",
                archive_url=exchange.get_absolute_url(),
                # One content per language; each copy's Reply-To names its recipient.
                reply_exchange_id=None if exchange.is_locked else exchange.pk,
                **list_fields(community),  # type: ignore[arg-type]
            )
        with transaction.atomic():
            content.save()
            queued += len(
                sending.queue(content, ((f"post:{exchange.pk}:{p.pk}", p) for p in group))
            )
    PostBroadcast.objects.filter(exchange=exchange).update(recipients=queued)
    logger.info("Post %s sent to %s members of %s", exchange.pk, queued, community.slug)
    return queued


def chunked[T](items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def tell_delivery_stopped(user: User) -> None:
    """``SOLEX_MAIL_STOPPED_HANDLER``: a notification that email to the person stopped, and why."""
    notify(
        [user],
        kind="mail.stopped",
        text=translated(
            gettext_noop(
                "We stopped emailing %(address)s because messages to it were returned as "
                "undeliverable. Check your address, then turn email back on."
            ),
            address=user.email,
        ),
        target_url=reverse("digests:preferences"),
        target_label=translated(gettext_noop("Email settings")),
        group_key="mail:stopped",
    )
