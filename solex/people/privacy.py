"""What Solex holds about a person: gathered for a download, wiped for an erasure.

Each app that stores personal data contributes an *exporter* (``user -> dict`` of
sections) and an *eraser* (``user -> None``), kept in that app (communities' in
``solex.communities.personal_data``). The defaults below cover accounts, communities
and people; apps above people in the layers (or beside it) add theirs
through the ``SOLEX_PERSONAL_DATA_EXPORTERS`` and ``SOLEX_PERSONAL_DATA_ERASERS``
settings, lists of dotted paths that replace the defaults when set (so keep the
defaults in them). Exporters must return only this person's data: an endorsement a
colleague gave is counted, not named.

Contributions (replies, knowledge items) are not erased: they stay, attributed to the
anonymised account, whose name reads "Former member".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils.module_loading import import_string

from solex.accounts.models import Invitation, PersonalAccessToken, User
from solex.expertise.models import ExpertiseEvidence, ExpertiseSummary
from solex.people.models import (
    Endorsement,
    ExpertiseClaim,
    LanguageSkill,
    PeopleAuditEntry,
    Profile,
)

FORMER_MEMBER_NAME = "Former member"

Exporter = Callable[[User], dict[str, Any]]
Eraser = Callable[[User], None]

DEFAULT_EXPORTERS = [
    "solex.people.privacy.export_account",
    "solex.communities.personal_data.export_communities",
    "solex.notifications.personal_data.export_notifications",
    "solex.mail.personal_data.export_mail",
    "solex.intake.personal_data.export_inbound_mail",
    "solex.people.privacy.export_people",
]
DEFAULT_ERASERS = [
    "solex.people.privacy.erase_people",
    "solex.communities.personal_data.erase_communities",
    "solex.notifications.personal_data.erase_notifications",
    "solex.mail.personal_data.erase_mail",
    "solex.intake.personal_data.erase_inbound_mail",
    "solex.people.privacy.erase_account",
]


def exporters() -> list[Exporter]:
    paths: list[str] = getattr(settings, "SOLEX_PERSONAL_DATA_EXPORTERS", DEFAULT_EXPORTERS)
    return [import_string(path) for path in paths]


def erasers() -> list[Eraser]:
    paths: list[str] = getattr(settings, "SOLEX_PERSONAL_DATA_ERASERS", DEFAULT_ERASERS)
    return [import_string(path) for path in paths]


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


# --- Exporters ----------------------------------------------------------------------


def export_account(user: User) -> dict[str, Any]:
    organization = user.organization
    tokens = PersonalAccessToken.objects.filter(user=user).order_by("created_at")
    invitations = Invitation.objects.filter(accepted_by=user).select_related("organization")
    return {
        "account": {
            "username": user.username,
            "name": user.name,
            "email": user.email,
            "email_confirmed_at": _when(user.email_confirmed_at),
            "title": user.title,
            "organization": organization.name if organization else None,
            "office": user.office,
            "country": user.country,
            "region": user.region,
            "languages": list(user.languages),
            "preferred_language": user.preferred_language,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
            "is_active": user.is_active,
        },
        "access_tokens": [
            {
                "name": token.name,
                "prefix": token.prefix,
                "created_at": _when(token.created_at),
                "last_used_at": _when(token.last_used_at),
                "expires_at": _when(token.expires_at),
                "revoked_at": _when(token.revoked_at),
            }
            for token in tokens
        ],
        "invitations_accepted": [
            {
                "created_at": _when(invitation.created_at),
                "accepted_at": _when(invitation.accepted_at),
                "organization": invitation.organization.name if invitation.organization else None,
            }
            for invitation in invitations
        ],
    }


def export_people(user: User) -> dict[str, Any]:
    profile = Profile.objects.filter(user=user).first()
    claims = (
        ExpertiseClaim.objects.filter(user=user)
        .select_related("topic")
        .annotate(endorsement_total=Count("endorsements"))
        .order_by("topic__name")
    )
    received = Endorsement.objects.filter(claim__user=user).select_related("claim__topic")
    given = Endorsement.objects.filter(endorser=user).select_related("claim__topic", "claim__user")
    history = PeopleAuditEntry.objects.filter(Q(person=user) | Q(actor=user)).order_by("at", "pk")
    return {
        "profile": {
            "bio": profile.bio if profile else "",
            "availability": profile.availability if profile else "",
            "availability_note": profile.availability_note if profile else "",
            "visible_to_partners": profile.visible_to_partners if profile else True,
            "updated_at": _when(profile.updated_at) if profile else None,
        },
        "language_skills": [
            {"code": skill.code, "level": skill.level}
            for skill in LanguageSkill.objects.filter(user=user).order_by("code")
        ],
        "expertise": [
            {
                "topic": claim.topic.name,
                "topic_slug": claim.topic.slug,
                "level": claim.get_level_display(),
                "source": claim.source,
                "contribution_count": claim.contribution_count,
                "endorsement_count": claim.endorsement_total,
                "created_at": _when(claim.created_at),
                "updated_at": _when(claim.updated_at),
            }
            for claim in claims
        ],
        # What the expertise locator inferred: counts per topic and kind, no one else's data.
        "expertise_evidence": [
            {
                "topic": row["topic__name"],
                "kind": row["kind"],
                "count": row["count"],
                "last_at": _when(row["last_at"]),
            }
            for row in ExpertiseSummary.objects.filter(person=user)
            .order_by("topic__name", "kind")
            .values("topic__name", "kind", "count", "last_at")
        ],
        # Who endorsed is the endorser's data: the person gets the topic and the date.
        "endorsements_received": [
            {
                "topic_slug": endorsement.claim.topic.slug,
                "created_at": _when(endorsement.created_at),
            }
            for endorsement in received
        ],
        # The person's own acts: whose expertise they endorsed, by public username.
        "endorsements_given": [
            {
                "person": endorsement.claim.user.username,
                "topic_slug": endorsement.claim.topic.slug,
                "created_at": _when(endorsement.created_at),
            }
            for endorsement in given
        ],
        "profile_history": [
            {
                "action": entry.action,
                "detail": entry.detail,
                "at": _when(entry.at),
                "by_self": entry.actor_id == user.pk,
                "about_self": entry.person_id == user.pk,
            }
            for entry in history
        ],
    }


# --- Erasers ------------------------------------------------------------------------


def erase_people(user: User) -> None:
    Endorsement.objects.filter(endorser=user).delete()
    ExpertiseClaim.objects.filter(user=user).delete()  # and the endorsements they received
    LanguageSkill.objects.filter(user=user).delete()
    Profile.objects.filter(user=user).delete()
    PeopleAuditEntry.objects.filter(person=user).delete()
    ExpertiseEvidence.objects.filter(person=user).delete()
    ExpertiseSummary.objects.filter(person=user).delete()


def erase_account(user: User) -> None:
    """Runs last: the erasers before it may look the person up by their email."""
    PersonalAccessToken.objects.filter(user=user).delete()
    Invitation.objects.filter(Q(accepted_by=user) | Q(email__iexact=user.email)).update(
        email=user.erased_email
    )
    user.username = f"former-member-{user.pk}"
    user.name = FORMER_MEMBER_NAME
    user.email = user.erased_email
    user.title = ""
    user.organization = None
    user.office = ""
    user.country = ""
    user.region = ""
    user.languages = []
    user.preferred_language = settings.LANGUAGE_CODE
    user.email_confirmed_at = None
    user.last_login = None
    user.is_active = False
    user.is_staff = False
    # A new unusable password also ends every session: they carry a hash of the old one.
    user.set_unusable_password()
    user.save(
        update_fields=[
            "username",
            "name",
            "email",
            "title",
            "organization",
            "office",
            "country",
            "region",
            "languages",
            "preferred_language",
            "email_confirmed_at",
            "last_login",
            "is_active",
            "is_staff",
            "password",
        ]
    )
    user.groups.clear()
    user.user_permissions.clear()
