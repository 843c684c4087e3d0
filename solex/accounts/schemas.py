"""What the API reads and writes about people, organisations and access tokens."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from django.conf import settings
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, JsonValue, WithJsonSchema
from pydantic_core import PydanticCustomError

from solex.accounts.models import Organization, Region

# The patterns are the whole rule, so the schema promises exactly what is accepted.
COUNTRY_PATTERN = r"^([A-Za-z]{2})?$"
LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$"
MAX_LANGUAGES = 20


# Inlined rather than a shared component: "Kind" alone would clash with other apps' kinds.
OrganizationKind = Annotated[
    Organization.Kind,
    WithJsonSchema(
        {
            "type": "string",
            "enum": list[JsonValue](Organization.Kind.values),
            "title": "Organization kind",
        }
    ),
]


class OrganizationOut(Schema):
    id: int
    name: str
    acronym: str
    kind: OrganizationKind
    is_internal: bool = Field(description="Its staff see organisation-only content.")


class OrganizationFilters(Schema):
    kind: OrganizationKind | None = Field(None, description="Only organisations of this kind.")
    is_internal: bool | None = Field(
        None, description="Only internal (true) or external (false) ones."
    )


class ProfileOut(Schema):
    id: int
    username: str
    name: str
    email: str
    title: str
    organization: OrganizationOut | None
    office: str
    country: str = Field(description="ISO 3166 two-letter code, or empty.")
    region: Region | Literal[""]
    languages: list[str] = Field(description="Codes of the languages the person speaks.")
    preferred_language: str = Field(description="The language of Solex's pages and emails.")
    is_internal: bool = Field(description="Staff of an internal organisation.")


def _interface_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _check_interface_language(code: str) -> str:
    if code not in _interface_languages():
        raise ValueError(f"Choose one of: {', '.join(_interface_languages())}.")
    return code


def _check_region(region: str) -> str:
    if region and region not in Region.values:
        raise ValueError(f"Choose one of: {', '.join(Region.values)}, or an empty string.")
    return region


def _unique_lowercase(codes: list[str]) -> list[str]:
    return list(dict.fromkeys(code.lower() for code in codes))


def _drop_defaults(schema: dict[str, Any]) -> None:
    # Absent means "leave unchanged"; null is not accepted, so do not advertise one.
    for details in schema.get("properties", {}).values():
        details.pop("default", None)


def _country_code(code: str) -> str:
    if not re.fullmatch(COUNTRY_PATTERN, code):
        raise PydanticCustomError(
            "country_code",
            "Enter a two-letter ISO 3166 country code, such as KE, or an empty string.",
        )
    return code.upper()


def _unchanged(**kwargs: Any) -> Any:
    """A field a client may leave out. Absent is "unchanged", so its default is never used."""
    return Field(None, **kwargs)


Text = Annotated[str, AfterValidator(str.strip)]
LanguageCode = Annotated[str, Field(pattern=LANGUAGE_PATTERN)]


class ProfileUpdate(Schema):
    """Send only the fields to change. An empty string clears an optional field."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_drop_defaults)

    name: Text = _unchanged(min_length=1, max_length=150, pattern=r"\S", description="Full name.")
    title: Text = _unchanged(max_length=150, description="Job title.")
    office: Text = _unchanged(max_length=150, description="Duty station or unit.")
    country: Annotated[str, AfterValidator(_country_code)] = _unchanged(
        description="Duty-station country: the two-letter ISO 3166 code, e.g. KE for Kenya.",
        json_schema_extra={"pattern": COUNTRY_PATTERN},
    )
    region: Annotated[str, AfterValidator(_check_region)] = _unchanged(
        description="UN region of the duty station, or an empty string.",
        json_schema_extra={"enum": ["", *list[JsonValue](Region.values)]},
    )
    languages: Annotated[list[LanguageCode], AfterValidator(_unique_lowercase)] = _unchanged(
        max_length=MAX_LANGUAGES, description="Language codes (ISO 639, e.g. en, fr, sw)."
    )
    preferred_language: Annotated[str, AfterValidator(_check_interface_language)] = _unchanged(
        description="The language of Solex's pages and emails.",
        json_schema_extra={"enum": list[JsonValue](_interface_languages())},
    )


class TokenOut(Schema):
    id: int
    name: str = Field(description="What the token is for.")
    prefix: str = Field(description="The token's first characters, to tell tokens apart.")
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    is_active: bool
