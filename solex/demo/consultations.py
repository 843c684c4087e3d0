"""Demo step "consultations": versions, comment records, answers and feedback summaries.

The exchanges step wrote every consultation (an ``Exchange`` of kind consultation, its
draft in ``body``) and its comments, including the owner's answers ("Taken up: ...",
"Partly taken up: ...", "Not taken up ..."), posted as replies to the comments they
answer. This step adds what the consultations app keeps beside them, in bulk:

- version 1 of every draft, split into numbered paragraphs (each distinct draft is
  split and rendered once);
- a record for every comment, carrying the owner's answer read from their reply;
- a few open consultations moved to close within two days ("closing soon");
- for the most recently completed consultations (at most ``LIMIT``), the feedback
  summary drafted by the app's own method and published to the library, and for the
  next few a summary draft still being written.

Then it plays two showcase consultations through the app's actions, as people would:
a national social protection policy that is open, on its second version and closing
soon, and a regional strategy closed with its summary published and every comment
answered. Both land in the community of the most recent open consultation.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from datetime import timedelta

from django.utils import timezone

from solex.accounts.models import User
from solex.communities.models import Community, Membership
from solex.consultations import actions, drafting, queries
from solex.consultations import paragraphs as splitting
from solex.consultations.models import CommentRecord, DraftVersion, Response, SummaryDraft
from solex.core.markdown import render_markdown
from solex.demo.context import DemoContext
from solex.exchanges.models import CloseReason, Exchange, Kind, Reply, Status
from solex.knowledge.models import KnowledgeItem

#: Feedback summaries to publish, the most recently closed first.
LIMIT = 60
#: Closed consultations whose owner is still writing the summary.
IN_PROGRESS = 5
#: Open consultations that close within two days.
CLOSING_SOON = 4
#: How an owner's answer starts, and what it says about the comment.
ANSWER_PREFIXES = (
    ("not taken up", Response.NOT_TAKEN_UP),
    ("partly taken up", Response.PARTLY),
    ("taken up", Response.TAKEN_UP),
)

SOCIAL_PROTECTION = """# Draft national social protection policy

## Purpose

This policy sets out how the government will protect people from poverty, vulnerability and
shocks across their life cycle, and how ministries, local governments and partners share the work.

## Coverage

Every child under five receives a monthly child grant, paid to the primary caregiver, whatever the
household's income.

Older persons above 65 without a contributory pension receive a social pension equal to a third of
the minimum wage.

Persons with severe disabilities receive a disability grant, assessed by a community-based panel
rather than by medical certificate alone.

## Delivery

Payments are made through mobile money where coverage allows, and in cash at the nearest pay point
elsewhere; nobody travels more than 10 km to be paid.

A single social registry, updated every three years, is used by every programme.

## Shocks

When a drought or flood is forecast, the registry is used to scale up payments to affected
households within two weeks, financed by a contingency fund.

## Financing

The budget for social protection rises from 0.8% to 2% of GDP by 2032; partners align their cash
transfers with the national programmes.
"""
SOCIAL_PROTECTION_V2 = SOCIAL_PROTECTION.replace(
    "updated every three years",
    "updated continuously through local government offices and checked in full every three years",
).replace(
    "within two weeks",
    "within ten days, with triggers agreed in advance with the disaster management authority",
)
SOCIAL_PROTECTION_COMMENTS: tuple[tuple[int | None, str], ...] = (
    (6, "Mobile money agents are scarce in the northern districts: keep a cash option there, "
        "and count the 10 km on foot, not by road."),
    (7, "A registry updated every three years misses newborns and people who just lost their "
        "job. Continuous updating through local offices works in Malawi and Lesotho."),
    (8, "Two weeks is too slow for a flood. Agree the triggers in advance, as in the anticipatory "
        "action pilots, and the money can move in days."),
    (5, "The community panel for disability is welcome; please add that assessors are trained "
        "and that a person can appeal."),
    (None, "The draft is strong on cash but silent on social care services and on the social "
           "workers who make referrals. A paragraph on the workforce would help."),
)  # fmt: skip
REGIONAL_STRATEGY = """# Draft regional strategy for climate-resilient agriculture 2026-2030

This strategy sets out how agencies will support governments of the region to help smallholder
farmers adapt to a hotter, drier and less predictable climate.

Extension services will give farmers seasonal forecasts in local languages, through radio and
SMS, at least two weeks before planting.

