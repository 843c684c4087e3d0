"""What the API reads and writes about communities, memberships, requests and invitations."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
Text = Annotated[str, AfterValidator(str.strip)]

VisibilityValue = Literal["public", "organisation", "members"]
MembershipTypeValue = Literal["internal", "partners"]
JoinPolicyValue = Literal["open", "approval", "invitation"]
ScopeValue = Literal["global", "regional", "national", "trans_border"]
KindValue = Literal["enabling", "delivery"]
StageValue = Literal["planning", "launching", "activating", "sustaining", "closed"]
StructureValue = Literal["community", "thematic", "regional", "meta_network"]
RoleValue = Literal[
    "coordinator", "facilitator", "knowledge_manager", "expert", "core_group", "champion", "member"
]
TeamRoleValue = Literal[
    "coordinator", "facilitator", "knowledge_manager", "expert", "core_group", "champion"
]
DeliveryValue = Literal["every_message", "daily", "weekly", "web_only"]


class CommunityQuery(Schema):
    q: str = Field("", max_length=100, description="Words to find in names and purposes.")
    topic: str = Field("", max_length=140, description="A topic's slug.")
    scope: ScopeValue | Literal[""] = ""
    region: str = Field("", max_length=30, description="A region's code, e.g. africa.")
    kind: KindValue | Literal[""] = ""


class CommunityOut(Schema):
    slug: str
    name: str
    purpose: str
    visibility: VisibilityValue
    membership_type: MembershipTypeValue
    join_policy: JoinPolicyValue
    scope: ScopeValue
    kind: KindValue
    stage: StageValue
    structure: StructureValue
    parent: str | None = Field(None, description="The slug of the network this one belongs to.")
    member_count: int
    is_archived: bool
    ends_on: date | None


class PersonRef(Schema):
    username: str
    name: str


class TeamMemberOut(Schema):
    role: TeamRoleValue
    people: list[PersonRef]


class CommunityDetailOut(CommunityOut):
    mission: str
    vision: str
    goals: str
    member_rules: str
    topics: list[str] = Field(description="Topic slugs.")
    regions: list[str]
    countries: list[str]
    languages: list[str]
    is_crisis: bool
    created_at: datetime
    team: list[TeamMemberOut]
    your_roles: list[RoleValue] = Field(
        description="The caller's roles here; empty if not a member."
    )
    can_join: bool
    can_request_to_join: bool


class CommunityIn(Schema):
    """A request for a new community; created at once when the site needs no approval."""

    name: Text = Field(min_length=1, max_length=150)
    slug: str = Field("", max_length=80, pattern=r"^[-a-zA-Z0-9_]*$")
    purpose: Text = Field(min_length=1, max_length=300)
    reason: str = Field("", max_length=4000, description="Why the community is needed.")
    visibility: VisibilityValue = "organisation"
    membership_type: MembershipTypeValue = "internal"
    join_policy: JoinPolicyValue = "open"
    kind: KindValue = "enabling"
    scope: ScopeValue = "global"
    parent: str | None = Field(None, max_length=80, description="Slug of the parent network.")
    topics: list[str] = Field(default_factory=list, max_length=20, description="Topic slugs.")


class CommunityRequestOut(Schema):
    id: int
    name: str
    slug: str
    purpose: str
    reason: str
    status: Literal["pending", "approved", "declined"]
    requested_by: PersonRef | None
    community: str | None = Field(None, description="The created community's slug, once approved.")
    decision_reason: str
    created_at: datetime


class CharterIn(Schema):
    purpose: Text | None = Field(None, min_length=1, max_length=300)
    mission: str | None = Field(None, max_length=10000)
    vision: str | None = Field(None, max_length=10000)
    goals: str | None = Field(None, max_length=10000)
    member_rules: str | None = Field(None, max_length=10000)
    stage: StageValue | None = None
    languages: list[Annotated[str, Field(max_length=10)]] | None = Field(None, max_length=20)


class SettingsIn(Schema):
    """What a community is about and how it runs; send only the fields to change.

    The facilitation team changes the description; only coordinators change who may
    see and join (visibility, membership type, join policy).
    """

    kind: KindValue | None = None
    stage: StageValue | None = None
    scope: ScopeValue | None = None
    regions: list[Annotated[str, Field(max_length=40)]] | None = Field(None, max_length=10)
    countries: list[Annotated[str, Field(pattern=r"^[A-Z]{2}$")]] | None = Field(
        None, max_length=60
    )
    languages: list[Annotated[str, Field(max_length=10)]] | None = Field(None, max_length=20)
    ends_on: date | None = Field(None, description="After this date the community is archived.")
    parent: str | None = Field(None, max_length=80, description="Slug of the parent network.")
    topics: list[str] | None = Field(None, max_length=20, description="Topic slugs (replaces all).")
    visibility: VisibilityValue | None = None
    membership_type: MembershipTypeValue | None = None
    join_policy: JoinPolicyValue | None = None


class MemberOut(Schema):
    username: str
    name: str
    organization: str | None
    roles: list[RoleValue]
    joined_at: datetime


class MyMembershipOut(MemberOut):
    delivery: DeliveryValue


class DeliveryIn(Schema):
    delivery: DeliveryValue


class RoleIn(Schema):
    role: TeamRoleValue
    reason: str = Field("", max_length=500)


class RemoveIn(Schema):
    reason: str = Field("", max_length=500)


class JoinRequestIn(Schema):
    note: str = Field("", max_length=2000)


class DecisionIn(Schema):
    reason: str = Field("", max_length=2000, description="Sent to the person; required to decline.")


class JoinRequestOut(Schema):
    id: int
    person: PersonRef
    note: str
    status: Literal["pending", "approved", "declined"]
    reason: str
    created_at: datetime


class InvitationIn(Schema):
    email: str = Field(max_length=254)
    role: RoleValue = "member"
    message: str = Field("", max_length=2000)


class InvitationOut(Schema):
    id: int
    email: str
    role: RoleValue
    created_at: datetime
    accepted: bool
    withdrawn: bool


class BulkInvitationIn(Schema):
    csv: str = Field(max_length=512 * 1024, description="Email addresses in the first column.")
    role: RoleValue = "member"
    message: str = Field("", max_length=2000)


class RowErrorOut(Schema):
    line: int
    value: str
    message: str


class BulkInvitationOut(Schema):
    invited: list[InvitationOut]
    errors: list[RowErrorOut]


class AuditEntryOut(Schema):
    at: datetime
    actor: PersonRef | None
    action: str
    target: PersonRef | None
    detail: str
    reason: str
