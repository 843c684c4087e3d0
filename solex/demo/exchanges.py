"""Demo step "exchanges": queries, consultations, discussions and action groups, with replies.

``--posts N`` is the number of posts: exchanges plus replies. The step plans every
exchange first (community, kind, state, author, dates, how many replies), from one
generator seeded by the build, then inserts exchanges, their topics, replies, expert
requests and helpful marks in bulk. Nothing is queried per row: what earlier steps
made (communities, memberships, roles) is read once at the start.

Who posts where follows the access policy: every author is a member of the
community; external partners post only in communities open to partners; a safe
space's exchanges are written by its members only, and nothing moves out of one.

Counters are what the rows say: ``reply_count`` is the number of replies,
``first_reply_at`` the first reply's time, ``last_activity_at`` the latest of the
exchange and its replies, ``helpful_count`` the helpful marks of each reply.

Texts come from ``solex.demo.exchange_texts``; every distinct paragraph is rendered
to HTML once, and a reply's HTML is the concatenation of its paragraphs' HTML
(Markdown blocks separated by a blank line render independently).
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate, batched
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils.text import slugify

from solex.accounts.models import User
from solex.communities.models import (
    MODERATOR_ROLES,
    Community,
    Membership,
    MembershipType,
    Role,
    RoleAssignment,
    Visibility,
)
from solex.core.markdown import render_markdown
from solex.demo import exchange_texts as texts
from solex.demo.catalogue import COUNTRY_BY_CODE
from solex.demo.context import DemoContext, DemoPerson
from solex.exchanges.models import (
    CloseReason,
    Exchange,
    ExchangeEvent,
    ExpertRequest,
    HelpfulMark,
    Kind,
    Reply,
    Status,
)

#: The share of exchanges of each kind.
KIND_WEIGHTS = {
    Kind.QUERY: 62,
    Kind.CONSULTATION: 10,
    Kind.DISCUSSION: 14,
    Kind.COLLABORATION: 14,
}
#: Query states, with how likely each is: (state, close reason, weight).
QUERY_STATES: tuple[tuple[str, str, int], ...] = (
    ("triage", "", 7),
    ("unanswered", "", 6),
    ("open", "", 25),
    ("closed", CloseReason.CONSOLIDATED, 24),
    ("closed", CloseReason.ANSWERED, 22),
    ("closed", CloseReason.WITHDRAWN, 5),
    ("closed", CloseReason.DUPLICATE, 6),
    ("closed", CloseReason.HANDED_OFF, 5),
)
#: Consultations, discussions and action groups: upcoming, running or finished.
TIMED_STATES: tuple[tuple[str, str, int], ...] = (
    ("upcoming", "", 8),
    ("open", "", 37),
    ("closed", CloseReason.COMPLETED, 50),
    ("closed", CloseReason.WITHDRAWN, 5),
)
#: (least, most) replies by kind and state; the draw leans towards the least.
REPLY_RANGES: dict[tuple[str, str], tuple[int, int]] = {
    (Kind.QUERY, "triage"): (0, 0),
    (Kind.QUERY, "unanswered"): (0, 0),
    (Kind.QUERY, "open"): (1, 16),
    (Kind.QUERY, CloseReason.CONSOLIDATED): (4, 24),
    (Kind.QUERY, CloseReason.ANSWERED): (1, 12),
    (Kind.QUERY, CloseReason.WITHDRAWN): (0, 2),
    (Kind.QUERY, CloseReason.DUPLICATE): (0, 3),
    (Kind.QUERY, CloseReason.HANDED_OFF): (0, 2),
    (Kind.CONSULTATION, "open"): (0, 24),
    (Kind.CONSULTATION, CloseReason.COMPLETED): (5, 40),
    (Kind.DISCUSSION, "open"): (3, 40),
    (Kind.DISCUSSION, CloseReason.COMPLETED): (12, 70),
    (Kind.COLLABORATION, "open"): (1, 14),
    (Kind.COLLABORATION, CloseReason.COMPLETED): (3, 20),
}
#: One popular query with exactly this many replies, for the benchmark's exchange page.
SHOWCASE_REPLIES = 100
#: Rows per executemany.
BATCH_SIZE = 5000
#: The columns this step writes, in the order of its rows; the others get their default.
EXCHANGE_FIELDS = (
    "id", "community", "kind", "title", "body", "body_html", "context", "context_html", "country",
    "author", "status", "needed_by", "opens_at", "closes_at", "is_direct_connect", "is_anonymous",
    "close_reason", "close_note", "closed_at", "closed_by", "moved_to", "created_at", "routed_at",
    "first_reply_at", "last_activity_at", "reply_count", "origin",
)  # fmt: skip
REPLY_FIELDS = (
    "id", "exchange", "author", "body", "body_html", "parent", "paragraph", "created_at", "helpful_count",
)  # fmt: skip
EVENT_FIELDS = ("exchange", "actor", "action", "detail", "reason", "at")
REQUEST_FIELDS = (
    "exchange", "expert", "requested_by", "reason", "requested_at", "reminded_at", "escalated_at",
    "answered_at", "declined_at",
)  # fmt: skip
#: History covered by the demo.
HISTORY_DAYS = 720
#: Share of query replies the asker marks helpful, and a facilitator does.
ASKER_MARKS = 0.3
FACILITATOR_MARKS = 0.12

CLOSE_NOTES = {
    CloseReason.CONSOLIDATED: "Consolidated reply published; thank you to everyone who replied.",
    CloseReason.ANSWERED: "Answered in the thread: the replies above cover the question.",
    CloseReason.WITHDRAWN: "Withdrawn: the programme design changed and the question no longer applies.",
    CloseReason.DUPLICATE: "Merged into an earlier query on the same question; please reply there.",
    CloseReason.HANDED_OFF: "Forwarded to {community}, where practitioners work on this question.",
    CloseReason.COMPLETED: "Closed on schedule. Thank you to everyone who took part.",
}
ASKER_THANKS = (
    "Thank you all, this is exactly what we needed. We will share the final design here.",
    "Many thanks. Could anyone share the terms of reference they used?",
    "Very helpful. A follow-up question: how long did the set-up take in practice?",
    "Thanks. To clarify our context: we have about six months and a modest budget.",
)
DIRECT_CONNECT_ANSWER = (
    "Thank you for writing to us directly. I have put you in touch with two colleagues who "
    "faced the same question; they will contact you this week. I have also sent you the "
    "consolidated reply on a related query from last year."
)


@dataclass
class Place:
    """A community as this step sees it: who may post, who facilitates, who is an expert."""

    id: int
    slug: str
    name: str
    visibility: str
    admits_partners: bool
    practice: str  # top-level topic slug, "" for a network on every practice
    closed_at: datetime | None  # an archive: nothing happens after this
    authors: list[int] = field(default_factory=list)  # members who may post here
    author_set: set[int] = field(default_factory=set)
    moderators: list[int] = field(default_factory=list)
    experts: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Plan:
    index: int
    place: Place
    kind: str
    state: str  # triage, unanswered, open, upcoming or closed
    reason: str  # the close reason, "" unless closed
    text: int  # index into the kind's texts
    author: int
    country: str
    seed: int
    created: datetime
    replies: int = 0
    opens: datetime | None = None
    closes: datetime | None = None
    closed_at: datetime | None = None
    closed_by: int | None = None
    routed_at: datetime | None = None
    experts: tuple[int, ...] = ()
    moved_to: int | None = None  # the plan it was merged into or handed off to
    origin: int | None = None  # a hand-off's copy: the plan it came from
    close_note: str = ""
    direct: bool = False
    anonymous: bool = False
    group: tuple[int, ...] = ()  # an action group's members


@dataclass
class _Sink:
    """What reply generation produces besides replies: helpful marks and expert requests."""

    next_reply: int  # the id the next reply gets
    marks: list[tuple[object, ...]] = field(default_factory=list)  # (reply, user, when)
    requests: list[tuple[object, ...]] = field(default_factory=list)  # REQUEST_FIELDS


class _Table:
    """Fast inserts of plain tuples (``executemany``), for the millions of rows of a large demo.

    ``bulk_create`` spends most of its time compiling SQL for each model instance; here
    the statement is compiled once. Columns not named in ``fields`` get their field's
    default, so a field added to the model later does not break the demo. Date and time
    values are adapted for the database as Django would.
    """

    def __init__(self, model: type[models.Model], fields: Sequence[str]) -> None:
        self.model = model
        opts = model._meta
        named: list[models.Field[Any, Any]] = []
        for name in fields:
            model_field = opts.get_field(name)
            if not isinstance(model_field, models.Field):
                raise TypeError(f"{model.__name__}.{name} is not a column")
            named.append(model_field)
        given = {model_field.column for model_field in named}
        rest = [f for f in opts.concrete_fields if f.column not in given and not f.primary_key]
        self.columns = [str(f.column) for f in (*named, *rest)]
        self.defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
        ops = connection.ops
        self.adapters: list[tuple[int, Callable[[Any], Any]]] = []
        for position, model_field in enumerate(named):
            if isinstance(model_field, models.DateTimeField):
                self.adapters.append((position, ops.adapt_datetimefield_value))
            elif isinstance(model_field, models.DateField):
                self.adapters.append((position, ops.adapt_datefield_value))

    def next_id(self) -> int:
        last = self.model._default_manager.aggregate(last=Max("pk"))["last"]
        return int(last or 0) + 1

    def insert(
        self, ctx: DemoContext, rows: Iterable[tuple[object, ...]], *, label: str, total: int
    ) -> None:
        quote = connection.ops.quote_name
        # Identifiers from the model's metadata, quoted; values are parameters.
        sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
            quote(self.model._meta.db_table),
            ", ".join(quote(column) for column in self.columns),
            ", ".join(["%s"] * len(self.columns)),
        )
        progress = ctx.progress(label, total)
        with connection.cursor() as cursor:
            for batch in batched(rows, BATCH_SIZE):
                cursor.executemany(sql, [self._prepare(row) for row in batch])
                progress.advance(len(batch))
        progress.finish()

    def _prepare(self, row: tuple[object, ...]) -> tuple[Any, ...]:
        values = list(row)
        for position, adapt in self.adapters:
            if values[position] is not None:
                values[position] = adapt(values[position])
        return (*values, *self.defaults)


def _reset_sequences(model_list: list[type[models.Model]]) -> None:
    """After rows with explicit ids: PostgreSQL's id sequences continue after them."""
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


