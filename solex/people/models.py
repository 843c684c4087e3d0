"""Profiles beyond the account basics: bio, languages with level, expertise and endorsements.

The basics (name, title, organisation, office, country, region) stay on the user in
the accounts app; this app adds what makes a person findable as someone who knows.
"""

from __future__ import annotations

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from solex.taxonomy.models import Topic


def language_choices() -> list[tuple[str, str]]:
    """Every language Django knows a name for, by code (``ar``, ``zh-hans``…)."""
    codes = sorted(code for code, info in LANG_INFO.items() if "name" in info)
    return [(code, LANG_INFO[code]["name"]) for code in codes]


def language_name(code: str) -> str:
    """The language's name in the active interface language; the code if unknown."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Available for peer assists")
    LIMITED = "limited", _("Limited availability")
    UNAVAILABLE = "unavailable", _("Not available at the moment")


class Profile(models.Model):
    """The richer half of a person's profile. Created on first edit; absent means defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    bio = models.TextField(_("short bio"), max_length=2000, blank=True)
    availability = models.CharField(
        _("availability for peer assists"), max_length=20, choices=Availability.choices, blank=True
    )
    availability_note = models.CharField(
        _("availability note"),
        max_length=200,
        blank=True,
        help_text=_("For example: “Tuesdays, by video call, in French or English”."),
    )
    visible_to_partners = models.BooleanField(
        _("visible to external partners"),
        default=True,
        help_text=_(
            "Staff only: untick to hide your profile from external partners outside your communities."
        ),
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)


class LanguageLevel(models.TextChoices):
    NATIVE = "native", _("native")
    FLUENT = "fluent", _("fluent")
    WORKING = "working", _("working knowledge")
    BASIC = "basic", _("basic")


class LanguageSkill(models.Model):
    """A language a person speaks, and how well."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language_skills"
    )
    code = models.CharField(
        _("language"), max_length=10, help_text=_("A language code, e.g. ar, fr, zh-hans")
    )
    level = models.CharField(_("level"), max_length=10, choices=LanguageLevel.choices)

    class Meta:
        ordering = ["user", "code"]
        constraints = [
            models.UniqueConstraint(fields=["user", "code"], name="people_languageskill_unique"),
        ]
        indexes = [models.Index(fields=["code", "user"])]

    def __str__(self) -> str:
        return f"{self.code} ({self.level})"

    @property
    def language_name(self) -> str:
        return language_name(self.code)


class ExpertiseLevel(models.IntegerChoices):
    WORKING = 1, _("Working knowledge")
    EXPERIENCED = 2, _("Experienced")
    EXPERT = 3, _("Expert")


class ExpertiseSource(models.TextChoices):
    DECLARED = "declared", _("declared")
    ENDORSED = "endorsed", _("put forward by colleagues")
    CONTRIBUTIONS = "contributions", _("shown by contributions")


class ExpertiseClaim(models.Model):
    """A person knows about a topic: one claim per person and topic.

    ``source`` says how the claim came to be. A declaration by the person themself
    wins: declaring a topic that contributions already showed turns the claim into a
    declared one, keeping its endorsements and contribution evidence.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expertise_claims"
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="expertise_claims")
    level = models.PositiveSmallIntegerField(_("level"), choices=ExpertiseLevel.choices)
    source = models.CharField(_("source"), max_length=20, choices=ExpertiseSource.choices)
    contribution_count = models.PositiveIntegerField(
        _("contributions"),
        default=0,
        help_text=_("Contributions on this topic that show the expertise."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-level", "topic__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="people_expertiseclaim_unique"),
        ]
        indexes = [models.Index(fields=["topic", "user"])]
        verbose_name = _("expertise claim")
        verbose_name_plural = _("expertise claims")

    def __str__(self) -> str:
        return f"{self.user}: {self.topic} ({self.get_level_display()})"


class Endorsement(models.Model):
    """A colleague vouches for someone's expertise claim. Never one's own (see permissions)."""

    endorser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="endorsements_given"
    )
    claim = models.ForeignKey(ExpertiseClaim, on_delete=models.CASCADE, related_name="endorsements")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["endorser", "claim"], name="people_endorsement_unique"),
        ]
        indexes = [models.Index(fields=["claim", "endorser"])]

    def __str__(self) -> str:
        return f"{self.endorser} endorses {self.claim}"


class PeopleAuditEntry(models.Model):
    """Who changed whose profile, expertise or endorsements, and when. Append-only.

    ``detail`` holds identifiers (topic slugs, claim ids), never free text a person
    wrote, so erasing a person can keep the record of the erasure itself.
    """

    class Action(models.TextChoices):
        PROFILE_UPDATED = "profile_updated", _("updated the profile")
        EXPERTISE_DECLARED = "expertise_declared", _("declared expertise")
        EXPERTISE_WITHDRAWN = "expertise_withdrawn", _("withdrew expertise")
        EXPERTISE_SHOWN = "expertise_shown", _("showed expertise through contributions")
        EXPERTISE_ENDORSED = "expertise_endorsed", _("endorsed expertise")
        ENDORSEMENT_WITHDRAWN = "endorsement_withdrawn", _("withdrew an endorsement")
        DATA_EXPORTED = "data_exported", _("exported personal data")
        PERSON_ERASED = "person_erased", _("erased personal data")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="people_audit_entries"
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    detail = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = _("people audit entries")
        indexes = [models.Index(fields=["person", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.actor} {self.action} {self.person}"
