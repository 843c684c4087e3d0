"""What the API reads and writes about profiles, expertise and endorsements."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.conf.locale import LANG_INFO
from ninja import Field, P, PathEx, Schema
from pydantic import AfterValidator, ConfigDict, JsonValue

from solex.accounts.models import Region
from solex.accounts.schemas import OrganizationOut
from solex.core.api.params import MAX_ID

COUNTRY_PATTERN = r"^[A-Za-z]{2}$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$"
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"

# Django's username characters: anything else cannot name anyone.
Username = PathEx[
    str, P(max_length=150, pattern=r"^[\w.@+-]+$", description="The person's username.")
]
LANGUAGE_CODES = sorted(code for code, info in LANG_INFO.items() if "name" in info)
NO_NUL = r"^[^\x00]*$"

ExpertiseLevelValue = Literal[1, 2, 3]
SourceValue = Literal["declared", "endorsed", "contributions"]
LanguageLevelValue = Literal["native", "fluent", "working", "basic"]
AvailabilityValue = Literal["", "available", "limited", "unavailable"]
Text = Annotated[str, AfterValidator(str.strip)]


class DirectoryQuery(Schema):
    q: str = Field(
        "",
        max_length=200,
        description="Words to find in names, job titles, offices, bios and expertise.",
    )
    topic: str | None = Field(
        None,
        max_length=140,
        pattern=SLUG_PATTERN,
        description="A topic's slug: experts in it or under it.",
    )
    language: str | None = Field(
        None,
        pattern=LANGUAGE_PATTERN,
        description="People who speak this language (code, e.g. ar).",
    )
    country: str | None = Field(
        None, pattern=COUNTRY_PATTERN, description="Duty-station country, ISO 3166 code (e.g. KE)."
    )
    region: Region | None = Field(None, description="Duty-station region.")
    organization: int | None = Field(None, ge=1, le=MAX_ID, description="An organisation's id.")
    affiliation: Literal["internal", "external"] | None = Field(
        None, description="Staff of member organisations, or external partners."
    )


class PersonCardOut(Schema):
    """One directory result, with the reasons it matched."""

    username: str
    name: str
    title: str
    organization: OrganizationOut | None
    office: str
    country: str
    region: str
    reasons: list[str] = Field(description="Why this person matches the search, in plain words.")


class LanguageSkillOut(Schema):
    code: str
    name: str
    level: LanguageLevelValue | None = Field(description="Null when only the account lists it.")


class ExpertiseClaimOut(Schema):
    id: int
    topic: str = Field(description="The topic's slug.")
    topic_name: str
    level: ExpertiseLevelValue = Field(description="1 working knowledge, 2 experienced, 3 expert.")
    source: SourceValue
    contribution_count: int
    endorsement_count: int
    description: str = Field(description="The claim in words, as the profile page shows it.")
    endorsed_by_you: bool


class PersonCommunityOut(Schema):
    slug: str
    name: str


class PersonOut(Schema):
    username: str
    name: str
    title: str
    organization: OrganizationOut | None
    office: str
    country: str
    region: str
    is_internal: bool
    is_active: bool
    bio: str
    availability: AvailabilityValue
    availability_note: str
    languages: list[LanguageSkillOut]
    expertise: list[ExpertiseClaimOut]
    communities: list[PersonCommunityOut] = Field(
        description="The person's communities that the caller may see."
    )


def _known_language(code: str) -> str:
    if code not in LANGUAGE_CODES:
        raise ValueError("Not a language code Solex knows; see the list in the schema.")
    return code


class LanguageSkillIn(Schema):
    code: Annotated[str, AfterValidator(_known_language)] = Field(
        description="Language code, e.g. ar, fr, zh-hans.",
        json_schema_extra={"enum": list[JsonValue](LANGUAGE_CODES)},
    )
    level: LanguageLevelValue


def _one_per_language(skills: list[LanguageSkillIn]) -> list[LanguageSkillIn]:
    """A language listed twice keeps its last level."""
    return list({skill.code: skill for skill in skills}.values())


class ProfileDetailsUpdate(Schema):
    """Send only the fields to change. ``languages`` replaces the whole list."""

    model_config = ConfigDict(extra="forbid")

    bio: Text | None = Field(None, max_length=2000, pattern=NO_NUL)
    availability: AvailabilityValue | None = None
    availability_note: Text | None = Field(None, max_length=200, pattern=NO_NUL)
    visible_to_partners: bool | None = Field(
        None, description="Staff only: show the profile to external partners."
    )
    languages: Annotated[list[LanguageSkillIn], AfterValidator(_one_per_language)] | None = Field(
        None, max_length=20
    )


class DeclareExpertiseIn(Schema):
    topic: str = Field(max_length=140, pattern=SLUG_PATTERN, description="The topic's slug.")
    level: ExpertiseLevelValue = Field(description="1 working knowledge, 2 experienced, 3 expert.")


class EndorsementOut(Schema):
    claim: int
    endorsement_count: int
    created_at: datetime
