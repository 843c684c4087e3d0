"""Communities of practice, who belongs to them in which role, and how people get in.

This app is the single authority on roles: other apps ask ``permissions.py`` here
whether a person may see or do something in a community, and fetch communities for a
person through ``Community.objects.visible_to(user)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solex.taxonomy.models import Topic

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from solex.accounts.models import User


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone can find and read it")
    ORGANISATION = "organisation", _("Organisation: internal staff only")
    MEMBERS = "members", _("Members only: a safe space, invisible to everyone else")


class MembershipType(models.TextChoices):
    INTERNAL = "internal", _("Internal staff only")
    PARTNERS = "partners", _("Open to external partners")


class JoinPolicy(models.TextChoices):
    OPEN = "open", _("Open: anyone who can see it may join")
    APPROVAL = "approval", _("By approval of a facilitator")
    INVITATION = "invitation", _("By invitation only")


class Scope(models.TextChoices):
    GLOBAL = "global", _("Global")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")
    TRANS_BORDER = "trans_border", _("Trans-border")


class Kind(models.TextChoices):
    ENABLING = "enabling", _("Enabling: broad learning and exchange")
    DELIVERY = "delivery", _("Delivery: tight and output-oriented")


class Stage(models.TextChoices):
    PLANNING = "planning", _("Planning")
    LAUNCHING = "launching", _("Launching")
    ACTIVATING = "activating", _("Activating")
    SUSTAINING = "sustaining", _("Sustaining")
    CLOSED = "closed", _("Closed")


class Structure(models.TextChoices):
    COMMUNITY = "community", _("Community of practice")
    THEMATIC = "thematic", _("Thematic sub-network")
    REGIONAL = "regional", _("Regional sub-network")
    META_NETWORK = "meta_network", _("Meta-network of networks")


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    FACILITATOR = "facilitator", _("Facilitator")
    KNOWLEDGE_MANAGER = "knowledge_manager", _("Knowledge manager")
    EXPERT = "expert", _("Expert")
    CORE_GROUP = "core_group", _("Core group")
    CHAMPION = "champion", _("Champion")
    MEMBER = "member", _("Member")


#: Roles that may moderate (triage, approve join requests, invite).
MODERATOR_ROLES = frozenset({Role.COORDINATOR, Role.FACILITATOR, Role.KNOWLEDGE_MANAGER})


class DeliveryPreference(models.TextChoices):
    EVERY_MESSAGE = "every_message", _("Every message")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    WEB_ONLY = "web_only", _("Web only, no email")


def _is_site_admin(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


class CommunityQuerySet(models.QuerySet["Community"]):
    def visible_to(self, user: User | AnonymousUser) -> CommunityQuerySet:
        """Communities this person may see, filtered in SQL so no list can leak.

        Public ones for everyone; organisation-only ones for internal staff; any
        community the person belongs to; everything for site admins. Keep in step
        with ``permissions.can_view_community``.
        """
        if not user.is_authenticated or not user.is_active:
            return self.filter(visibility=Visibility.PUBLIC)
        if _is_site_admin(user):
            return self.all()
        is_member = Exists(Membership.objects.filter(community=OuterRef("pk"), user_id=user.pk))
        condition = Q(visibility=Visibility.PUBLIC) | Q(is_member)
        if user.is_internal:
            condition |= Q(visibility=Visibility.ORGANISATION)
        return self.filter(condition)

    def archived(self) -> CommunityQuerySet:
        return self.filter(Q(stage=Stage.CLOSED) | Q(ends_on__lt=timezone.localdate()))

    def active(self) -> CommunityQuerySet:
        return self.exclude(stage=Stage.CLOSED).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate())
        )


# First path segments under /communities/ that are pages, not communities (urls.py):
# a community with one of these addresses could never be opened.
RESERVED_SLUGS = frozenset({"new", "requests", "crisis", "invitations"})


def check_slug_not_reserved(slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            {"slug": _("This web address is used by Solex itself: choose another.")}
        )


class Community(models.Model):
    """A community of practice, a sub-network of one, or a meta-network of networks."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(
        _("web address"), max_length=80, unique=True, help_text=_("Letters, numbers and hyphens.")
    )
    purpose = models.CharField(_("purpose"), max_length=300, help_text=_("One sentence."))
    # The charter.
    mission = models.TextField(_("mission"), blank=True)
    vision = models.TextField(_("vision"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    member_rules = models.TextField(_("member rules"), blank=True)

    topics = models.ManyToManyField(
        Topic, blank=True, related_name="communities", verbose_name=_("topics")
    )
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices, default=Scope.GLOBAL)
    regions = models.JSONField(_("regions"), default=list, blank=True)
    countries = models.JSONField(
        _("countries"), default=list, blank=True, help_text=_("ISO 3166 codes, e.g. KE")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ENABLING)
    stage = models.CharField(
        _("lifecycle stage"), max_length=20, choices=Stage.choices, default=Stage.PLANNING
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    ends_on = models.DateField(
        _("end date"),
        null=True,
        blank=True,
        help_text=_("For time-bound communities: after this date it becomes a read-only archive."),
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set when a time-bound community is archived, and when its after-action review is
    # recorded (in the knowledge library): between the two, its leads see a prompt.
    review_requested_at = models.DateTimeField(null=True, blank=True)
    review_recorded_at = models.DateTimeField(null=True, blank=True)
    is_crisis = models.BooleanField(_("crisis response"), default=False)

    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.ORGANISATION
    )
    membership_type = models.CharField(
        _("membership"),
        max_length=20,
        choices=MembershipType.choices,
        default=MembershipType.INTERNAL,
    )
    join_policy = models.CharField(
        _("joining"), max_length=20, choices=JoinPolicy.choices, default=JoinPolicy.OPEN
    )

    structure = models.CharField(
        _("structure"), max_length=20, choices=Structure.choices, default=Structure.COMMUNITY
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    # Kept in step by the membership actions with F() so lists never count rows.
    member_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        indexes = [models.Index(fields=["visibility", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("communities:community-detail", args=[self.slug])

    def clean(self) -> None:
        check_slug_not_reserved(self.slug)

    @property
    def is_archived(self) -> bool:
        """Closed, or past its end date: a read-only archive."""
        if self.stage == Stage.CLOSED:
            return True
        return self.ends_on is not None and self.ends_on < timezone.localdate()

    @property
    def is_review_due(self) -> bool:
        """Archived, asked for its after-action review, and none recorded yet."""
        return self.review_requested_at is not None and self.review_recorded_at is None

    @property
    def is_safe_space(self) -> bool:
        return self.visibility == Visibility.MEMBERS

    @property
    def admits_partners(self) -> bool:
        return self.membership_type == MembershipType.PARTNERS


class Membership(models.Model):
    """A person belongs to a community; the roles they hold there hang off it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    delivery = models.CharField(
        _("email delivery"),
        max_length=20,
        choices=DeliveryPreference.choices,
        default=DeliveryPreference.WEEKLY,
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"], name="communities_membership_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.community}"


class RoleAssignment(models.Model):
    """One role held by one member; "member" itself is implied by the membership."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="roles")
    # Denormalised so "who are the coordinators of X" is one indexed lookup.
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "role"], name="communities_role_unique"),
        ]
        indexes = [models.Index(fields=["community", "role"])]

    def __str__(self) -> str:
        return f"{self.membership}: {self.role}"


class JoinRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    note = models.TextField(_("note to the facilitators"), blank=True, max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "user"],
                condition=Q(status="pending"),
                name="communities_one_pending_join_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.community} ({self.status})"


class CommunityInvitation(models.Model):
    """An invitation by email; the link carries a signed token naming this row."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    message = models.TextField(_("personal message"), blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "community",
                Lower("email"),
                condition=Q(accepted_at__isnull=True, withdrawn_at__isnull=True),
                name="communities_one_open_invitation_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.community}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None


class CommunityRequest(models.Model):
    """Someone asks for a new community: the queue shows the demand for them."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the knowledge management team")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("web address"), max_length=80)
    purpose = models.CharField(_("purpose"), max_length=300)
    reason = models.TextField(_("why it is needed"), blank=True, max_length=4000)
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.ORGANISATION
    )
    membership_type = models.CharField(
        _("membership"),
        max_length=20,
        choices=MembershipType.choices,
        default=MembershipType.INTERNAL,
    )
    join_policy = models.CharField(
        _("joining"), max_length=20, choices=JoinPolicy.choices, default=JoinPolicy.OPEN
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ENABLING)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices, default=Scope.GLOBAL)
    parent = models.ForeignKey(
        Community,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("part of"),
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="+", verbose_name=_("topics"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    community = models.ForeignKey(
        Community, on_delete=models.SET_NULL, null=True, blank=True, related_name="requests"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        check_slug_not_reserved(self.slug)


class AuditEntry(models.Model):
    """Who changed which membership or role, when and why. Append-only."""

    class Action(models.TextChoices):
        CREATED = "created", _("created the community")
        CHARTER_UPDATED = "charter_updated", _("updated the charter")
        SETTINGS_UPDATED = "settings_updated", _("updated the community's description")
        ACCESS_CHANGED = "access_changed", _("changed who can see or join")
        JOINED = "joined", _("joined")
        LEFT = "left", _("left")
        REQUESTED = "requested", _("asked to join")
        APPROVED = "approved", _("approved a request to join")
        DECLINED = "declined", _("declined a request to join")
        INVITED = "invited", _("invited")
        INVITATION_ACCEPTED = "invitation_accepted", _("accepted an invitation")
        INVITATION_WITHDRAWN = "invitation_withdrawn", _("withdrew an invitation")
        REMOVED = "removed", _("removed a member")
        ROLE_GRANTED = "role_granted", _("granted a role")
        ROLE_REVOKED = "role_revoked", _("revoked a role")
        DELIVERY_CHANGED = "delivery_changed", _("changed email delivery")
        ARCHIVED = "archived", _("archived the community")
        REVIEW_RECORDED = "review_recorded", _("recorded the after-action review")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="audit_entries")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    detail = models.CharField(max_length=300, blank=True)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["community", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.actor} {self.action}"
