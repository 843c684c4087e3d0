"""Daily and weekly digests: what happened, newest first, grouped by exchange.

A member's digest for a period gathers, for the communities where they chose that
period (and, for their default, notifications about no community):

* new posts of those communities published in the period (not direct-connect);
* their notifications updated in the period, still unread and not emailed since
  their latest event (so nothing they already received by email comes again).

Periods are fixed (yesterday UTC; the week before this Monday), the copy's key names
the period, and the notifications it includes are marked emailed: a re-run of the
task adds nothing.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from solex.accounts.models import User
from solex.communities.models import Community, DeliveryPreference, Membership
from solex.digests.delivery import About, what_about
from solex.exchanges.models import Exchange, Status
from solex.mail import sending
from solex.mail.compose import absolute
from solex.mail.models import Delivery, MailContent, MailSettings, OutboundMessage
from solex.mail.render import render_content
from solex.notifications.models import Notification

logger = logging.getLogger("solex.mail")

PERIODS: dict[str, timedelta] = {
    DeliveryPreference.DAILY: timedelta(days=1),
    DeliveryPreference.WEEKLY: timedelta(days=7),
}
POSTS_PER_COMMUNITY = 30
CHUNK = 500


def period_bounds(period: str, now: datetime) -> tuple[datetime, datetime]:
    """[start, end) of the last complete period: yesterday, or the week up to this Monday."""
    today = datetime.combine(now.astimezone(UTC).date(), time(), tzinfo=UTC)
    end = today - timedelta(days=today.weekday()) if period == DeliveryPreference.WEEKLY else today
    return end - PERIODS[period], end


@dataclass
class Entry:
    """One exchange (or one notification about no exchange) in a digest."""

    title: str
    url: str
    when: datetime
    community: str = ""
    is_new: bool = False
    excerpt: str = ""
    lines: list[str] = field(default_factory=list)


def _excerpt(text: str, limit: int = 280) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def send_digests(period: str, now: datetime | None = None) -> int:
    """Queue this period's digest for every member who chose it; returns digests queued."""
    now = now or timezone.now()
    start, end = period_bounds(period, now)
    members = (
        Membership.objects.filter(delivery=period, user__is_active=True)
        .exclude(user__email="")
        .values_list("user_id", "community_id")
    )
    communities_of: dict[int, set[int]] = defaultdict(set)
    for user_id, community_id in members.iterator(chunk_size=5000):
        communities_of[user_id].add(community_id)
    # People whose default (notifications about no community) is this period.
    for user_id in MailSettings.objects.filter(default_delivery=period).values_list(
        "user_id", flat=True
    ):
        communities_of.setdefault(user_id, set())
    blocked = set(
        MailSettings.objects.filter(Q(paused=True) | Q(stopped_at__isnull=False)).values_list(
            "user_id", flat=True
        )
    )
    done = {
        int(key.rsplit(":", 1)[1])
        for key in OutboundMessage.objects.filter(
            key__startswith=f"digest:{period}:{start:%Y-%m-%d}:"
        ).values_list("key", flat=True)
    }
    user_ids = sorted(set(communities_of) - blocked - done)
    posts = _posts({c for user_id in user_ids for c in communities_of[user_id]}, start, end)
    community_names = dict(
        Community.objects.filter(
            pk__in={c for cs in communities_of.values() for c in cs}
        ).values_list("pk", "name")
    )
    queued = 0
    for offset in range(0, len(user_ids), CHUNK):
        chunk = user_ids[offset : offset + CHUNK]
        queued += _digest_chunk(period, chunk, communities_of, posts, community_names, start, end)
    logger.info("%s digests for %s: %s queued", period, f"{start:%Y-%m-%d}", queued)
    return queued


def _posts(community_ids: set[int], start: datetime, end: datetime) -> dict[int, list[Exchange]]:
    by_community: dict[int, list[Exchange]] = defaultdict(list)
    rows = (
        Exchange.objects.filter(
            community_id__in=community_ids,
            is_direct_connect=False,
            created_at__gte=start,
            created_at__lt=end,
        )
        .exclude(status=Status.TRIAGE)
        .only("pk", "community_id", "author_id", "title", "body", "created_at", "kind")
        .order_by("-created_at")
    )
    for exchange in rows.iterator(chunk_size=2000):
        if len(by_community[exchange.community_id]) < POSTS_PER_COMMUNITY:
            by_community[exchange.community_id].append(exchange)
    return by_community