class _Renderer:
    """Markdown to HTML, once per distinct text."""

    def __init__(self) -> None:
        self.cache: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        html = self.cache.get(text)
        if html is None:
            html = self.cache[text] = render_markdown(text) if text else ""
        return html

    def join(self, parts: Sequence[str]) -> tuple[str, str]:
        """A text of several Markdown blocks, and its HTML, from each block's cached HTML."""
        kept = [part for part in parts if part]
        return "\n\n".join(kept), "".join(self(part) for part in kept)


def build_exchanges(ctx: DemoContext) -> None:
    builder = _Builder(ctx)
    builder.plan()
    builder.insert()


class _Builder:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.random("exchanges")
        self.now = ctx.now
        self.render = _Renderer()
        self.people = {person.id: person for person in ctx.people}
        self.places = _places(ctx, self.people)
        self.plans: list[Plan] = []
        self.remaining = ctx.scale["posts"]
        self.queries_by_place: dict[int, list[int]] = defaultdict(list)
        self.topic_ids = {slug: topic.pk for slug, topic in ctx.topics.items()}
        self.names: dict[int, str] = dict(User.objects.values_list("pk", "name"))

    # --- Planning -----------------------------------------------------------------

    def plan(self) -> None:
        places = [place for place in self.places if len(place.authors) >= 2]
        if not places:
            return
        self._plan_showcase(places)
        self._plan_personas()
        cumulative = list(accumulate(len(place.authors) ** 0.85 for place in places))
        kinds = list(KIND_WEIGHTS)
        kind_cumulative = list(accumulate(KIND_WEIGHTS.values()))
        rng = self.rng
        while self.remaining > 0:
            place = places[bisect_right(cumulative, rng.random() * cumulative[-1])]
            kind = kinds[bisect_right(kind_cumulative, rng.random() * kind_cumulative[-1])]
            self._plan(place, kind)

    def _plan(
        self,
        place: Place,
        kind: str,
        *,
        state: tuple[str, str] | None = None,
        author: int | None = None,
        replies: int | None = None,
        created: datetime | None = None,
        text: int | None = None,
        direct: bool = False,
    ) -> Plan:
        """Plan one exchange (and, for a hand-off, its copy); it takes posts from the budget."""
        rng = self.rng
        catalogue = _texts(kind)
        matching = [
            i for i, t in enumerate(catalogue) if t.practice == place.practice or not place.practice
        ]
        if not matching:  # no consultation on this practice: a query instead
            kind, catalogue = Kind.QUERY, texts.QUERIES
            matching = [i for i, t in enumerate(catalogue) if t.practice == place.practice]
            matching = matching or list(range(len(catalogue)))
        if state is None:
            state = _draw_state(rng, QUERY_STATES if kind == Kind.QUERY else TIMED_STATES)
        if place.closed_at is not None and state[0] != "closed":
            state = (
                "closed",
                CloseReason.ANSWERED if kind == Kind.QUERY else CloseReason.COMPLETED,
            )
        author = rng.choice(place.authors) if author is None else author
        plan = Plan(
            index=len(self.plans),
            place=place,
            kind=kind,
            state=state[0],
            reason=state[1],
            text=rng.choice(matching) if text is None else text,
            author=author,
            country=self.people[author].country,
            seed=rng.getrandbits(48),
            created=self.now,
            direct=direct,
        )
        self.plans.append(plan)
        self._dates(plan, created)
        if replies is None:
            least, most = REPLY_RANGES.get((kind, plan.reason or plan.state), (0, 0))
            replies = min(most, least + int((most - least + 1) * rng.random() ** 1.6))
        plan.replies = max(0, min(replies, self.remaining - 1))
        self.remaining -= 1 + plan.replies
        if kind == Kind.QUERY:
            self._route(plan)
            if plan.state == "open" and plan.replies and rng.random() < 0.03:
                plan.anonymous = True  # a direct-connect query the facilitator published
            if plan.state == "closed":
                self._close_query(plan)
        elif kind == Kind.COLLABORATION:
            others = [pk for pk in place.authors if pk != author]
            plan.group = (author, *rng.sample(others, min(len(others), rng.randint(2, 7))))
        if plan.state == "closed":
            withdrawn = plan.reason == CloseReason.WITHDRAWN
            plan.closed_by = author if withdrawn else self._moderator(place, default=author)
            plan.close_note = plan.close_note or CLOSE_NOTES[CloseReason(plan.reason)]
        if kind == Kind.QUERY and plan.moved_to is None and not direct:
            self.queries_by_place[place.id].append(plan.index)
        return plan

    def _dates(self, plan: Plan, created: datetime | None) -> None:
        """When it was asked, opened, closed: all before the horizon (now, or an archive's end)."""
        rng = self.rng
        day = timedelta(days=1)
        horizon = plan.place.closed_at or self.now
        if plan.kind == Kind.QUERY:
            if plan.state == "triage":
                ago = rng.uniform(0.05, 4)
            elif plan.state in {"open", "unanswered"}:
                ago = rng.uniform(1, 45)
            else:
                ago = rng.uniform(30, HISTORY_DAYS)
            plan.created = created or horizon - ago * day
            if plan.state == "closed":
                closed = plan.created + rng.uniform(5, 40) * day
                plan.closed_at = max(min(closed, horizon - timedelta(hours=1)), plan.created)
            return
        if plan.state == "upcoming":
            plan.opens = horizon + rng.uniform(2, 20) * day
            plan.closes = plan.opens + rng.choice((14, 21, 28)) * day
            plan.created = created or horizon - rng.uniform(1, 10) * day
        elif plan.state == "open":
            plan.opens = horizon - rng.uniform(1, 30) * day
            plan.closes = horizon + rng.uniform(3, 30) * day
            plan.created = created or plan.opens - rng.uniform(0, 5) * day
        else:
            plan.opens = horizon - rng.uniform(50, HISTORY_DAYS) * day
            plan.closes = min(
                plan.opens + rng.choice((14, 21, 28, 42)) * day, horizon - timedelta(hours=1)
            )
            plan.created = created or plan.opens - rng.uniform(0, 5) * day
            plan.closed_at = plan.closes

    def _route(self, plan: Plan) -> None:
        """A released query goes to the community; most are also sent to a few experts."""
        rng = self.rng
        if plan.state == "triage" or plan.direct:
            return
        plan.routed_at = min(
            plan.created + timedelta(hours=rng.uniform(1, 40)), plan.closed_at or self.now
        )
        if not plan.place.moderators or rng.random() < 0.2:
            return
        candidates = [pk for pk in plan.place.experts if pk != plan.author]
        if not candidates:
            return
        chosen = rng.sample(candidates, min(len(candidates), rng.randint(1, 3)))
        expert = self.ctx.personas.get("expert")
        if (
            expert is not None
            and expert.pk in candidates
            and expert.pk not in chosen
            and rng.random() < 0.5
        ):
            chosen[0] = expert.pk
        plan.experts = tuple(chosen)

    def _close_query(self, plan: Plan) -> None:
        """A duplicate points at an earlier query; a hand-off at its copy in another community."""
        if plan.reason == CloseReason.DUPLICATE:
            earlier = [
                i
                for i in self.queries_by_place[plan.place.id][-50:]
                if self.plans[i].created < plan.created
            ]
            if earlier:
                plan.moved_to = self.rng.choice(earlier)
            else:
                plan.reason = CloseReason.ANSWERED
        elif plan.reason == CloseReason.HANDED_OFF:
            target = self._handoff_target(plan)
            if target is None or plan.closed_at is None or self.remaining < 1:
                plan.reason = CloseReason.ANSWERED
                return
            recent = self.now - plan.closed_at < timedelta(days=40)
            copy = self._plan(
                target,
                Kind.QUERY,
                state=("open", "") if recent else ("closed", CloseReason.ANSWERED),
                author=plan.author,
                created=plan.closed_at,
                text=plan.text,
            )
            plan.moved_to = copy.index
            copy.origin = plan.index
            plan.close_note = CLOSE_NOTES[CloseReason.HANDED_OFF].format(community=target.name)

    def _handoff_target(self, plan: Plan) -> Place | None:
        """Another public, running community of the practice where the asker may post."""
        if plan.place.visibility == Visibility.MEMBERS:
            return None  # nothing leaves a safe space
        practices = {plan.place.practice, texts.QUERIES[plan.text].practice, ""}
        candidates = [
            place
            for place in self.places
            if place.id != plan.place.id
            and place.visibility == Visibility.PUBLIC
            and place.closed_at is None
            and place.practice in practices
            and plan.author in place.author_set
        ]
        return self.rng.choice(candidates) if candidates else None

    def _moderator(self, place: Place, *, default: int) -> int:
        return self.rng.choice(place.moderators) if place.moderators else default

    def _plan_showcase(self, places: list[Place]) -> None:
        """The busiest query: exactly ``SHOWCASE_REPLIES`` replies, in the largest public community."""
        if self.remaining < 3 * (SHOWCASE_REPLIES + 1):
            return
        public = [p for p in places if p.visibility == Visibility.PUBLIC and p.closed_at is None]
        if not public:
            return
        place = max(public, key=lambda p: (len(p.authors), -p.id))
        plan = self._plan(
            place,
            Kind.QUERY,
            state=("open", ""),
            replies=SHOWCASE_REPLIES,
            created=self.now - timedelta(days=40),
        )
        plan.anonymous = False
        plan.routed_at = plan.created + timedelta(hours=3)

    def _plan_personas(self) -> None:
        """What the personas find when they log in: their queries, requests, a queue to triage."""
        place = next((p for p in self.places if p.slug == "health-cop"), None)
        if place is None or self.remaining < 200:
            return
        member = self.ctx.personas.get("member")
        partner = self.ctx.personas.get("partner")
        scripted: list[tuple[int | None, tuple[str, str], int, bool]] = [
            (member.pk if member else None, ("triage", ""), 0, False),
            (member.pk if member else None, ("open", ""), 6, False),
            (member.pk if member else None, ("closed", CloseReason.CONSOLIDATED), 8, False),
            (member.pk if member else None, ("triage", ""), 0, True),  # direct connect
            (partner.pk if partner else None, ("open", ""), 3, False),
            (None, ("unanswered", ""), 0, False),
            (None, ("triage", ""), 0, False),
        ]
        for author, state, replies, direct in scripted:
            if author is not None and author not in place.author_set:
                continue
            self._plan(
                place, Kind.QUERY, state=state, author=author, replies=replies, direct=direct
            )

    # --- Inserting -----------------------------------------------------------------

    def insert(self) -> None:
        if not self.plans:
            return
        ctx = self.ctx
        exchanges = _Table(Exchange, EXCHANGE_FIELDS)
        replies = _Table(Reply, REPLY_FIELDS)
        first_exchange, first_reply = exchanges.next_id(), replies.next_id()
        schedules = [self._schedule(plan) for plan in self.plans]

        exchanges.insert(
            ctx,
            (self._exchange(plan, first_exchange, schedules[plan.index]) for plan in self.plans),
            label="exchanges",
            total=len(self.plans),
        )
        topics = [
            (first_exchange + plan.index, topic)
            for plan in self.plans
            for topic in self._topics(plan)
        ]
        _Table(Exchange.topics.through, ("exchange", "topic")).insert(
            ctx, topics, label="topics", total=len(topics)
        )
        sink = _Sink(next_reply=first_reply)
        replies.insert(
            ctx,
            (
                row
                for plan in self.plans
                for row in self._replies(
                    plan, first_exchange + plan.index, schedules[plan.index], sink
                )
            ),
            label="replies",
            total=sum(len(schedule) for schedule in schedules),
        )
        _Table(HelpfulMark, ("reply", "user", "created_at")).insert(
            ctx, sink.marks, label="helpful marks", total=len(sink.marks)
        )
        _Table(ExpertRequest, REQUEST_FIELDS).insert(
            ctx, sink.requests, label="asked experts", total=len(sink.requests)
        )
        events = [event for plan in self.plans for event in self._events(plan, first_exchange)]
        _Table(ExchangeEvent, EVENT_FIELDS).insert(ctx, events, label="history", total=len(events))
        _reset_sequences([Exchange, Reply])

    def _events(self, plan: Plan, first_id: int) -> Iterator[tuple[object, ...]]:
        """The exchange's visible history, as the actions record it (``EVENT_FIELDS``)."""
        exchange = first_id + plan.index
        moderator = plan.place.moderators[0] if plan.place.moderators else plan.author
        act = ExchangeEvent.Action
        if plan.origin is not None:
            source = self.plans[plan.origin]
            sender = source.closed_by or moderator
            yield (
                exchange,
                sender,
                act.RECEIVED,
                source.place.name,
                source.close_note,
                plan.created,
            )
        else:
            yield (exchange, plan.author, act.ASKED, "", "", plan.created)
        if plan.routed_at is not None and plan.origin is None:
            yield (exchange, moderator, act.RELEASED, "", "", plan.routed_at)
            if plan.experts:
                names = ", ".join(self.names.get(pk, "") for pk in plan.experts)
                yield (exchange, moderator, act.ROUTED, names[:300], "", plan.routed_at)
        if plan.state != "closed" or plan.closed_at is None:
            return
        if plan.reason == CloseReason.DUPLICATE and plan.moved_to is not None:
            target = self.plans[plan.moved_to]
            title = self._exchange_text(target)[0]
            detail = f"#{first_id + target.index} {title}"[:300]
            yield (exchange, plan.closed_by, act.MERGED, detail, "", plan.closed_at)
        elif plan.reason == CloseReason.HANDED_OFF and plan.moved_to is not None:
            target_place = self.plans[plan.moved_to].place
            yield (
                exchange,
                plan.closed_by,
                act.HANDED_OFF,
                target_place.name,
                plan.close_note,
                plan.closed_at,
            )
        else:
            label = str(CloseReason(plan.reason).label)
            yield (exchange, plan.closed_by, act.CLOSED, label, plan.close_note, plan.closed_at)

    def _answer_slots(self, plan: Plan) -> dict[int, int]:
        """Which replies of a consultation answer an earlier comment: reply index -> comment index."""
        rng = random.Random(plan.seed + 1)  # noqa: S311 (demo data)
        share = 0.3 if plan.state == "closed" else 0.12
        slots: dict[int, int] = {}
        comments: list[int] = []
        for index in range(plan.replies):
            if comments and rng.random() < share:
                slots[index] = rng.choice(comments)
            else:
                comments.append(index)
        return slots

    def _schedule(self, plan: Plan) -> list[datetime]:
        """The replies' times, in order, between the start and the end of the exchange."""
        if not plan.replies:
            return []
        rng = random.Random(plan.seed)  # noqa: S311 (demo data)
        start = (
            plan.created
            if plan.kind == Kind.COLLABORATION
            else (plan.routed_at or plan.opens or plan.created)
        )
        start = max(start, plan.created)
        end = plan.closed_at or plan.place.closed_at or self.now
        if plan.closes is not None and plan.kind != Kind.COLLABORATION:
            end = min(end, plan.closes)
        span = max((end - start).total_seconds() - 60, 1.0)
        offsets = sorted(span * rng.random() ** 1.7 for _ in range(plan.replies))
        # At least a second apart, and never after the end.
        times: list[datetime] = []
        previous = 0.0
        for offset in offsets:
            previous = max(offset, previous + 1) if times else max(offset, 30.0)
            times.append(min(start + timedelta(seconds=min(previous, span + 59)), end))
        return times

    def _exchange(self, plan: Plan, first_id: int, schedule: list[datetime]) -> tuple[object, ...]:
        """One exchange row, in the order of ``EXCHANGE_FIELDS``."""
        title, body, context = self._exchange_text(plan)
        body_md, body_html = self.render.join(body)
        return (
            first_id + plan.index,
            plan.place.id,
            plan.kind,
            title,
            body_md,
            body_html,
            context,
            self.render(context),
            plan.country,
            plan.author,
            _status(plan),
            (plan.created + timedelta(days=7 + plan.seed % 15)).date()
            if plan.kind == Kind.QUERY
            else None,
            plan.opens,
            plan.closes,
            plan.direct,
            plan.anonymous,
            plan.reason if plan.state == "closed" else "",
            plan.close_note,
            plan.closed_at,
            plan.closed_by,
            first_id + plan.moved_to if plan.moved_to is not None else None,
            plan.created,
            plan.routed_at,
            schedule[0] if schedule else None,
            # Asking, releasing, routing, replying and closing are all activity.
            max(t for t in (plan.created, plan.routed_at, plan.closed_at, *schedule[-1:]) if t),
            len(schedule),
            first_id + plan.origin if plan.origin is not None else None,
        )

    def _exchange_text(self, plan: Plan) -> tuple[str, list[str], str]:
        """Title, body blocks and context of an exchange."""
        country = COUNTRY_BY_CODE.get(plan.country)
        where = {
            "country": country.name if country else "our country",
            "city": country.city if country else "the capital",
        }
        if plan.kind == Kind.QUERY:
            query = texts.QUERIES[plan.text]
            return (
                query.title.format(**where)[:200],
                [query.question.format(**where)],
                query.context.format(**where),
            )
        if plan.kind == Kind.CONSULTATION:
            consultation = texts.CONSULTATIONS[plan.text]
            return consultation.title, list(consultation.paragraphs), ""
        if plan.kind == Kind.DISCUSSION:
            discussion = texts.DISCUSSIONS[plan.text]
            questions = "\n".join(f"{n}. {q}" for n, q in enumerate(discussion.questions, 1))
            return discussion.title, [discussion.framing, "**Framing questions**", questions], ""
        collaboration = texts.COLLABORATIONS[plan.text]
        return collaboration.title, [collaboration.purpose], ""

    def _topics(self, plan: Plan) -> list[int]:
        spec = _texts(plan.kind)[plan.text]
        slugs = [slugify(spec.topic), spec.practice]
        return [self.topic_ids[slug] for slug in dict.fromkeys(slugs) if slug in self.topic_ids]

    def _replies(
        self, plan: Plan, exchange: int, schedule: list[datetime], sink: _Sink
    ) -> Iterator[tuple[object, ...]]:
        """The exchange's reply rows (``REPLY_FIELDS``), in order; marks and requests go to ``sink``."""
        if plan.kind == Kind.QUERY:
            yield from self._query_replies(plan, exchange, schedule, sink)
            return
        rng = random.Random(plan.seed + 2)  # noqa: S311 (demo data)
        slots = self._answer_slots(plan) if plan.kind == Kind.CONSULTATION else {}
        ids: dict[int, int] = {}  # reply index -> reply id
        others = [pk for pk in plan.place.authors if pk != plan.author] or [plan.author]
        for index, when in enumerate(schedule):
            paragraph: int | None = None
            parent: int | None = None
            if plan.kind == Kind.CONSULTATION:
                consultation = texts.CONSULTATIONS[plan.text]
                if index in slots:
                    # The owner answers a comment: taken up, partly, or not, and why.
                    author, parent = plan.author, ids[slots[index]]
                    parts = [rng.choice(consultation.answers)]
                else:
                    author = rng.choice(others)
                    parts = [
                        self._maybe(rng, texts.OPENINGS, 0.2),
                        rng.choice(consultation.comments),
                    ]
                    if rng.random() < 0.75:
                        paragraph = rng.randint(1, len(consultation.paragraphs))
            elif plan.kind == Kind.DISCUSSION:
                discussion = texts.DISCUSSIONS[plan.text]
                if plan.place.moderators and index and rng.random() < 0.08:
                    author = rng.choice(plan.place.moderators)
                    parts = [rng.choice(discussion.summaries)]
                else:
                    author = rng.choice(others)
                    parts = [
                        self._maybe(rng, texts.OPENINGS, 0.3),
                        rng.choice(discussion.contributions),
                        self._maybe(rng, texts.CLOSINGS, 0.3),
                    ]
            else:
                collaboration = texts.COLLABORATIONS[plan.text]
                author = rng.choice(plan.group or others)
                if index < len(collaboration.updates):
                    parts = [collaboration.updates[index]]
                else:
                    parts = [rng.choice(texts.FOLLOW_UPS)]
            body, html = self.render.join(parts)
            ids[index] = reply = sink.next_reply
            sink.next_reply += 1
            yield (reply, exchange, author, body, html, parent, paragraph, when, 0)

    def _query_replies(
        self, plan: Plan, exchange: int, schedule: list[datetime], sink: _Sink
    ) -> Iterator[tuple[object, ...]]:
        rng = random.Random(plan.seed + 2)  # noqa: S311 (demo data)
        query = texts.QUERIES[plan.text]
        end = plan.closed_at or plan.place.closed_at or self.now
        # Which asked experts answered, and with which reply.
        answered: dict[int, int] = {}  # reply index -> expert
        free = list(range(len(schedule)))
        rng.shuffle(free)
        for expert in plan.experts:
            if free and rng.random() < 0.65:
                answered[free.pop()] = expert
        answered_at = {expert: schedule[index] for index, expert in answered.items()}
        requester = plan.place.moderators[0] if plan.place.moderators else None
        reason = f"Declared expertise in {query.topic.lower()}; helpful replies on similar queries."
        for expert in plan.experts:
            asked = plan.routed_at or plan.created
            reminded = escalated = declined = None
            if expert not in answered_at:
                if rng.random() < 0.1:
                    declined = asked + timedelta(hours=rng.uniform(2, 30))
                elif asked + timedelta(days=3) < end:
                    reminded = asked + timedelta(days=3)
                    if plan.state != "closed" and not schedule and asked + timedelta(days=7) < end:
                        escalated = asked + timedelta(days=7)
            sink.requests.append(
                (
                    exchange,
                    expert,
                    requester,
                    reason,
                    asked,
                    reminded,
                    escalated,
                    answered_at.get(expert),
                    declined,
                )
            )
        others = [pk for pk in plan.place.authors if pk != plan.author] or [plan.author]
        moderators = [pk for pk in plan.place.moderators if pk != plan.author]
        for index, when in enumerate(schedule):
            author = answered.get(index)
            if author is None:
                asker_again = index > 0 and rng.random() < 0.08
                author = plan.author if asker_again else rng.choice(others)
            if author == plan.author:
                parts = [rng.choice(ASKER_THANKS)]
            elif rng.random() < 0.15:
                parts = [rng.choice(texts.FOLLOW_UPS)]
            else:
                parts = [
                    self._maybe(rng, texts.OPENINGS, 0.55),
                    rng.choice(query.experiences),
                    self._maybe(rng, query.lessons, 0.6),
                    self._maybe(rng, query.resources, 0.5),
                    rng.choice(texts.CLOSINGS),
                ]
            reply = sink.next_reply
            sink.next_reply += 1
            marks = 0
            if author != plan.author:
                share = ASKER_MARKS * (1.5 if plan.reason == CloseReason.CONSOLIDATED else 1)
                markers = [plan.author] if rng.random() < share else []
                if moderators and rng.random() < FACILITATOR_MARKS:
                    moderator = rng.choice(moderators)
                    if moderator != author:
                        markers.append(moderator)
                for user in markers:
                    marked = min(when + timedelta(hours=rng.uniform(0.5, 48)), end)
                    sink.marks.append((reply, user, max(marked, when)))
                marks = len(markers)
            body, html = self.render.join(parts)
            yield (reply, exchange, author, body, html, None, None, when, marks)

    @staticmethod
    def _maybe(rng: random.Random, choices: Sequence[str], share: float) -> str:
        return rng.choice(choices) if choices and rng.random() < share else ""


