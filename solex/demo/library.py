"""Demo step "knowledge library": items of every kind, in every state a library reaches.

Hand-written UN-practice items (good practices, lessons, case studies, how-to guides,
practice notes, meeting reports, publications, a KM approach menu) go to the
community of their practice area; every other active community gets a meeting report
and a practice note of its own. States: public items on the portal (public
communities only), organisation-wide and community ones, some past their review
date (the knowledge managers' queue), some reviewed, one archived, earlier versions,
useful votes, views and downloads, an item citing another, a published handover and
one still in review. The step does not depend on ``--posts``: it stays fast at any scale.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from solex.communities.models import Community, Membership, Role, RoleAssignment, Visibility
from solex.core.markdown import render_markdown
from solex.demo.context import DemoContext
from solex.exchanges import actions as exchange_actions
from solex.exchanges.models import Exchange, Kind, Status
from solex.knowledge.models import (
    Audience,
    Handover,
    ItemLink,
    ItemVersion,
    KnowledgeItem,
    LessonLearned,
    UsefulVote,
)

K = KnowledgeItem.Kind

# (practice slug, kind, title, summary, structured fields, countries, regions, language)
ITEMS: tuple[tuple[str, str, str, str, dict[str, Any], list[str], list[str], str], ...] = (
    (
        "poverty-and-inclusive-growth",
        K.GOOD_PRACTICE,
        "Village savings groups as a channel for cash transfers",
        "Routing transfers through existing savings groups cut distribution costs by a "
        "third and reached households far from paypoints.",
        {
            "problem": "In Kilifi county the nearest paypoint was a day's walk for the "
            "poorest households; many sent a relative and lost part of the transfer.",
            "approach": "Transfers were paid to village savings and loan associations, "
            "which distributed them at their weekly meeting with the group's records as "
            "proof of receipt. Field monitors attended one meeting in four.",
            "results": "Cost per transfer fell from 4.10 to 2.70 USD; 96% of recipients "
            "received the full amount on time (from 81%).",
            "conditions": "Groups must already exist, keep written records and have met "
            "for at least a year. A grievance line independent of the group is essential.",
            "contacts": "Social protection unit, UNDP Kenya; the county social development office.",
        },
        ["KE"],
        ["East Africa"],
        "en",
    ),
    (
        "health",
        K.GOOD_PRACTICE,
        "Mobile clinics that move with pastoralist herds",
        "Clinics that followed the seasonal migration doubled measles vaccination "
        "coverage among pastoralist children.",
        {
            "problem": "Pastoralist families were away from fixed health posts for up to "
            "seven months a year; coverage was 35%.",
            "approach": "Two mobile teams travelled with the herds along the known "
            "migration routes, agreed each season with clan elders, with cold boxes "
            "recharged by solar panels.",
            "results": "Measles coverage rose to 72% in two seasons; antenatal visits tripled.",
            "conditions": "Trust of the clan elders; a solar cold chain; a team that "
            "includes at least one person from the community.",
            "contacts": "WHO Ethiopia, immunisation programme.",
        },
        ["ET", "KE"],
        ["Horn of Africa"],
        "en",
    ),
    (
        "crisis-response",
        K.LESSON_LEARNED,
        "Check network coverage on the ground before choosing mobile money",
        "Mobile money reached families faster than food parcels, except in two districts "
        "where the network was down for weeks.",
        {
            "context": "Cyclone response in Sofala province, March to June.",
            "what_worked": "Paying through existing mobile money agents: families had "
            "cash within eight days of registration.",
            "what_did_not_work": "The operator's coverage maps predated the cyclone; two "
            "districts had no signal for five weeks and received nothing.",
            "why": "Nobody verified coverage after the storm; the maps were trusted.",
            "recommendation": "Test the network in each district before choosing cash "
            "delivery, and keep an in-kind fallback ready.",
            "evidence": "Post-distribution monitoring report, June.",
        },
        ["MZ"],
        ["Southern Africa"],
        "en",
    ),
    (
        "wash",
        K.LESSON_LEARNED,
        "Handwashing stations need someone responsible for refilling them",
        "Stations installed in schools were dry within a month where no one was named to refill them.",
        {
            "context": "School WASH programme in 40 primary schools.",
            "what_worked": "Where a parents' committee member was named, stations stayed in use.",
            "what_did_not_work": "Everywhere else, stations ran dry within weeks and were "
            "not refilled; soap went missing.",
            "why": "Installation was the project's deliverable; upkeep belonged to no one.",
            "recommendation": "Name a person and budget soap for a full school year before installing.",
            "evidence": "Spot checks in term two.",
        },
        ["BD"],
        ["South Asia"],
        "en",
    ),
    (
        "governance",
        K.CASE_STUDY,
        "Participatory budgeting in secondary cities",
        "Three municipalities let residents decide on 10% of the capital budget; "
        "participation and tax compliance both rose.",
        {
            "background": "Three secondary cities with low trust in local government "
            "and property tax compliance under 30%.",
            "challenge": "Residents saw no link between the taxes they paid and what the "
            "municipality built.",
            "intervention": "Neighbourhood assemblies proposed and voted on projects for "
            "10% of the capital budget; the municipality published progress monthly.",
            "outcomes": "Over 12,000 residents voted in the second year; property tax "
            "compliance rose to 44%.",
            "lessons": "Publishing progress mattered as much as the vote itself.",
        },
        ["SN"],
        ["West Africa"],
        "fr",
    ),
    (
        "education",
        K.CASE_STUDY,
        "Radio lessons during school closures",
        "When schools closed, a national radio timetable kept a third of primary "
        "pupils learning every day.",
        {
            "background": "Schools closed for seven months; fewer than 10% of rural "
            "households had internet access.",
            "challenge": "Reach pupils without connectivity and support parents with little schooling.",
            "intervention": "Daily 30-minute lessons by grade on national and community "
            "radio, with printed worksheets distributed with food rations.",
            "outcomes": "A phone survey found 34% of pupils listened daily.",
            "lessons": "Worksheets doubled the time children spent learning.",
        },
        ["SL"],
        ["West Africa"],
        "en",
    ),
    (
        "digital-transformation",
        K.HOW_TO,
        "How to run a data-protection impact assessment for a beneficiary registry",
        "Seven steps, with templates, to assess the risks of a registry before collecting any data.",
        {
            "purpose": "Identify and reduce the risks to people whose data a registry holds.",
            "prerequisites": "A description of the data flows; the name of the data controller.",
            "steps": "1. Describe the processing and its purpose.\n2. Check necessity and "
            "proportionality.\n3. Map who can see what.\n4. List the risks to people.\n"
            "5. Choose measures for each risk.\n6. Get sign-off from the data protection "
            "focal point.\n7. Review whenever the registry changes.",
            "tips": "Start before procurement: the system you buy decides half the answers.",
        },
        [],
        ["Global"],
        "en",
    ),
    (
        "crisis-response",
        K.HOW_TO,
        "Cómo organizar una revisión después de la acción en 90 minutos",
        "Una guía paso a paso para revisar una respuesta con el equipo mientras la memoria está fresca.",
        {
            "purpose": "Aprender de una respuesta reciente sin buscar culpables.",
            "prerequisites": "Un facilitador que no haya dirigido la respuesta.",
            "steps": "1. ¿Qué se esperaba que ocurriera?\n2. ¿Qué ocurrió realmente?\n"
            "3. ¿Por qué hubo diferencias?\n4. ¿Qué haremos diferente la próxima vez?",
            "tips": "Escriba las recomendaciones con un responsable y una fecha.",
        },
        ["PA", "CO"],
        ["Latin America and the Caribbean"],
        "es",
    ),
    (
        "gender-equality",
        K.PRACTICE_NOTE,
        "Gender-responsive budgeting in national planning",
        "How ministries of finance can tag and track spending on gender equality.",
        {
            "issue": "Commitments to gender equality rarely show in budgets, so they "
            "cannot be tracked or defended.",
            "practice": "Tag budget lines with a gender marker at preparation; report "
            "tagged spending each year to parliament.",
            "implications": "Country offices can support ministries with the marker "
            "methodology and training of budget officers.",
            "references": "Gender equality marker guidance note.",
        },
        [],
        ["Global"],
        "en",
    ),
    (
        "migration-and-displacement",
        K.PRACTICE_NOTE,
        "Including refugees in national health insurance",
        "Why and how to enrol refugees in national schemes instead of running parallel services.",
        {
            "issue": "Parallel health services for refugees are costly and stop when funding does.",
            "practice": "Pay refugees' premiums into the national scheme for a transition "
            "period, then phase in contributions from those who work.",
            "implications": "Negotiate with the insurer early; registration documents must be recognised.",
        },
        ["KE", "RW"],
        ["East Africa"],
        "en",
    ),
    (
        "climate-and-environment",
        K.MEETING_REPORT,
        "Regional webinar: early warning systems that reach the last mile",
        "Forty practitioners compared how warnings reach villages without phone coverage.",
        {
            "meeting": "Regional webinar, Asia-Pacific community of practice, online.",
            "participants": "42 practitioners from 11 countries.",
            "discussion": "Community radio, sirens and volunteers on motorbikes were "
            "compared; the common failure was the last ten kilometres.",
            "decisions": "Compile a good practice on community radio warnings.",
            "follow_up": "The facilitator drafts a consolidated reply within two weeks.",
        },
        ["BD", "PH", "NP"],
        ["Asia and the Pacific"],
        "en",
    ),
    (
        "food-security-and-nutrition",
        K.PUBLICATION,
        "School feeding with local produce: a practitioners' guide",
        "How to buy school meals from local smallholders without breaking procurement rules.",
        {
            "authors": "WFP and FAO country teams",
            "publisher": "World Food Programme",
            "published": "2025",
            "link": "Available from the WFP publications library.",
        },
        [],
        ["Global"],
        "en",
    ),
    (
        "urban-development",
        K.PUBLICATION,
        "Informal settlement upgrading: twenty years of evidence",
        "A review of what upgrading programmes achieved and what made them last.",
        {
            "authors": "UN-Habitat research unit",
            "publisher": "UN-Habitat",
            "published": "2024",
        },
        [],
        ["Global"],
        "en",
    ),
    (
        "knowledge-and-innovation",
        K.KM_APPROACH,
        "Knowledge-sharing methods: which one, when, and who can help",
        "A menu of the methods communities use to share what they know, with when each "
        "works best and whom to ask to run it.",
        {
            "overview": "For facilitators and teams planning how to learn from each other. "
            "Pick the method that fits the moment; ask the named team to help the first time.",
            "methods": [
                {
                    "name": "Peer assist",
                    "when": "Before starting something another team has done: invite them "
                    "for half a day to share what they learned.",
                    "contact": "Knowledge management team",
                },
                {
                    "name": "Knowledge café",
                    "when": "To surface ideas and questions from a large group in a "
                    "relaxed conversation.",
                    "contact": "Community facilitators",
                },
                {
                    "name": "After-action review",
                    "when": "Right after an event or a phase of a response, while memory is fresh.",
                    "contact": "Knowledge management team",
                },
                {
                    "name": "Retrospect",
                    "when": "At the end of a project, to capture lessons for the next one.",
                    "contact": "Evaluation office",
                },
                {
                    "name": "Storytelling",
                    "when": "To pass on experience that does not fit in a report.",
                    "contact": "Communications unit",
                },
            ],
        },
        [],
        ["Global"],
        "en",
    ),
)


def _structured(kind: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {} if kind == K.LESSON_LEARNED else fields


def build_library(ctx: DemoContext) -> None:
    rng = ctx.random("library")
    today = ctx.now.date()
    communities = {
        c.slug: c for c in Community.objects.exclude(visibility=Visibility.MEMBERS).order_by("pk")
    }
    if not communities:
        return
    meta = next((c for c in communities.values() if c.parent_id is None), None)
    members: dict[int, list[int]] = {}
    for community_id, user_id in Membership.objects.filter(
        community__in=communities.values()
    ).values_list("community_id", "user_id"):
        members.setdefault(community_id, []).append(user_id)

    def author_for(community: Community) -> int | None:
        people = members.get(community.pk) or []
        return rng.choice(people) if people else None

    specs: list[tuple[Community, str, str, str, dict[str, Any], list[str], list[str], str]] = []
    for practice, kind, title, summary, fields, countries, regions, language in ITEMS:
        community = communities.get(f"{practice}-cop") or meta
        if community is None:
            continue
        specs.append((community, kind, title, summary, fields, countries, regions, language))
    for community in communities.values():
        if community.is_archived:
            continue
        name = community.name.removesuffix(" Community of Practice")
        specs.append(
            (
                community,
                K.MEETING_REPORT,
                f"Quarterly e-discussion: what {name.lower()} practitioners asked most",
                f"The questions members of {community.name} asked most this quarter, and "
                "where the answers are.",
                {
                    "meeting": "Quarterly e-discussion, online, two weeks.",
                    "participants": "Members of the community.",
                    "discussion": "Members compared approaches and shared documents; the "
                    "facilitators grouped the questions by theme.",
                    "decisions": "The three most asked questions become consolidated replies.",
                },
                list(community.countries[:2]),
                list(community.regions[:1]),
                "en",
            )
        )
        specs.append(
            (
                community,
                K.PRACTICE_NOTE,
                f"Onboarding new members of {community.name}",
                "What new members should read first, and whom to ask.",
                {
                    "issue": "New members ask the same questions in their first weeks.",
                    "practice": "Read the charter and the five most used items; introduce "
                    "yourself in the welcome thread; ask the facilitators anything.",
                },
                [],
                [],
                "en",
            )
        )

    items: list[KnowledgeItem] = []
    lessons: list[tuple[int, dict[str, Any]]] = []
    for index, (community, kind, title, summary, fields, countries, regions, language) in enumerate(
        specs
    ):
        public = community.visibility == Visibility.PUBLIC
        if public and index % 3 != 2:
            audience = Audience.PUBLIC
        elif index % 7 == 3:
            audience = Audience.ORGANISATION
        else:
            audience = Audience.COMMUNITY
        created = ctx.now - timedelta(days=30 + (index * 37) % 700)
        author = author_for(community)
        # About a third are past their review date: the knowledge managers' queue.
        overdue = index % 3 == 0
        review_due = (
            today - timedelta(days=5 + index % 60)
            if overdue
            else today + timedelta(days=30 + (index * 11) % 330)
        )
        reviewed = index % 4 == 1
        body = (
            f"{summary}\n\nThis item was contributed by a member of **{community.name}**. "
            "Comment on it in the community or ask its owner."
        )
        item = KnowledgeItem(
            kind=kind,
            title=title[:200],
            summary=summary[:500],
            body=body,
            body_html=render_markdown(body),
            community=community,
            created_by_id=author,
            owner_id=author,
            created_at=created,
            audience=audience,
            language=language,
            countries=countries,
            regions=regions,
            details=_structured(kind, fields),
            review_due=review_due,
            last_reviewed_at=created + timedelta(days=200) if reviewed else None,
            last_reviewed_by_id=author if reviewed else None,
            view_count=rng.randint(3, 900),
            download_count=rng.randint(0, 120),
            status=KnowledgeItem.Status.ARCHIVED if index == 5 else KnowledgeItem.Status.PUBLISHED,
        )
        items.append(item)
        if kind == K.LESSON_LEARNED:
            lessons.append((index, fields))
    KnowledgeItem.objects.bulk_create(items)
    LessonLearned.objects.bulk_create(
        LessonLearned(
            item=items[index],
            context=fields["context"],
            what_worked=fields["what_worked"],
            what_did_not_work=fields["what_did_not_work"],
            why=fields.get("why", ""),
            recommendation=fields["recommendation"],
            evidence=fields.get("evidence", ""),
        )
        for index, fields in lessons
    )
    through = KnowledgeItem.contributors.through
    through.objects.bulk_create(
        through(knowledgeitem_id=item.pk, user_id=item.created_by_id)
        for item in items
        if item.created_by_id is not None
    )
    topic_through = KnowledgeItem.topics.through
    topic_rows = []
    for item, spec in zip(items, specs, strict=True):
        topic = ctx.topics.get(spec[0].slug.removesuffix("-cop"))
        if topic is not None:
            topic_rows.append(topic_through(knowledgeitem_id=item.pk, topic_id=topic.pk))
    topic_through.objects.bulk_create(topic_rows)

    # Useful votes from members, an earlier version of a few items, one citation.
    votes = []
    for item in items[: len(ITEMS)]:
        voters = (members.get(item.community_id) or [])[:12]
        for voter in voters:
            votes.append(UsefulVote(item=item, user_id=voter, useful=rng.random() < 0.8))
    UsefulVote.objects.bulk_create(votes)
    for item in items[: len(ITEMS)]:
        yes = sum(1 for v in votes if v.item is item and v.useful)
        no = sum(1 for v in votes if v.item is item and not v.useful)
        item.useful_yes, item.useful_no = yes, no
    KnowledgeItem.objects.bulk_update(items[: len(ITEMS)], ["useful_yes", "useful_no"])
    edited = items[:3]
    ItemVersion.objects.bulk_create(
        ItemVersion(
            item=item,
            number=1,
            title=item.title,
            summary="First draft: " + item.summary[:480],
            body=item.body,
            body_html=item.body_html,
            structured=item.details,
            written_by_id=item.created_by_id,
            written_at=item.created_at,
            replaced_at=item.created_at + timedelta(days=14),
        )
        for item in edited
    )
    for item in edited:
        item.version = 2
        item.updated_at = item.created_at + timedelta(days=14)
    KnowledgeItem.objects.bulk_update(edited, ["version", "updated_at"])
    if len(items) > 2:
        citing, cited = items[1], items[0]
        citing.body += f"\n\nSee also [{cited.title}]({cited.get_absolute_url()})."
        citing.body_html = render_markdown(citing.body)
        citing.save(update_fields=["body", "body_html"])
        ItemLink.objects.create(source=citing, target=cited)

    _handovers(ctx, communities)
    _answers_from_the_library(communities)


def _answers_from_the_library(communities: dict[str, Community], wanted: int = 3) -> None:
    """A few open queries answered at once with an item already in the library, as a
    facilitator does in triage (through the real action, so the asker is told)."""
    answered = 0
    for community in communities.values():
        if answered >= wanted or community.is_archived:
            continue
        item = KnowledgeItem.objects.filter(community=community).order_by("pk").first()
        facilitator = (
            RoleAssignment.objects.filter(
                membership__community=community,
                membership__user__is_active=True,
                role__in=[Role.FACILITATOR, Role.COORDINATOR],
            )
            .select_related("membership__user")
            .order_by("pk")
            .first()
        )
        query = (
            Exchange.objects.filter(
                community=community, kind=Kind.QUERY, status=Status.OPEN, is_direct_connect=False
            )
            .order_by("pk")
            .first()
        )
        if item is None or facilitator is None or query is None:
            continue
        exchange_actions.answer_from_library(
            query,
            actor=facilitator.membership.user,
            title=item.title,
            url=item.get_absolute_url(),
            note="This is covered by an item in our library; reply here if it leaves gaps.",
        )
        answered += 1


def _handovers(ctx: DemoContext, communities: dict[str, Community]) -> None:
    """One published handover note and one still being reviewed by the two people."""
    health = communities.get("health-cop")
    member = ctx.personas.get("member")
    facilitator = ctx.personas.get("facilitator")
    expert = ctx.personas.get("expert")
    if health is None or member is None or facilitator is None or expert is None:
        return
    now = ctx.now
    Handover.objects.create(
        community=health,
        leaver=member,
        successor=expert,
        title="Handing over the refugee health focal point role",
        role="Refugee health focal point, Nairobi",
        critical_knowledge="The county health department signs off every new clinic; "
        "start the request three months ahead.",
        ongoing_work="Negotiation with the national insurer on premiums for 2,000 refugees.",
        key_contacts="County director of health; the insurer's partnerships manager.",
        documents="Insurance agreement drafts are in the shared drive, folder 'NHIF'.",
        leaver_signed_at=now - timedelta(days=1),
        created_at=now - timedelta(days=3),
        updated_at=now - timedelta(days=1),
    )
    published = Handover.objects.create(
        community=health,
        leaver=facilitator,
        successor=expert,
        title="Handing over the cholera preparedness working group",
        role="Co-chair, cholera preparedness working group",
        critical_knowledge="Stock of oral rehydration salts is checked monthly with the "
        "ministry; the trigger for pre-positioning is three suspected cases in a district.",
        ongoing_work="Simulation exercise planned for the rainy season.",
        key_contacts="Ministry of Health emergency operations centre.",
        documents="Contingency plan, version 4.",
        audience=Audience.ORGANISATION,
        status=Handover.Status.PUBLISHED,
        leaver_signed_at=now - timedelta(days=40),
        successor_signed_at=now - timedelta(days=39),
        created_at=now - timedelta(days=45),
        updated_at=now - timedelta(days=39),
    )
    item = KnowledgeItem.objects.create(
        kind=K.HANDOVER,
        title=published.title,
        summary="Handover of the role “Co-chair, cholera preparedness working group” from "
        f"{facilitator.name} to {expert.name}.",
        community=health,
        created_by=facilitator,
        owner=expert,
        audience=Audience.ORGANISATION,
        created_at=now - timedelta(days=39),
        review_due=(now + timedelta(days=320)).date(),
        details={
            "role": published.role,
            "critical_knowledge": published.critical_knowledge,
            "ongoing_work": published.ongoing_work,
            "key_contacts": published.key_contacts,
            "documents": published.documents,
        },
    )
    item.contributors.set([facilitator, expert])
    published.published_item = item
    published.save(update_fields=["published_item"])
