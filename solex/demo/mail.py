"""Demo email delivery: every delivery choice, the mail switches, a sent top 5, and the
outbound log in every state (sent, waiting to retry, failed, not sent, queued).

Nothing is sent while building: the rows are written as if the worker had run, so an
admin can see what the log looks like. Deterministic and bulk: at any ``--posts`` the
step writes a few hundred rows (one post's fan-out to its community's readers).
"""

from __future__ import annotations

from datetime import timedelta

from solex.accounts.models import User
from solex.communities.models import Community, DeliveryPreference, Membership, Role
from solex.demo.context import DemoContext
from solex.digests.models import PostBroadcast, TopFive, TopFiveItem
from solex.exchanges.models import Exchange, Status
from solex.mail.models import Delivery, MailContent, MailSettings, OutboundMessage, OutboundStatus
from solex.mail.render import render_content

FAN_OUT = 300  # copies of the demo post at most


def build_mail(ctx: DemoContext) -> None:
    rng = ctx.random("mail")
    _spread_preferences(ctx)
    _switches(ctx)
    community = (
        Community.objects.filter(memberships__roles__role=Role.FACILITATOR)
        .order_by("-member_count", "pk")
        .first()
    )
    if community is None:
        return
    posts = list(
        Exchange.objects.filter(
            community=community, status=Status.OPEN, is_direct_connect=False
        ).order_by("-created_at", "-pk")[:6]
    )
    if not posts:
        return
    post = posts[0]
    readers = list(
        User.objects.filter(memberships__community=community)
        .exclude(email="")
        .order_by("pk")[:FAN_OUT]
    )
    content = render_content(
        "mail/notification",
        {
            "text": f"New post in {community.name}",
            "count": 1,
            "url": post.get_absolute_url(),
            "title": post.title,
            "body": post.body,
            "body_html": post.body_html,
            "replies": [],
            "can_reply": True,
        },
        kind=f"post.{post.kind}",
        language="en",
        subject=f"[{community.name}] {post.title}",
        thread=f"exchange.{post.pk}",
        community_id=community.pk,
        list_slug=community.slug,
        list_name=community.name,
        reply_exchange_id=post.pk,
        archive_url=post.get_absolute_url(),
    )
    content.created_at = ctx.now - timedelta(hours=2)
    content.save()
    PostBroadcast.objects.get_or_create(exchange=post, defaults={"recipients": len(readers)})
    states = [
        (OutboundStatus.SENT, ""),
        (OutboundStatus.RETRY, "SMTPRecipientsRefused: 451 4.7.1 Greylisted, try again later"),
        (OutboundStatus.FAILED, "SMTPRecipientsRefused: 550 5.1.1 No such user"),
        (OutboundStatus.SKIPPED, "email paused"),
        (OutboundStatus.QUEUED, ""),
    ]
    sent_at = ctx.now - timedelta(hours=2)
    rows = []
    for number, reader in enumerate(readers):
        # Mostly sent; one of each other state every 25 readers.
        status, error = states[number % 25] if number % 25 < len(states) else states[0]
        rows.append(
            OutboundMessage(
                key=f"post:{post.pk}:{reader.pk}",
                content=content,
                recipient=reader,
                to_address=reader.email,
                status=status,
                attempts=0 if status == OutboundStatus.QUEUED else 1 + rng.randrange(2),
                created_at=sent_at,
                next_attempt_at=sent_at + timedelta(minutes=30),
                sent_at=sent_at + timedelta(seconds=number // 50)
                if status == OutboundStatus.SENT
                else None,
                error=error,
            )
        )
    OutboundMessage.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    _top_five(ctx, community, posts)


def _spread_preferences(ctx: DemoContext) -> None:
    """Every delivery choice is represented: a quarter each, by membership id."""
    choices = [
        DeliveryPreference.EVERY_MESSAGE,
        DeliveryPreference.DAILY,
        DeliveryPreference.WEEKLY,
        DeliveryPreference.WEB_ONLY,
    ]
    ids = list(Membership.objects.order_by("pk").values_list("pk", flat=True)[:40_000])
    for index, choice in enumerate(choices):
        chosen = ids[index::4]
        for start in range(0, len(chosen), 900):
            Membership.objects.filter(pk__in=chosen[start : start + 900]).update(delivery=choice)
    facilitator = ctx.personas.get("facilitator")
    if facilitator is not None:
        Membership.objects.filter(user=facilitator).update(
            delivery=DeliveryPreference.EVERY_MESSAGE
        )


def _switches(ctx: DemoContext) -> None:
    """One person paused all email; one has a digest default; one address bounced."""
    people = list(User.objects.exclude(email="").order_by("pk")[:60])
    if len(people) < 3:
        return
    paused, digest_default, bounced = people[-1], people[-2], people[-3]
    MailSettings.objects.get_or_create(user=paused, defaults={"paused": True})
    MailSettings.objects.get_or_create(
        user=digest_default, defaults={"default_delivery": Delivery.DAILY}
    )
    MailSettings.objects.get_or_create(
        user=bounced,
        defaults={
            "hard_bounces": 3,
            "stopped_address": bounced.email,
            "stopped_at": ctx.now - timedelta(days=1),
            "stop_reason": f"3 messages to {bounced.email} were returned as undeliverable",
        },
    )


def _top_five(ctx: DemoContext, community: Community, posts: list[Exchange]) -> None:
    facilitator = (
        User.objects.filter(
            memberships__community=community, memberships__roles__role=Role.FACILITATOR
        )
        .order_by("pk")
        .first()
    )
    if TopFive.objects.filter(community=community).exists():
        return
    top = TopFive.objects.create(
        community=community,
        intro=(
            "Five threads worth your time this week: two queries still need practitioners' "
            "experience, and a consolidated reply is ready to reuse."
        ),
        created_by=facilitator,
        created_at=ctx.now - timedelta(days=3),
        sent_at=ctx.now - timedelta(days=3),
        recipients=community.member_count,
    )
    notes = [
        "Still unanswered: if you have costed this in your country office, please share.",
        "A good example of South-South exchange; worth reading the whole thread.",
        "The consolidated reply summarises eight country experiences.",
        "Closes on Friday: add your comments before then.",
        "A lively discussion with practical templates attached.",
    ]
    TopFiveItem.objects.bulk_create(
        TopFiveItem(top_five=top, exchange=post, position=i, note=notes[i - 1])
        for i, post in enumerate(posts[:5], start=1)
    )
    # The members' copies of this top 5 are in the log too (sent).
    content = MailContent.objects.create(
        kind="digest.top5",
        language="en",
        subject=f"[{community.name}] This week's top {min(5, len(posts))}",
        text=top.intro,
        html=f"<p>{top.intro}</p>",
        list_slug=community.slug,
        list_name=community.name,
        community_id=community.pk,
        created_at=top.created_at,
    )
    readers = User.objects.filter(memberships__community=community).exclude(email="")
    OutboundMessage.objects.bulk_create(
        (
            OutboundMessage(
                key=f"top5:{top.pk}:{reader.pk}",
                content=content,
                recipient=reader,
                to_address=reader.email,
                status=OutboundStatus.SENT,
                attempts=1,
                created_at=top.created_at,
                sent_at=top.created_at,
            )
            for reader in readers.order_by("pk")[:FAN_OUT]
        ),
        batch_size=500,
        ignore_conflicts=True,
    )