Drought-tolerant seed will be made available through agro-dealers and community seed banks, not
by free distribution, except in the year after a disaster.

Index insurance will be offered to farmers' groups, with premiums subsidised by governments for
the poorest households during the first five years.

Water harvesting and small-scale irrigation will be supported where groundwater studies show they
are sustainable.

Progress will be reviewed every year with farmers' organisations, governments and partners.
"""
REGIONAL_COMMENTS: tuple[tuple[int | None, str, str, str], ...] = (
    (2, "Radio works, but add farmer field schools: forecasts are trusted when discussed with "
        "neighbours, not only heard.", Response.TAKEN_UP, ""),
    (3, "Ending free seed distribution is right, but agro-dealers do not reach remote villages. "
        "Community seed banks must come first there.", Response.PARTLY,
        "Community seed banks now come first in remote areas; agro-dealers elsewhere."),
    (4, "Index insurance has had very low uptake in our pilots. Is a five-year subsidy enough to "
        "build trust?", Response.NOT_TAKEN_UP,
        "The five years stay; an evaluation in year three will decide on an extension."),
    (None, "The strategy says little about women farmers, who do most of the work and hold the "
           "least land.", Response.TAKEN_UP, ""),
)  # fmt: skip


def build_consultations(ctx: DemoContext) -> None:
    rng = ctx.random("consultations")
    consultations = list(
        Exchange.objects.filter(kind=Kind.CONSULTATION)
        .exclude(pk__in=DraftVersion.objects.values("exchange_id"))
        .values_list("pk", "body", "author_id", "created_at")
        .order_by("pk")
    )
    split: dict[str, list[splitting.Paragraph]] = {}

    def versions() -> Iterator[DraftVersion]:
        for pk, body, author, created in consultations:
            if body not in split:
                split[body] = splitting.split(body)
            yield DraftVersion(
                exchange_id=pk,
                number=1,
                body=body,
                paragraphs=split[body],
                created_by_id=author,
                created_at=created,
            )

    ctx.bulk_insert(DraftVersion, versions(), label="draft versions", total=len(consultations))
    _records(ctx, {pk: author for pk, _body, author, _created in consultations})
    _closing_soon(ctx, rng.randrange(1000))
    _summaries(ctx)
    _showcases(ctx)


def _records(ctx: DemoContext, owners: dict[int, int | None]) -> None:
    """A record per comment; an owner's reply to a comment answers it."""
    replies = list(
        Reply.objects.filter(exchange_id__in=list(owners))
        .values_list("pk", "exchange_id", "author_id", "parent_id", "body", "created_at")
        .order_by("pk")
        .iterator(chunk_size=5000)
    )
    answers: dict[int, tuple[str, str, int | None, datetime.datetime]] = {}
    for _pk, exchange, author, parent, body, created in replies:
        if parent is None or author is None or author != owners.get(exchange):
            continue
        folded = body.strip().lower()
        for prefix, response in ANSWER_PREFIXES:
            if folded.startswith(prefix):
                answers[parent] = (response, body.strip()[:2000], author, created)
                break

    def records() -> Iterator[CommentRecord]:
        for pk, exchange, _author, _parent, _body, _created in replies:
            response, reason, by, at = answers.get(pk, ("", "", None, None))
            yield CommentRecord(
                reply_id=pk,
                exchange_id=exchange,
                version=1,
                response=response,
                reason=reason,
                responded_by_id=by,
                responded_at=at,
            )

    ctx.bulk_insert(CommentRecord, records(), label="consultation comments", total=len(replies))


def _closing_soon(ctx: DemoContext, seed: int) -> None:
    """A few open consultations close within two days, so the workspace has something due."""
    soon = list(
        Exchange.objects.filter(
            kind=Kind.CONSULTATION,
            status=Status.OPEN,
            closes_at__gt=ctx.now,
            opens_at__lte=ctx.now,
        )
        .order_by("closes_at", "pk")
        .values_list("pk", flat=True)[:CLOSING_SOON]
    )
    for position, pk in enumerate(soon):
        hours = 6 + (seed + position * 11) % 40
        Exchange.objects.filter(pk=pk).update(closes_at=ctx.now + timedelta(hours=hours))


