"""Demo step "discussions": what makes the exchanges step's e-discussions real discussions.

The exchanges step wrote every discussion (upcoming, open, closed) with its window and
posts. This step adds, in bulk: the facilitator (the author when a moderator, else a
moderator of the community), the numbered framing questions of its text, invited
contributors, the question each post answers, a facilitator's summary for each full
week it ran (at most ``MAX_SUMMARIES``), and for closed discussions the synthesis:
the most recently closed (at most ``DRAFTED``) have a draft waiting for the
facilitator, the ``PUBLISHED`` before them a published knowledge item, drafted by the
same engine as the editor's.
Synthesis drafting reads posts, so it is bounded by those limits, not by ``--posts``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import F, Value
from django.db.models.functions import Mod

from solex.communities.models import MODERATOR_ROLES, RoleAssignment
from solex.core.markdown import render_markdown
from solex.demo import exchange_texts as texts
from solex.demo.context import DemoContext
from solex.discussions import drafting
from solex.discussions.models import (
    Discussion,
    FramingQuestion,
    Invitation,
    Summary,
    SynthesisDraft,
)
from solex.exchanges.models import CloseReason, Exchange, Kind, Reply, Status
from solex.knowledge.models import KnowledgeItem

PUBLISHED = 12
DRAFTED = 6
MAX_SUMMARIES = 3
INVITED = 4
WEEK = timedelta(days=7)


def _moderators() -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    rows = (
        RoleAssignment.objects.filter(role__in=MODERATOR_ROLES)
        .order_by("membership__community_id", "membership__user_id")
        .values_list("membership__community_id", "membership__user_id")
    )
    for community_id, user_id in rows.iterator():
        if user_id not in found[community_id]:
            found[community_id].append(user_id)
    return found


def build_discussions(ctx: DemoContext) -> None:
    rng = ctx.random("discussions")
    by_title = {text.title: text for text in texts.DISCUSSIONS}
    rows = list(
        Exchange.objects.filter(kind=Kind.DISCUSSION)
        .order_by("pk")
        .values_list(
            "pk",
            "community_id",
            "author_id",
            "title",
            "status",
            "opens_at",
            "closes_at",
            "closed_at",
        )
    )
    if not rows:
        return
    ids = [row[0] for row in rows]
    moderators = _moderators()
    posters: dict[int, list[int]] = defaultdict(list)
    for exchange_id, author_id in (
        Reply.objects.filter(exchange__kind=Kind.DISCUSSION, author_id__isnull=False)
        .order_by("exchange_id", "created_at", "pk")
        .values_list("exchange_id", "author_id")
        .iterator(chunk_size=5000)
    ):
        if author_id not in posters[exchange_id]:
            posters[exchange_id].append(author_id)

    facilitators: dict[int, int | None] = {}
    discussions: list[Discussion] = []
    questions: list[FramingQuestion] = []
    invitations: list[Invitation] = []
    summaries: list[Summary] = []
    now = ctx.now
    for pk, community_id, author_id, title, status, opens_at, closes_at, closed_at in rows:
        local = moderators.get(community_id, [])
        facilitator = author_id if author_id in local or not local else local[0]
        facilitators[pk] = facilitator
        text = by_title.get(title)
        asked = text.questions if text is not None else ("What has worked for you?",)
        started = opens_at or now
        ended = min(closed_at or closes_at or now, now)
        weeks = min(MAX_SUMMARIES, max(0, int((ended - started) / WEEK)))
        last_summary: datetime | None = started + weeks * WEEK if weeks else None
        discussions.append(
            Discussion(
                exchange_id=pk,
                facilitator_id=facilitator,
                summary_reminded_at=last_summary if status == Status.OPEN else None,
            )
        )
        questions += [
            FramingQuestion(discussion_id=pk, number=number, text=question[:500])
            for number, question in enumerate(asked, start=1)
        ]
        guests = [person for person in posters.get(pk, []) if person != facilitator]
        invitations += [
            Invitation(
                discussion_id=pk, user_id=person, invited_by_id=facilitator, invited_at=started
            )
            for person in rng.sample(guests, min(len(guests), INVITED))
        ]
        lines = text.summaries if text is not None else ("Posts this week.",)
        for week in range(weeks):
            body = lines[week % len(lines)]
            summaries.append(
                Summary(
                    discussion_id=pk,
                    period_start=started + week * WEEK,
                    period_end=started + (week + 1) * WEEK,
                    body=body,
                    body_html=render_markdown(body),
                    author_id=facilitator,
                    created_at=started + (week + 1) * WEEK,
                )
            )
    ctx.bulk_insert(Discussion, discussions, label="discussions", total=len(discussions))
    ctx.bulk_insert(FramingQuestion, questions, label="framing questions", total=len(questions))
    ctx.bulk_insert(Invitation, invitations, label="invitations", total=len(invitations))
    ctx.bulk_insert(Summary, summaries, label="summaries", total=len(summaries))
    # Two posts in three answer a framing question (every text asks at least two).
    Reply.objects.filter(exchange_id__in=ids).exclude(
        pk__in=Reply.objects.filter(exchange_id__in=ids)
        .annotate(third=Mod(F("pk"), Value(3)))
        .filter(third=0)
        .values("pk")
    ).update(paragraph=Mod(F("pk"), Value(2)) + 1)
    _syntheses(ctx)


def _syntheses(ctx: DemoContext) -> None:
    closed = list(
        Discussion.objects.filter(
            exchange__status=Status.CLOSED, exchange__close_reason=CloseReason.COMPLETED
        )
        .select_related("exchange", "exchange__community", "facilitator")
        .order_by("-exchange__closed_at", "pk")[: PUBLISHED + DRAFTED]
    )
    # The most recently closed wait for their facilitator; the ones before are published.
    waiting = min(DRAFTED, max(1, len(closed) // 3)) if len(closed) > 1 else 0
    progress = ctx.progress("syntheses", len(closed))
    through = KnowledgeItem.contributors.through
    for index, discussion in enumerate(closed):
        text = drafting.compose_synthesis(discussion)
        exchange = discussion.exchange
        when = exchange.closed_at or exchange.last_activity_at
        item = None
        if index >= waiting:
            item = KnowledgeItem.objects.create(
                kind=KnowledgeItem.Kind.DISCUSSION_SYNTHESIS,
                title=text.title,
                summary=text.summary or exchange.title,
                body=text.body,
                body_html=render_markdown(text.body),
                community=exchange.community,
                created_by=discussion.facilitator,
                created_at=when + timedelta(days=3),
                source_exchange=exchange,
            )
            people = drafting.posts(discussion).values_list("author_id", flat=True)
            through.objects.bulk_create(
                [
                    through(knowledgeitem_id=item.pk, user_id=person)
                    for person in dict.fromkeys(people)
                    if person is not None
                ]
            )
        SynthesisDraft.objects.create(
            discussion=discussion,
            title=text.title,
            summary=text.summary,
            body=text.body,
            version=2 if item is not None else 1,
            created_at=when,
            updated_by=discussion.facilitator if item is not None else None,
            updated_at=when + timedelta(days=3 if item is not None else 0),
            published_item=item,
        )
        Discussion.objects.filter(pk=discussion.pk).update(synthesis_drafted_at=when)
        progress.advance(1)
    progress.finish()
