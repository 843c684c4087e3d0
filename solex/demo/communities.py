"""Demo step "communities": a meta-network, practice communities, sub-networks, safe spaces.

Built from what earlier steps recorded (``ctx.people``, ``ctx.topics``,
``ctx.personas``), with rows inserted in bulk so it scales with ``--members``. It
shows every visibility, every join policy, every role, a crisis community that is
running and one that has ended (a read-only archive), pending requests to join and
a pending request for a new community.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from solex.communities.models import (
    AuditEntry,
    Community,
    CommunityRequest,
    JoinPolicy,
    JoinRequest,
    Kind,
    Membership,
    MembershipType,
    Role,
    RoleAssignment,
    Scope,
    Stage,
    Structure,
    Visibility,
)
from solex.demo.catalogue import TOPICS
from solex.demo.context import DemoContext

#: Share of people who join the community of their own practice, and of a second one.
JOIN_OWN_PRACTICE = 0.8
JOIN_ANOTHER = 0.25
REGIONAL_SUBNETWORKS = {
    "governance": ("africa", "Local governance in Africa"),
    "health": ("asia_pacific", "Health practitioners in Asia and the Pacific"),
    "climate-and-environment": (
        "latin_america_caribbean",
        "Climate action in Latin America and the Caribbean",
    ),
}
TEAM_ROLES = (
    Role.COORDINATOR,
    Role.FACILITATOR,
    Role.KNOWLEDGE_MANAGER,
    Role.CORE_GROUP,
    Role.CHAMPION,
    Role.EXPERT,
)


@dataclass
class Plan:
    community: Community
    practice: str  # top-level topic slug whose people it draws on ("" for all)
    region: str = ""


def _community(ctx: DemoContext, **fields: object) -> Community:
    creator = ctx.personas.get("admin")
    community = Community(created_by=creator, created_at=ctx.now, **fields)
    community.save()
    return community


def build_communities(ctx: DemoContext) -> None:
    rng = ctx.random("communities")
    today = ctx.now.date()
    meta = _community(
        ctx,
        name="UN Practice Network",
        slug="un-practice-network",
        purpose="The network of the UN system's communities of practice.",
        mission="Connect practitioners across agencies so that no one solves a problem alone.",
        structure=Structure.META_NETWORK,
        visibility=Visibility.PUBLIC,
        membership_type=MembershipType.PARTNERS,
        join_policy=JoinPolicy.OPEN,
        stage=Stage.SUSTAINING,
        languages=["en", "fr", "es", "ar"],
    )
    plans: list[Plan] = [Plan(meta, "")]
    for index, spec in enumerate(TOPICS):
        # Alternate open public communities with internal, organisation-only ones.
        public = index % 3 != 1
        community = _community(
            ctx,
            name=f"{spec.name} Community of Practice",
            slug=f"{spec.slug}-cop",
            purpose=spec.description,
            mission=f"Help practitioners of {spec.name.lower()} find answers, peers and proven practice.",
            goals="Answer queries within two working days; publish a consolidated reply for each; "
            "hold a quarterly e-discussion on a priority topic.",
            member_rules="Be helpful and specific; share what did not work as well as what did.",
            parent=meta,
            visibility=Visibility.PUBLIC if public else Visibility.ORGANISATION,
            membership_type=MembershipType.PARTNERS if public else MembershipType.INTERNAL,
            join_policy=JoinPolicy.OPEN if public else JoinPolicy.APPROVAL,
            kind=Kind.ENABLING,
            stage=[Stage.ACTIVATING, Stage.SUSTAINING, Stage.LAUNCHING][index % 3],
            languages=["en", "fr"] if index % 2 else ["en", "es"],
        )
        community.topics.add(ctx.topics[spec.slug])
        plans.append(Plan(community, spec.slug))
        if spec.slug in REGIONAL_SUBNETWORKS:
            region, name = REGIONAL_SUBNETWORKS[spec.slug]
            regional = _community(
                ctx,
                name=name,
                slug=f"{spec.slug}-{region.replace('_', '-')}",
                purpose=f"{spec.name} practitioners in the region learning from each other.",
                parent=community,
                structure=Structure.REGIONAL,
                scope=Scope.REGIONAL,
                regions=[region],
                visibility=community.visibility,
                membership_type=community.membership_type,
                join_policy=JoinPolicy.OPEN,
                stage=Stage.ACTIVATING,
            )
            regional.topics.add(ctx.topics[spec.slug])
            plans.append(Plan(regional, spec.slug, region))
        if spec.children:
            thematic = _community(
                ctx,
                name=f"{spec.children[0]} network",
                slug=f"{spec.slug}-{index}-thematic",
                purpose=f"A thematic sub-network on {spec.children[0].lower()}.",
                parent=community,
                structure=Structure.THEMATIC,
                kind=Kind.DELIVERY,
                visibility=community.visibility,
                membership_type=community.membership_type,
                join_policy=JoinPolicy.OPEN,
                stage=Stage.PLANNING,
            )
            plans.append(Plan(thematic, spec.slug))
    crisis_parent = next(
        (p.community for p in plans if p.community.slug == "crisis-response-cop"), meta
    )
    safe_space = _community(
        ctx,
        name="Crisis staff safe space",
        slug="crisis-staff-safe-space",
        purpose="A private space for staff in crisis settings to talk frankly about what is hard.",
        member_rules="What is said here stays here. Internal staff only.",
        parent=crisis_parent,
        visibility=Visibility.MEMBERS,
        membership_type=MembershipType.INTERNAL,
        join_policy=JoinPolicy.INVITATION,
        stage=Stage.SUSTAINING,
    )
    plans.append(Plan(safe_space, "crisis-response"))
    running = _community(
        ctx,
        name="Cyclone response: Mozambique and Malawi",
        slug="cyclone-response",
        purpose="Coordinate the recovery and share what works, across agencies and partners.",
        parent=crisis_parent,
        is_crisis=True,
        kind=Kind.DELIVERY,
        scope=Scope.TRANS_BORDER,
        countries=["MZ", "MW"],
        visibility=Visibility.PUBLIC,
        membership_type=MembershipType.PARTNERS,
        join_policy=JoinPolicy.APPROVAL,
        stage=Stage.LAUNCHING,
        languages=["en", "pt"],
        ends_on=today + datetime.timedelta(days=120),
    )
    plans.append(Plan(running, "crisis-response"))
    ended = _community(
        ctx,
        name="Flood response 2024 (archive)",
        slug="flood-response-2024",
        purpose="The time-bound community of the 2024 flood response, kept as a read-only archive.",
        parent=crisis_parent,
        is_crisis=True,
        kind=Kind.DELIVERY,
        scope=Scope.NATIONAL,
        countries=["PK"],
        visibility=Visibility.PUBLIC,
        membership_type=MembershipType.PARTNERS,
        join_policy=JoinPolicy.APPROVAL,
        stage=Stage.CLOSED,
        ends_on=today - datetime.timedelta(days=60),
        closed_at=ctx.now - datetime.timedelta(days=59),
    )
    plans.append(Plan(ended, "crisis-response"))

    # Who joins what: people join their practice's communities (partners only those open to them).
    members: dict[int, list[int]] = defaultdict(list)  # community id -> user ids
    by_practice: dict[str, list[Plan]] = defaultdict(list)
    for plan in plans:
        by_practice[plan.practice].append(plan)
    for person in ctx.people:
        if person.persona:
            continue
        choices = [
            p
            for p in by_practice.get(person.practice, [])
            if p.community.visibility != Visibility.MEMBERS
        ]
        if rng.random() < JOIN_OWN_PRACTICE:
            for plan in choices:
                allowed = person.is_internal or plan.community.admits_partners
                regional_fit = not plan.region or plan.region == person.region
                if (
                    allowed
                    and regional_fit
                    and (plan.community.parent_id == meta.pk or rng.random() < 0.5)
                ):
                    members[plan.community.pk].append(person.id)
        if rng.random() < JOIN_ANOTHER:
            plan = rng.choice(plans)
            if (
                person.is_internal or plan.community.admits_partners
            ) and plan.community.visibility != Visibility.MEMBERS:
                members[plan.community.pk].append(person.id)
        if person.is_internal and person.practice == "crisis-response" and rng.random() < 0.3:
            members[safe_space.pk].append(person.id)

    # The personas: each shows its role somewhere worth looking.
    persona_roles: dict[str, list[tuple[str, tuple[Role, ...]]]] = {
        "admin": [(meta.slug, (Role.COORDINATOR, Role.KNOWLEDGE_MANAGER))],
        "coordinator": [
            ("health-cop", (Role.COORDINATOR,)),
            ("crisis-response-cop", (Role.COORDINATOR,)),
            (running.slug, (Role.COORDINATOR,)),
            (ended.slug, (Role.COORDINATOR,)),
            (safe_space.slug, (Role.COORDINATOR,)),
        ],
        "facilitator": [
            ("health-cop", (Role.FACILITATOR,)),
            ("crisis-response-cop", (Role.FACILITATOR, Role.CORE_GROUP)),
            (running.slug, (Role.FACILITATOR,)),
            (safe_space.slug, (Role.FACILITATOR,)),
            (meta.slug, (Role.CHAMPION,)),
        ],
        "expert": [("health-cop", (Role.EXPERT,)), (running.slug, (Role.EXPERT,))],
        "member": [
            ("health-cop", ()),
            ("crisis-response-cop", ()),
            (safe_space.slug, ()),
            (meta.slug, ()),
        ],
        "partner": [(meta.slug, ()), ("health-cop", ()), (running.slug, ())],
    }
    by_slug = {plan.community.slug: plan.community for plan in plans}
    roles: dict[tuple[int, int], set[str]] = defaultdict(set)  # (community id, user id) -> roles
    for username, places in persona_roles.items():
        persona = ctx.personas.get(username)
        if persona is None:
            continue
        for slug, held in places:
            place = by_slug.get(slug)
            if place is None or not (persona.is_internal or place.admits_partners):
                continue
            members[place.pk].append(persona.pk)
            roles[(place.pk, persona.pk)].update(held)

    # Every community gets a full team from its own members.
    internal = {p.id for p in ctx.people if p.is_internal}
    for plan in plans:
        people = list(dict.fromkeys(members[plan.community.pk]))
        members[plan.community.pk] = people
        staff = [user_id for user_id in people if user_id in internal]
        has = {
            role for (cid, _uid), held in roles.items() if cid == plan.community.pk for role in held
        }
        for role in TEAM_ROLES:
            if role not in has and staff:
                roles[(plan.community.pk, rng.choice(staff))].add(role)

    total = sum(len(ids) for ids in members.values())
    ctx.bulk_insert(
        Membership,
        (
            Membership(
                community_id=community_id,
                user_id=user_id,
                joined_at=ctx.now,
                delivery=rng.choice(["every_message", "daily", "weekly", "weekly", "web_only"]),
            )
            for community_id, user_ids in members.items()
            for user_id in user_ids
        ),
        label="memberships",
        total=total,
    )
    membership_ids = {
        (community_id, user_id): pk
        for pk, community_id, user_id in Membership.objects.values_list(
            "pk", "community_id", "user_id"
        )
    }
    ctx.bulk_insert(
        RoleAssignment,
        (
            RoleAssignment(
                membership_id=membership_ids[key],
                community_id=key[0],
                role=role,
                granted_at=ctx.now,
            )
            for key, held in roles.items()
            if key in membership_ids
            for role in sorted(held)
        ),
        label="roles",
        total=sum(len(held) for held in roles.values()),
    )
    for plan in plans:
        Community.objects.filter(pk=plan.community.pk).update(
            member_count=len(members[plan.community.pk])
        )
    AuditEntry.objects.bulk_create(
        AuditEntry(
            community=plan.community,
            actor=plan.community.created_by,
            action=AuditEntry.Action.CREATED,
            at=ctx.now,
        )
        for plan in plans
    )

    # Waiting work for the facilitators and the KM team.
    health = by_slug.get("health-cop")
    outsiders = [p for p in ctx.people if p.is_internal and not p.persona]
    organisation_cops = [
        plan.community for plan in plans if plan.community.join_policy == JoinPolicy.APPROVAL
    ]
    requests = []
    for community in organisation_cops:
        current = set(members[community.pk])
        candidates = [p for p in outsiders if p.id not in current][:3]
        requests += [
            JoinRequest(
                community=community, user_id=p.id, note="I would like to learn from this community."
            )
            for p in candidates
        ]
    JoinRequest.objects.bulk_create(requests)
    requester = ctx.personas.get("member")
    if requester is not None:
        CommunityRequest.objects.create(
            name="Cash transfers in fragile settings",
            slug="cash-transfers-fragile-settings",
            purpose="Practitioners designing cash assistance where markets and institutions are fragile.",
            reason="Several country offices are asking the same questions about cash in conflict areas.",
            requested_by=requester,
            parent=health.parent if health else None,
        )