def _summaries(ctx: DemoContext) -> None:
    """Published feedback summaries for the most recent completed consultations."""
    closed = list(
        Exchange.objects.filter(
            kind=Kind.CONSULTATION, close_reason=CloseReason.COMPLETED, reply_count__gte=1
        )
        .exclude(pk__in=SummaryDraft.objects.values("exchange_id"))
        .select_related("community", "author")
        .order_by("-closed_at", "pk")[: LIMIT + IN_PROGRESS]
    )
    progress = ctx.progress("feedback summaries", len(closed))
    for position, exchange in enumerate(closed):
        text = drafting.compose(exchange)
        closed_at = exchange.closed_at or exchange.last_activity_at
        draft = SummaryDraft.objects.create(
            exchange=exchange,
            title=text.title,
            summary=text.summary,
            body=text.body,
            version=2,
            created_by=exchange.author,
            updated_by=exchange.author,
            updated_at=closed_at + timedelta(days=2),
        )
        if position >= IN_PROGRESS:
            published = closed_at + timedelta(days=5)
            full = f"{text.body}\n\n{drafting.you_said_we_did(exchange)}"
            item = KnowledgeItem.objects.create(
                kind=KnowledgeItem.Kind.CONSULTATION_SUMMARY,
                title=text.title,
                summary=text.summary,
                body=full,
                body_html=render_markdown(full),
                community=exchange.community,
                created_by=exchange.author,
                created_at=published,
                source_exchange=exchange,
            )
            item.contributors.set(drafting.contributors(exchange, _shown(exchange)))
            draft.published_item = item
            draft.published_at = published
            draft.save(update_fields=["published_item", "published_at"])
        progress.advance()
    progress.finish()


def _shown(exchange: Exchange) -> list[queries.Comment]:
    return [c for c in queries.comments_of(exchange) if not c.reply.is_hidden]


def _people(community: Community, owner: User, count: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            pk__in=Membership.objects.filter(community=community).values("user_id"),
        )
        .exclude(pk=owner.pk)
        .order_by("pk")[:count]
    )


def _showcases(ctx: DemoContext) -> None:
    """Two consultations played through the app's actions, as their owners and members would."""
    candidates = (
        Exchange.objects.filter(kind=Kind.CONSULTATION, status=Status.OPEN)
        .exclude(author=None)
        .select_related("community", "author")
        .order_by("-created_at", "pk")[:50]
    )
    host = next((e for e in candidates if not e.community.is_archived), None)
    if host is None or host.author is None:
        return
    community, owner = host.community, host.author
    if not Membership.objects.filter(community=community, user=owner).exists():
        return
    people = _people(community, owner, 5)
    if len(people) < 2:
        return
    later = timezone.now() + timedelta(days=20)

    policy = actions.start_consultation(
        community,
        actor=owner,
        title="Draft national social protection policy",
        purpose=(
            "The ministry asks practitioners to comment before the draft goes to cabinet: "
            "what would make it work where you are?"
        ),
        body=SOCIAL_PROTECTION,
        closes_at=later,
    )
    for index, (paragraph, text) in enumerate(SOCIAL_PROTECTION_COMMENTS[:3]):
        actions.comment(policy, actor=people[index % len(people)], body=text, paragraph=paragraph)
    actions.post_version(
        policy,
        actor=owner,
        body=SOCIAL_PROTECTION_V2,
        note="The registry is updated continuously; shock payments within ten days.",
    )
    for index, (paragraph, text) in enumerate(SOCIAL_PROTECTION_COMMENTS[3:], start=3):
        actions.comment(policy, actor=people[index % len(people)], body=text, paragraph=paragraph)
    Exchange.objects.filter(pk=policy.pk).update(closes_at=timezone.now() + timedelta(hours=30))

    strategy = actions.start_consultation(
        community,
        actor=owner,
        title="Draft regional strategy for climate-resilient agriculture",
        purpose="Comments from practitioners and farmers' organisations on the draft strategy.",
        body=REGIONAL_STRATEGY,
        closes_at=later,
    )
    answered = []
    for index, (paragraph, text, response, reason) in enumerate(REGIONAL_COMMENTS):
        reply = actions.comment(
            strategy, actor=people[index % len(people)], body=text, paragraph=paragraph
        )
        answered.append((reply, response, reason))
    draft = actions.close_consultation(strategy, actor=owner, note="Thank you for 4 comments.")
    for reply, response, reason in answered:
        actions.respond(reply, actor=owner, response=response, reason=reason)
    actions.publish_summary(
        draft,
        actor=owner,
        version=draft.version,
        title=draft.title,
        summary=draft.summary,
        body=draft.body,
    )