def _digest_chunk(
    period: str,
    user_ids: list[int],
    communities_of: dict[int, set[int]],
    posts: dict[int, list[Exchange]],
    community_names: dict[int, str],
    start: datetime,
    end: datetime,
) -> int:
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}
    defaults = {
        row.user_id: row.default_delivery
        for row in MailSettings.objects.filter(user_id__in=user_ids)
    }
    pending = list(
        Notification.objects.filter(
            recipient_id__in=user_ids,
            read_at__isnull=True,
            updated_at__gte=start,
            updated_at__lt=end,
        )
        .filter(Q(emailed_at__isnull=True) | Q(emailed_at__lt=F("updated_at")))
        .order_by("-updated_at")
    )
    about = what_about(pending)
    notes_of: dict[int, list[Notification]] = defaultdict(list)
    for note in pending:
        community_id = about[note.pk].community_id
        mine = communities_of[note.recipient_id]
        if (community_id in mine) or (
            community_id is None
            and defaults.get(note.recipient_id, Delivery.EVERY_MESSAGE) == period
        ):
            notes_of[note.recipient_id].append(note)
    contents: list[tuple[MailContent, User, list[int]]] = []
    for user_id in user_ids:
        user = users.get(user_id)
        if user is None or not user.email:
            continue
        entries = _entries(
            user, communities_of[user_id], posts, notes_of[user_id], about, community_names
        )
        if not entries:
            continue
        contents.append(
            (_render(period, user, entries, start, end), user, [n.pk for n in notes_of[user_id]])
        )
    if not contents:
        return 0
    with transaction.atomic():
        MailContent.objects.bulk_create([content for content, _u, _n in contents], batch_size=500)
        rows = [
            OutboundMessage(
                key=f"digest:{period}:{start:%Y-%m-%d}:{user.pk}",
                content=content,
                recipient=user,
                to_address=user.email,
            )
            for content, user, _notes in contents
        ]
        OutboundMessage.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
        noted = [pk for _c, _u, notes in contents for pk in notes]
        for offset in range(0, len(noted), 500):
            Notification.objects.filter(pk__in=noted[offset : offset + 500]).update(
                emailed_at=timezone.now(), mail_pending=False
            )
        ids = list(
            OutboundMessage.objects.filter(
                key__in=[row.key for row in rows], status__in=sending.PENDING
            ).values_list("pk", flat=True)
        )
        sending.schedule(ids)
    return len(ids)


def _entries(
    user: User,
    communities: set[int],
    posts: dict[int, list[Exchange]],
    notes: list[Notification],
    about: dict[int, About],
    community_names: dict[int, str],
) -> list[Entry]:
    by_key: dict[str, Entry] = {}
    for community_id in communities:
        for exchange in posts.get(community_id, ()):
            if exchange.author_id == user.pk:
                continue  # their own post
            by_key[f"x{exchange.pk}"] = Entry(
                title=exchange.title,
                url=absolute(exchange.get_absolute_url()),
                when=exchange.created_at,
                community=community_names.get(community_id, ""),
                is_new=True,
                excerpt=_excerpt(exchange.body),
            )
    for note in notes:
        target = about[note.pk]
        exchange_id = target.exchange_id
        key = f"x{exchange_id}" if exchange_id else f"n{note.pk}"
        entry = by_key.get(key)
        if entry is None:
            entry = by_key[key] = Entry(
                title=note.target_label or note.text,
                url=absolute(note.target_url),
                when=note.updated_at,
                community=community_names.get(target.community_id or 0, ""),
            )
        entry.when = max(entry.when, note.updated_at)
        entry.lines.append(note.text)
    return sorted(by_key.values(), key=lambda e: e.when, reverse=True)


def _render(
    period: str, user: User, entries: list[Entry], start: datetime, end: datetime
) -> MailContent:
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        if period == DeliveryPreference.WEEKLY:
            subject = _("Your weekly digest: %(count)d updates") % {"count": len(entries)}
        else:
            subject = _("Your daily digest: %(count)d updates") % {"count": len(entries)}
        return render_content(
            "digests/digest",
            {
                "entries": entries,
                "period": period,
                "start": start,
                "end": end - timedelta(seconds=1),
            },
            kind=f"digest.{period}",
            language=user.preferred_language,
            subject=subject,
        )
