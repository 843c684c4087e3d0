"""Every change to profiles, expertise and endorsements, and the personal-data duties.

Views, the API, the demo builder and later apps (contribution evidence) call these
functions, so each rule holds whichever way a change comes in. Each one checks
permission, writes, and appends a ``PeopleAuditEntry``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf.locale import LANG_INFO
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from solex.accounts.models import User
from solex.people import permissions, privacy
from solex.people.models import (
    Availability,
    Endorsement,
    ExpertiseClaim,
    ExpertiseLevel,
    ExpertiseSource,
    LanguageLevel,
    LanguageSkill,
    PeopleAuditEntry,
    Profile,
)
from solex.taxonomy.models import Topic

Actor = User | AnonymousUser
EXPORT_FORMAT = "solex-personal-data/1"


def _record(actor: Actor | None, person: User, action: str, detail: str = "") -> None:
    PeopleAuditEntry.objects.create(
        actor=actor if isinstance(actor, User) else None,
        person=person,
        action=action,
        detail=detail,
    )


def _profile_for_update(person: User) -> Profile:
    """The person's profile row, created if missing, locked for this transaction."""
    Profile.objects.get_or_create(user=person)
    return Profile.objects.select_for_update().get(user=person)


# --- Profile ------------------------------------------------------------------------


