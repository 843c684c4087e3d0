"""Demo step "action groups": what makes the exchanges step's collaborations real groups.

The exchanges step wrote every action group and task team (upcoming, open, closed)
with its updates as posts. This step adds, in bulk: the exchange each group came from
(an earlier query of its community), its dates, its members (its lead and the people
who posted), tasks from its text with owners, due dates and statuses (all done in a
closed group), deliverables (library items of the community, or addresses), and for
closed groups the outcome, the ``PUBLISHED`` most recent published in the library.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from datetime import timedelta

from solex.collaboration.models import ActionGroup, Deliverable, GroupMember, Task
from solex.core.markdown import render_markdown
from solex.demo import exchange_texts as texts
from solex.demo.context import DemoContext
from solex.exchanges.models import CloseReason, Exchange, Kind, Reply, Status
from solex.knowledge.models import KnowledgeItem

PUBLISHED = 10
MAX_MEMBERS = 8

#: Tasks of each group's text (by title), in the order the work goes.
TASKS: dict[str, tuple[str, ...]] = {
    "Task team: Common cash feedback and complaints mechanism": (
        "Map the existing hotlines and their opening hours",
        "Review data protection for shared complaint records",
        "Draft the common intake form and referral rules",
        "Test the mechanism in two districts",
        "Hand over the standard operating procedures to the cash working group",
    ),
    "Action group: Lessons from the flood response": (
        "Agree the review questions with each agency",
        "Run after-action reviews in the three most affected districts",
        "Draft the joint lessons paper",
        "Present the lessons to the humanitarian country team",
    ),
    "Task team: Microplanning tools for urban immunisation": (
        "Collect the microplanning templates in use",
        "Adapt the template for informal settlements",
        "Pilot the tool with two health districts",
        "Publish the tool and a short how-to guide",
    ),
    "Task team: Updating the GBV referral pathway": (
        "Verify the contact details of every service on the pathway",
        "Add the new safe houses and mobile clinics",
        "Translate the pathway into the local languages",
        "Train the hotline operators on the updated pathway",
    ),
    "Action group: Joint pipeline for the adaptation fund proposal": (
        "List the candidate projects with each ministry",
        "Score the projects against the fund's criteria",
        "Write the concept note",
        "Validate the pipeline with the national designated authority",
    ),
}
GENERIC_TASKS = (
    "Agree the terms of reference",
    "Collect the evidence",
    "Draft the deliverable",
    "Review with the community",
)
OUTCOME_CLOSE = (
    "The group met every two weeks; its members' time was the main cost. What comes next "
    "is with the community's coordinators."
)


def _earlier_queries() -> dict[int, tuple[list, list[int]]]:  # type: ignore[type-arg]
    found: dict[int, tuple[list, list[int]]] = defaultdict(lambda: ([], []))  # type: ignore[type-arg]
    rows = (
        Exchange.objects.filter(kind=Kind.QUERY, is_direct_connect=False)
        .order_by("community_id", "created_at", "pk")
        .values_list("community_id", "created_at", "pk")
    )
    for community_id, created_at, pk in rows.iterator(chunk_size=5000):
        times, ids = found[community_id]
        times.append(created_at)
        ids.append(pk)
    return found


def build_action_groups(ctx: DemoContext) -> None:
    rng = ctx.random("action-groups")
    rows = list(
        Exchange.objects.filter(kind=Kind.COLLABORATION)
        .order_by("pk")
        .values_list(
            "pk",
            "community_id",
            "author_id",
            "title",
            "status",
            "close_reason",
            "created_at",
            "closes_at",
            "closed_at",
        )
    )
    if not rows:
        return
    by_title = {text.title: text for text in texts.COLLABORATIONS}
    queries = _earlier_queries()
    posters: dict[int, list[int]] = defaultdict(list)
    for exchange_id, author_id in (
        Reply.objects.filter(exchange__kind=Kind.COLLABORATION, author_id__isnull=False)
        .order_by("exchange_id", "created_at", "pk")
        .values_list("exchange_id", "author_id")
        .iterator(chunk_size=5000)
    ):
        if author_id not in posters[exchange_id] and len(posters[exchange_id]) < MAX_MEMBERS:
            posters[exchange_id].append(author_id)
    library: dict[int, list[int]] = defaultdict(list)
    for community_id, pk in KnowledgeItem.objects.order_by("pk").values_list("community_id", "pk"):
        if len(library[community_id]) < 20:
            library[community_id].append(pk)

    groups: list[ActionGroup] = []
    members: list[GroupMember] = []
    tasks: list[Task] = []
    deliverables: list[Deliverable] = []
    closed_ids: list[int] = []
    for pk, community_id, author_id, title, status, reason, created, closes, _closed in rows:
        start = created.date()
        end = (closes or created + timedelta(days=rng.randint(45, 120))).date()
        end = max(end, start + timedelta(days=14))
        times, ids = queries.get(community_id, ([], []))
        position = bisect_left(times, created)
        source = ids[position - 1] if position else None
        text = by_title.get(title)
        done = status == Status.CLOSED
        outcome = ""
        if done and reason == CloseReason.COMPLETED:
            last = (
                text.updates[-1] if text is not None else "The group delivered what it set out to."
            )
            outcome = f"{last}\n\n{OUTCOME_CLOSE}"
            closed_ids.append(pk)
        elif done:
            outcome = "The group stopped before its end: the need was met by another initiative."
        kind = (
            ActionGroup.Kind.TASK_TEAM
            if title.startswith("Task team")
            else ActionGroup.Kind.ACTION_GROUP
        )
        groups.append(
            ActionGroup(
                exchange_id=pk,
                kind=kind,
                source_id=source,
                starts_on=start,
                ends_on=end,
                outcome=outcome,
                outcome_html=render_markdown(outcome) if outcome else "",
            )
        )
        people = list(
            dict.fromkeys([p for p in (author_id, *posters.get(pk, [])) if p is not None])
        )
        members += [
            GroupMember(group_id=pk, user_id=person, added_by_id=author_id, added_at=created)
            for person in people
        ]
        titles = TASKS.get(title, GENERIC_TASKS)
        span = max((end - start).days, 1)
        for number, task_title in enumerate(titles):
            due = start + timedelta(days=span * (number + 1) // len(titles))
            if done:
                state = Task.Status.DONE
            else:
                state = rng.choice((Task.Status.DONE, Task.Status.DOING, Task.Status.TODO))
            tasks.append(
                Task(
                    group_id=pk,
                    title=task_title,
                    owner_id=rng.choice(people) if people else None,
                    due_on=due,
                    status=state,
                    created_by_id=author_id,
                    created_at=created,
                    updated_at=created,
                    completed_at=created + timedelta(days=span * (number + 1) // len(titles))
                    if state == Task.Status.DONE
                    else None,
                )
            )
        items = library.get(community_id, [])
        if done or rng.random() < 0.5:
            if items:
                deliverables.append(
                    Deliverable(
                        group_id=pk,
                        title=titles[-1],
                        item_id=rng.choice(items),
                        added_by_id=author_id,
                        added_at=created,
                    )
                )
            else:
                deliverables.append(
                    Deliverable(
                        group_id=pk,
                        title=titles[-1],
                        url=f"https://unitednations.sharepoint.com/sites/solex-demo/group-{pk}",
                        added_by_id=author_id,
                        added_at=created,
                    )
                )
    ctx.bulk_insert(ActionGroup, groups, label="action groups", total=len(groups))
    ctx.bulk_insert(GroupMember, members, label="group members", total=len(members))
    ctx.bulk_insert(Task, tasks, label="tasks", total=len(tasks))
    ctx.bulk_insert(Deliverable, deliverables, label="deliverables", total=len(deliverables))
    _publish_outcomes(closed_ids)


def _publish_outcomes(closed_ids: list[int]) -> None:
    """The most recently closed groups' outcomes, in the library."""
    recent = (
        ActionGroup.objects.filter(pk__in=closed_ids)
        .select_related("exchange", "exchange__community", "exchange__author")
        .order_by("-exchange__closed_at", "pk")[:PUBLISHED]
    )
    through = KnowledgeItem.contributors.through
    for group in recent:
        exchange = group.exchange
        item = KnowledgeItem.objects.create(
            kind=KnowledgeItem.Kind.ACTION_GROUP_OUTCOME,
            title=f"Outcome: {exchange.title}"[:200],
            summary=group.outcome.split("\n")[0][:500],
            body=group.outcome,
            body_html=group.outcome_html,
            community=exchange.community,
            created_by=exchange.author,
            created_at=exchange.closed_at or exchange.last_activity_at,
            source_exchange=exchange,
        )
        through.objects.bulk_create(
            [
                through(knowledgeitem_id=item.pk, user_id=user_id)
                for user_id in group.members.values_list("user_id", flat=True)
            ]
        )
        ActionGroup.objects.filter(pk=group.pk).update(outcome_item=item)
