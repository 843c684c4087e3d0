"""People, the organisations they work for, and how they prove who they are."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solex.accounts.countries import country_name


class Region(models.TextChoices):
    """UN regional groupings used for duty stations and community scope."""

    AFRICA = "africa", _("Africa")
    ARAB_STATES = "arab_states", _("Arab States")
    ASIA_PACIFIC = "asia_pacific", _("Asia and the Pacific")
    EUROPE_CENTRAL_ASIA = "europe_central_asia", _("Europe and Central Asia")
    LATIN_AMERICA_CARIBBEAN = "latin_america_caribbean", _("Latin America and the Caribbean")
    NORTH_AMERICA = "north_america", _("North America")
    GLOBAL = "global", _("Global / headquarters")


class Organization(models.Model):
    """An employer. Internal organisations' staff see internal ("safe space") content."""

    class Kind(models.TextChoices):
        UN_AGENCY = "un_agency", _("UN agency")
        GOVERNMENT = "government", _("Government")
        NGO = "ngo", _("NGO / civil society")
        ACADEMIA = "academia", _("Academia")
        PRIVATE_SECTOR = "private_sector", _("Private sector")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    is_internal = models.BooleanField(
        _("internal"),
        default=False,
        help_text=_("Staff of internal organisations see organisation-only content."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.acronym or self.name


class OrganizationDomain(models.Model):
    """An email domain owned by an organisation: a confirmed address there makes one staff."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("email domain"), max_length=253, unique=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain


class User(AbstractUser):
    """A person. Profile basics live here; richer expertise lives in the people app."""

    # One name field: many names do not split into first and last.
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]

    name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("email address"))
    title = models.CharField(_("job title"), max_length=150, blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation"),
    )
    office = models.CharField(_("office"), max_length=150, blank=True)
    country = models.CharField(
        _("duty-station country"), max_length=2, blank=True, help_text=_("ISO 3166 code, e.g. KE")
    )
    region = models.CharField(_("region"), max_length=30, choices=Region.choices, blank=True)
    languages = models.JSONField(
        _("languages spoken"), default=list, blank=True, help_text=_("Language codes, e.g. en, fr")
    )
    preferred_language = models.CharField(
        _("interface language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    email_confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()  # type: ignore[misc]

    REQUIRED_FIELDS = ["email", "name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]
        # People lists (the who's-who, member lists) page through active people by
        # name: 52 -> 5 ms of SQL for a members page at 200,000 people on PostgreSQL.
        indexes = [models.Index(fields=["name", "id", "is_active"], name="accounts_user_name_idx")]

    def __str__(self) -> str:
        return self.name or self.username

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ", 1)[0] if self.name else self.username

    @property
    def country_name(self) -> str:
        """The duty-station country's name in the active language, or ""."""
        return country_name(self.country) if self.country else ""

    @property
    def is_unclaimed(self) -> bool:
        """A profile made for someone who never signed in: a sender found in an imported
        mail archive. Whoever proves they own the address (the sign-up link) takes it
        over, with everything already attributed to it."""
        return (
            not self.is_active
            and not self.has_usable_password()
            and self.last_login is None
            and self.email_confirmed_at is None
        )

    @property
    def erased_email(self) -> str:
        """The address an erased person's rows get: unique per account and undeliverable
        (``.invalid`` is reserved, RFC 2606)."""
        return f"former-member-{self.pk}@erased.invalid"

    @property
    def is_internal(self) -> bool:
        """Staff of an internal organisation (as opposed to an external partner)."""
        return self.organization_id is not None and self.organization.is_internal  # type: ignore[union-attr]


def hash_token(raw: str) -> str:
    """Tokens are stored hashed: a leaked database does not leak working tokens."""
    return hashlib.sha256(raw.encode()).hexdigest()


class PersonalAccessToken(models.Model):
    """A bearer token for scripts calling the API as this person."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tokens"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for."))
    prefix = models.CharField(
        max_length=12, help_text="The first characters, to tell tokens apart."
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class Invitation(models.Model):
    """An invitation to join Solex, for people whose address no member organisation owns."""

    email = models.EmailField(_("email address"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.TextField(_("personal message"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email