def _status(plan: Plan) -> str:
    if plan.state == "triage":
        return Status.TRIAGE
    if plan.state == "closed":
        return Status.CLOSED
    return Status.OPEN


def _draw_state(rng: random.Random, states: tuple[tuple[str, str, int], ...]) -> tuple[str, str]:
    state, reason, _weight = rng.choices(states, weights=[weight for *_, weight in states])[0]
    return state, reason


_Text = texts.QueryText | texts.ConsultationText | texts.DiscussionText | texts.CollaborationText


def _texts(kind: str) -> Sequence[_Text]:
    catalogues: dict[str, Sequence[_Text]] = {
        Kind.QUERY: texts.QUERIES,
        Kind.CONSULTATION: texts.CONSULTATIONS,
        Kind.DISCUSSION: texts.DISCUSSIONS,
        Kind.COLLABORATION: texts.COLLABORATIONS,
    }
    return catalogues[kind]


def _places(ctx: DemoContext, people: dict[int, DemoPerson]) -> list[Place]:
    """Every community with who may post, moderate and answer there: four queries in all."""
    topics = {topic.pk: topic for topic in ctx.topics.values()}

    def practice_of(topic_id: int) -> str:
        topic = topics.get(topic_id)
        while topic is not None and topic.parent_id is not None:
            topic = topics.get(topic.parent_id)
        return topic.slug if topic is not None else ""

    rows = list(
        Community.objects.order_by("pk").values_list(
            "pk", "slug", "name", "visibility", "membership_type", "closed_at", "parent_id"
        )
    )
    practices: dict[int, str] = {}
    for community_id, topic_id in Community.topics.through.objects.order_by("pk").values_list(
        "community_id", "topic_id"
    ):
        practices.setdefault(community_id, practice_of(topic_id))
    parents = {row[0]: row[6] for row in rows}
    places: dict[int, Place] = {}
    for pk, slug, name, visibility, membership_type, closed_at, _parent in rows:
        # A sub-network without topics of its own works on its parent's practice.
        practice, ancestor = practices.get(pk, ""), parents.get(pk)
        while not practice and ancestor is not None:
            practice, ancestor = practices.get(ancestor, ""), parents.get(ancestor)
        places[pk] = Place(
            id=pk,
            slug=slug,
            name=name,
            visibility=visibility,
            admits_partners=membership_type == MembershipType.PARTNERS,
            practice=practice,
            closed_at=closed_at,
        )
    for community_id, user_id in Membership.objects.order_by("pk").values_list(
        "community_id", "user_id"
    ):
        place = places.get(community_id)
        person = people.get(user_id)
        if place is None or person is None or user_id in place.author_set:
            continue
        if person.is_internal or place.admits_partners:
            place.authors.append(user_id)
            place.author_set.add(user_id)
    for community_id, user_id, role in RoleAssignment.objects.order_by("pk").values_list(
        "community_id", "membership__user_id", "role"
    ):
        place = places.get(community_id)
        if place is None or user_id not in place.author_set:
            continue
        if role in MODERATOR_ROLES and user_id not in place.moderators:
            place.moderators.append(user_id)
        if role == Role.EXPERT and user_id not in place.experts:
            place.experts.append(user_id)
    for place in places.values():
        practitioners = [pk for pk in place.authors if people[pk].practice == place.practice]
        place.experts = list(dict.fromkeys([*place.experts, *practitioners[:40]]))
    return list(places.values())