def _clean_languages(languages: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    levels = set(LanguageLevel.values)
    cleaned: dict[str, str] = {}
    for code, level in languages:
        code = code.strip().lower()
        if code not in LANG_INFO or "name" not in LANG_INFO[code]:
            raise ValidationError(
                {"languages": _("“%(code)s” is not a language Solex knows.") % {"code": code}}
            )
        if level not in levels:
            raise ValidationError({"languages": _("Choose a level for each language.")})
        if code in cleaned:
            raise ValidationError({"languages": _("Each language can be listed only once.")})
        cleaned[code] = level
    return list(cleaned.items())


def update_profile_details(
    person: User,
    *,
    actor: Actor,
    bio: str | None = None,
    availability: str | None = None,
    availability_note: str | None = None,
    visible_to_partners: bool | None = None,
    languages: Sequence[tuple[str, str]] | None = None,
) -> Profile:
    """Change the given fields of the richer profile; ``None`` leaves a field alone.

    ``languages`` (code, level) pairs replace the person's language skills, and their
    codes become the account's plain language list, so the two never disagree.
    """
    permissions.check_edit_profile(actor, person)
    if availability is not None and availability not in {"", *Availability.values}:
        raise ValidationError({"availability": _("Choose one of the listed availabilities.")})
    if bio is not None and len(bio) > 2000:
        raise ValidationError({"bio": _("Keep the bio to 2,000 characters.")})
    if availability_note is not None and len(availability_note) > 200:
        raise ValidationError({"availability_note": _("Keep the note to 200 characters.")})
    cleaned_languages = _clean_languages(languages) if languages is not None else None
    with transaction.atomic():
        profile = _profile_for_update(person)
        changed: list[str] = []
        for field, value in [
            ("bio", bio.strip() if bio is not None else None),
            ("availability", availability),
            (
                "availability_note",
                availability_note.strip() if availability_note is not None else None,
            ),
            ("visible_to_partners", visible_to_partners),
        ]:
            if value is not None and getattr(profile, field) != value:
                setattr(profile, field, value)
                changed.append(field)
        if cleaned_languages is not None:
            LanguageSkill.objects.filter(user=person).delete()
            LanguageSkill.objects.bulk_create(
                LanguageSkill(user=person, code=code, level=level)
                for code, level in cleaned_languages
            )
            codes = [code for code, _level in cleaned_languages]
            if person.languages != codes:
                person.languages = codes
                person.save(update_fields=["languages"])
            changed.append("languages")
        if changed:
            profile.updated_at = timezone.now()
            profile.save(update_fields=[*[f for f in changed if f != "languages"], "updated_at"])
            _record(actor, person, PeopleAuditEntry.Action.PROFILE_UPDATED, ",".join(changed))
    return profile


# --- Expertise ----------------------------------------------------------------------


def _check_level(level: int) -> None:
    if level not in ExpertiseLevel.values:
        raise ValidationError({"level": _("Choose one of the listed levels.")})


def declare_expertise(person: User, *, actor: Actor, topic: Topic, level: int) -> ExpertiseClaim:
    """Say one knows about ``topic`` at ``level``; re-declaring changes the level.

    A claim that colleagues or contributions started becomes a declared one and keeps
    its endorsements and evidence.
    """
    permissions.check_declare_expertise(actor, person)
    _check_level(level)
    now = timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = ExpertiseClaim.objects.create(
                    user=person, topic=topic, level=level, source=ExpertiseSource.DECLARED
                )
        except IntegrityError:
            claim = ExpertiseClaim.objects.select_for_update().get(user=person, topic=topic)
            claim.level = level
            claim.source = ExpertiseSource.DECLARED
            claim.updated_at = now
            claim.save(update_fields=["level", "source", "updated_at"])
        _record(actor, person, PeopleAuditEntry.Action.EXPERTISE_DECLARED, f"{topic.slug}:{level}")
    return claim


def withdraw_expertise(claim: ExpertiseClaim, *, actor: Actor) -> None:
    """Remove a claim and the endorsements it gathered."""
    person = claim.user
    permissions.check_declare_expertise(actor, person)
    with transaction.atomic():
        slug = claim.topic.slug
        claim.delete()
        _record(actor, person, PeopleAuditEntry.Action.EXPERTISE_WITHDRAWN, slug)


def record_shown_expertise(person: User, *, topic: Topic, contributions: int = 1) -> ExpertiseClaim:
    """Evidence from contributions (helpful replies, knowledge items): a system action.

    Called by the apps that see contributions, not by people, so it has no actor. It
    starts a "shown by contributions" claim or adds to an existing claim's evidence.
    """
    if contributions < 1:
        raise ValueError("contributions must be positive")
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = ExpertiseClaim.objects.create(
                    user=person,
                    topic=topic,
                    level=ExpertiseLevel.WORKING,
                    source=ExpertiseSource.CONTRIBUTIONS,
                    contribution_count=contributions,
                )
        except IntegrityError:
            ExpertiseClaim.objects.filter(user=person, topic=topic).update(
                contribution_count=F("contribution_count") + contributions,
                updated_at=timezone.now(),
            )
            claim = ExpertiseClaim.objects.get(user=person, topic=topic)
        _record(
            None, person, PeopleAuditEntry.Action.EXPERTISE_SHOWN, f"{topic.slug}:{contributions}"
        )
    return claim


# --- Endorsements ---------------------------------------------------------------------


def endorse_expertise(claim: ExpertiseClaim, *, actor: Actor) -> Endorsement:
    """Vouch for a colleague's claim, once. Endorsing twice is refused, not repeated."""
    permissions.check_endorse_expertise(actor, claim)
    assert isinstance(actor, User)
    with transaction.atomic():
        try:
            with transaction.atomic():
                endorsement = Endorsement.objects.create(endorser=actor, claim=claim)
        except IntegrityError:
            raise ValidationError(
                _("You have already endorsed this expertise."), code="duplicate"
            ) from None
        _record(actor, claim.user, PeopleAuditEntry.Action.EXPERTISE_ENDORSED, claim.topic.slug)
    return endorsement


def withdraw_endorsement(endorsement: Endorsement, *, actor: Actor) -> None:
    permissions.check_withdraw_endorsement(actor, endorsement)
    claim = endorsement.claim
    with transaction.atomic():
        endorsement.delete()
        _record(actor, claim.user, PeopleAuditEntry.Action.ENDORSEMENT_WITHDRAWN, claim.topic.slug)


def endorsement_by(actor: Actor, claim: ExpertiseClaim) -> Endorsement | None:
    if not isinstance(actor, User):
        return None
    return Endorsement.objects.filter(endorser=actor, claim=claim).first()


# --- Personal data ----------------------------------------------------------------------


def export_personal_data(person: User, *, actor: Actor) -> dict[str, Any]:
    """Everything Solex holds about ``person``, as JSON-ready data (see ``privacy``)."""
    permissions.check_export_personal_data(actor, person)
    data: dict[str, Any] = {"format": EXPORT_FORMAT, "exported_at": timezone.now().isoformat()}
    for exporter in privacy.exporters():
        data.update(exporter(person))
    _record(actor, person, PeopleAuditEntry.Action.DATA_EXPORTED)
    return data


def erase_person(person: User, *, actor: Actor) -> None:
    """Wipe a departed person's personal data; keep the account row for attribution.

    Their contributions stay and now read "Former member"; the account is deactivated
    and can never sign in again. The erasure itself is recorded (without personal data).
    """
    permissions.check_erase_person(actor, person)
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        for eraser in privacy.erasers():
            eraser(person)
        _record(actor, person, PeopleAuditEntry.Action.PERSON_ERASED)
