"""The API for the who's-who directory, profiles, expertise and endorsements."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Query, Router, Status
from ninja.errors import HttpError

from solex.accounts.api_auth import auth_required, signed_in_caller
from solex.accounts.models import Organization, User
from solex.core.api.errors import Error
from solex.core.api.pagination import Page, PageParams
from solex.core.api.params import ObjectId
from solex.people import actions, permissions, queries
from solex.people.models import Endorsement, ExpertiseClaim, Profile, language_name
from solex.people.schemas import (
    DeclareExpertiseIn,
    DirectoryQuery,
    EndorsementOut,
    ExpertiseClaimOut,
    PersonCardOut,
    PersonOut,
    ProfileDetailsUpdate,
    Username,
)
from solex.taxonomy.models import Topic

router = Router(tags=["people"])


def _filters(query: DirectoryQuery) -> queries.DirectoryFilters | None:
    """The search filters, or None when a topic or organisation named does not exist.

    Nobody is an expert in a topic that does not exist: that is an empty result (with
    the request is well formed, it just matches nobody.
    """
    topic = organization = None
    if query.topic:
        topic = Topic.objects.filter(slug=query.topic).first()
        if topic is None:
            return None
    if query.organization:
        organization = Organization.objects.filter(pk=query.organization).first()
        if organization is None:
            return None
    return queries.DirectoryFilters(
        text=query.q,
        topic=topic,
        language=query.language or "",
        country=(query.country or "").upper(),
        region=query.region or "",
        organization=organization,
        affiliation=query.affiliation or "",
    )


def _card(entry: queries.DirectoryEntry) -> dict[str, Any]:
    person = entry.person
    return {
        "username": person.username,
        "name": person.name,
        "title": person.title,
        "organization": person.organization,
        "office": person.office,
        "country": person.country,
        "region": person.region,
        "reasons": entry.reasons,
    }


def _claim(claim: ExpertiseClaim, endorsed: set[int]) -> dict[str, Any]:
    return {
        "id": claim.pk,
        "topic": claim.topic.slug,
        "topic_name": claim.topic.name,
        "level": claim.level,
        "source": claim.source,
        "contribution_count": claim.contribution_count,
        "endorsement_count": getattr(claim, "endorsement_total", 0),
        "description": queries.describe_claim(claim),
        "endorsed_by_you": claim.pk in endorsed,
    }


def _visible_claim(viewer: User, username: str, claim_id: int) -> ExpertiseClaim:
    claim = (
        ExpertiseClaim.objects.select_related("user__organization", "topic")
        .filter(pk=claim_id, user__username=username)
        .first()
    )
    if claim is None or not permissions.can_view_profile(viewer, claim.user):
        raise Http404
    return claim


def _person_out(viewer: User, username: str) -> dict[str, Any]:
    person = queries.profile_person(viewer, username)
    if person is None:
        raise Http404
    try:
        details: Profile | None = person.profile
    except Profile.DoesNotExist:
        details = None
    endorsed = set(
        Endorsement.objects.filter(endorser=viewer, claim__user=person).values_list(
            "claim_id", flat=True
        )
    )
    skills = list(person.language_skills.all())
    known = {skill.code for skill in skills}
    languages = [
        {"code": skill.code, "name": skill.language_name, "level": skill.level} for skill in skills
    ] + [
        {"code": code, "name": language_name(code), "level": None}
        for code in person.languages
        if code not in known
    ]
    return {
        "username": person.username,
        "name": person.name,
        "title": person.title,
        "organization": person.organization,
        "office": person.office,
        "country": person.country,
        "region": person.region,
        "is_internal": person.is_internal,
        "is_active": person.is_active,
        "bio": details.bio if details else "",
        "availability": details.availability if details else "",
        "availability_note": details.availability_note if details else "",
        "languages": languages,
        "expertise": [_claim(claim, endorsed) for claim in person.expertise_claims.all()],
        "communities": list(queries.communities_of(person, viewer).values("slug", "name")),
    }


@router.get("/", response=Page[PersonCardOut], auth=auth_required, summary="Search the directory")
def search(
    request: HttpRequest, filters: Query[DirectoryQuery], page: Query[PageParams]
) -> dict[str, Any]:
    """People the caller may see who match every filter given, each with why they match.

    With a topic, the best-placed experts come first (level, then endorsements);
    otherwise people are in name order.
    """
    viewer = signed_in_caller(request)
    chosen = _filters(filters)
    if chosen is None:
        return {"count": 0, "limit": page.limit, "offset": page.offset, "items": []}
    people = queries.search_people(viewer, chosen)
    count = people.count()
    window = list(queries.with_profile_details(people)[page.offset : page.offset + page.limit])
    return {
        "count": count,
        "limit": page.limit,
        "offset": page.offset,
        "items": [_card(entry) for entry in queries.directory_entries(window, chosen)],
    }


@router.get("/{username}", response=PersonOut, auth=auth_required, summary="Read a profile")
def read(request: HttpRequest, username: Username) -> dict[str, Any]:
    """A person's profile, if the caller may see it (404 otherwise, whether or not they exist)."""
    return _person_out(signed_in_caller(request), username)


@router.patch(
    "/{username}/profile", response=PersonOut, auth=auth_required, summary="Update profile details"
)
def update_details(
    request: HttpRequest, username: Username, payload: ProfileDetailsUpdate
) -> dict[str, Any]:
    """Bio, availability and languages with level: one's own, or anyone's for administrators."""
    viewer = signed_in_caller(request)
    person = queries.profile_person(viewer, username)
    if person is None:
        raise Http404
    data = payload.model_dump(exclude_unset=True)
    languages = data.pop("languages", None)
    actions.update_profile_details(
        person,
        actor=viewer,
        languages=[(row["code"], row["level"]) for row in languages]
        if languages is not None
        else None,
        **{key: value for key, value in data.items() if value is not None},
    )
    return _person_out(viewer, person.username)


@router.post(
    "/{username}/expertise",
    response={201: ExpertiseClaimOut},
    auth=auth_required,
    summary="Declare expertise",
)
def declare(
    request: HttpRequest, username: Username, payload: DeclareExpertiseIn
) -> Status[dict[str, Any]]:
    """Declare one's expertise in a topic; declaring it again changes the level.

    404 when the person is not visible or no topic has the slug given.
    """
    viewer = signed_in_caller(request)
    person = queries.profile_person(viewer, username)
    if person is None:
        raise Http404
    topic = Topic.objects.filter(slug=payload.topic).first()
    if topic is None:
        raise HttpError(404, f"No topic has the slug {payload.topic!r}.")
    claim = actions.declare_expertise(person, actor=viewer, topic=topic, level=payload.level)
    claim.endorsement_total = claim.endorsements.count()  # type: ignore[attr-defined]
    return Status(201, _claim(claim, set()))


@router.delete(
    "/{username}/expertise/{claim_id}",
    response={204: None},
    auth=auth_required,
    summary="Withdraw expertise",
)
def withdraw(request: HttpRequest, username: Username, claim_id: ObjectId) -> Status[None]:
    """Remove one's expertise claim and the endorsements it gathered."""
    viewer = signed_in_caller(request)
    actions.withdraw_expertise(_visible_claim(viewer, username, claim_id), actor=viewer)
    return Status(204, None)


@router.post(
    "/{username}/expertise/{claim_id}/endorsements",
    response={201: EndorsementOut, 409: Error},
    auth=auth_required,
    summary="Endorse expertise",
)
def endorse(request: HttpRequest, username: Username, claim_id: ObjectId) -> Status[dict[str, Any]]:
    """Vouch for a colleague's expertise: once per claim, never one's own (403)."""
    viewer = signed_in_caller(request)
    claim = _visible_claim(viewer, username, claim_id)
    try:
        endorsement = actions.endorse_expertise(claim, actor=viewer)
    except ValidationError as error:
        if error.code == "duplicate":
            raise HttpError(409, error.messages[0]) from None
        raise
    return Status(
        201,
        {
            "claim": claim.pk,
            "endorsement_count": claim.endorsements.count(),
            "created_at": endorsement.created_at,
        },
    )


@router.delete(
    "/{username}/expertise/{claim_id}/endorsements/mine",
    response={204: None},
    auth=auth_required,
    summary="Withdraw your endorsement",
)
def unendorse(request: HttpRequest, username: Username, claim_id: ObjectId) -> Status[None]:
    """Withdraw the caller's endorsement of this claim (404 if there is none)."""
    viewer = signed_in_caller(request)
    endorsement = actions.endorsement_by(viewer, _visible_claim(viewer, username, claim_id))
    if endorsement is None:
        raise Http404
    actions.withdraw_endorsement(endorsement, actor=viewer)
    return Status(204, None)


@router.get(
    "/{username}/data",
    response=dict[str, Any],
    auth=auth_required,
    summary="Download personal data",
)
def export(request: HttpRequest, username: Username) -> dict[str, Any]:
    """Everything Solex holds about the person: for the person themself or an administrator."""
    viewer = signed_in_caller(request)
    person = queries.profile_person(viewer, username)
    if person is None:
        raise Http404
    return actions.export_personal_data(person, actor=viewer)
