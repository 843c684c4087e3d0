"""Exchanges: the four ways a community works together (seed 000, "Four Roles of CoPs").

A **query** asks for help and ends in a consolidated reply; a **consultation** asks for
comments on a draft by a deadline and ends in a feedback summary; a **discussion** is
a facilitated, time-boxed e-discussion that ends in a synthesis; a **collaboration**
is an action group or task team with tasks and deliverables. They share one table
(`Exchange`) so lists, search, the facilitator's queue and notifications treat them
alike; each kind adds its own rows beside it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solex.communities.models import MODERATOR_ROLES, Community, RoleAssignment
from solex.core.models import StoredFile
from solex.taxonomy.models import Topic

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from solex.accounts.models import User


class Kind(models.TextChoices):
    QUERY = "query", _("Query")
    CONSULTATION = "consultation", _("Consultation")
    DISCUSSION = "discussion", _("Discussion")
    COLLABORATION = "collaboration", _("Collaboration")


# The page of each kind that has its own app; the exchange page redirects there.
DETAIL_URL_NAMES = {
    "consultation": "consultations:consultation-detail",
    "discussion": "discussions:discussion-detail",
    "collaboration": "collaboration:action-group-detail",
}


class Status(models.TextChoices):
    TRIAGE = "triage", _("Waiting for a facilitator")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class CloseReason(models.TextChoices):
    CONSOLIDATED = "consolidated", _("Answered by a consolidated reply")
    ANSWERED = "answered", _("Answered in the thread")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DUPLICATE = "duplicate", _("Duplicate of another exchange")
    HANDED_OFF = "handed_off", _("Handed off to another community")
    COMPLETED = "completed", _("Completed")
    LIBRARY = "library", _("Answered from the library")


class ExchangeQuerySet(models.QuerySet["Exchange"]):
    def visible_to(self, user: User | AnonymousUser) -> ExchangeQuerySet:
        """Exchanges this person may read, filtered in SQL so no list, count or search leaks.

        An exchange has its community's audience, except a direct-connect request,
        which only its author and the community's moderators (and site admins) see.
        Keep in step with ``permissions.can_view_exchange``.
        """
        # EXISTS rather than IN: SQLite then walks the last-activity index and stops at
        # the page's end instead of sorting every exchange of the visible communities
        # (the API list's page query at 1M posts: 215 ms -> 1 ms).
        visible = self.filter(
            Exists(Community.objects.visible_to(user).filter(pk=OuterRef("community_id")))
        )
        if user.is_authenticated and user.is_active and user.is_superuser:
            return visible
        if not user.is_authenticated:
            return visible.filter(is_direct_connect=False)
        moderates = Exists(
            RoleAssignment.objects.filter(
                community_id=OuterRef("community_id"),
                membership__user_id=user.pk,
                role__in=MODERATOR_ROLES,
            )
        )
        return visible.filter(Q(is_direct_connect=False) | Q(author_id=user.pk) | Q(moderates))


class Exchange(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="exchanges")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown."))
    # Rendered once from ``body`` by solex.core.markdown (sanitised): show it with |safe.
    body_html = models.TextField(editable=False)
    context = models.TextField(
        _("context"), blank=True, help_text=_("Where this comes from and what was tried already.")
    )
    context_html = models.TextField(blank=True, editable=False)
    country = models.CharField(_("country"), max_length=2, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="+", verbose_name=_("topics"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="exchanges",
        verbose_name=_("author"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    # Queries: the date the asker needs an answer by. Consultations and discussions:
    # the window in which comments are taken.
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    # A private request to the facilitators ("direct connect", seed 002).
    is_direct_connect = models.BooleanField(default=False)
    # Shown without the author's name (a direct-connect query published anonymised).
    is_anonymous = models.BooleanField(default=False)
    close_reason = models.CharField(
        _("why it closed"), max_length=20, choices=CloseReason.choices, blank=True
    )
    close_note = models.TextField(_("closing note"), blank=True)
    # Answered from the library: the knowledge item it points to (exchanges sit below
    # knowledge, so a title and an address rather than a foreign key).
    answer_title = models.CharField(_("answer in the library"), max_length=300, blank=True)
    answer_url = models.CharField(max_length=300, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Where a duplicate was merged, or where a hand-off went.
    moved_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Service clocks (analytics): when it was routed, first answered, consolidated.
    created_at = models.DateTimeField(default=timezone.now)
    routed_at = models.DateTimeField(null=True, blank=True)
    first_reply_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    # Kept in step by the reply actions with F(), so lists never count rows.
    reply_count = models.PositiveIntegerField(default=0)
    # Moderation: a locked exchange takes no more replies except from moderators.
    is_locked = models.BooleanField(default=False)
    locked_reason = models.CharField(_("why it is locked"), max_length=300, blank=True)
    # A copy handed off from another community keeps a link to where it came from.
    origin = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ExchangeQuerySet.as_manager()

    class Meta:
        ordering = ["-last_activity_at", "-pk"]
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")
        indexes = [
            # The lists, most recently active first; is_direct_connect rides along so the
            # planner can filter private requests while walking these in order (without
            # it, SQLite prefers a queue index below and sorts every exchange).
            models.Index(
                fields=["community", "-last_activity_at", "is_direct_connect"],
                name="exchanges_community_recent_idx",
            ),
            models.Index(
                fields=["-last_activity_at", "is_direct_connect"], name="exchanges_recent_idx"
            ),
            # The facilitator's queue (workspace.queries): each source's filters are
            # covered by one index, so picking the oldest items never reads the table.
            models.Index(
                fields=["status", "community", "is_direct_connect", "created_at"],
                name="exchanges_queue_status_idx",
            ),
            models.Index(
                fields=[
                    "community",
                    "kind",
                    "status",
                    "reply_count",
                    "is_direct_connect",
                    "routed_at",
                    "created_at",
                ],
                name="exchanges_queue_waiting_idx",
            ),
            models.Index(
                fields=["community", "kind", "status", "needed_by"],
                name="exchanges_queue_needed_idx",
            ),
            models.Index(
                fields=["community", "kind", "status", "closes_at"],
                name="exchanges_queue_closing_idx",
            ),
            # The service clocks read only these columns of recent queries.
            models.Index(
                fields=[
                    "community",
                    "kind",
                    "created_at",
                    "is_direct_connect",
                    "routed_at",
                    "first_reply_at",
                    "closed_at",
                    "close_reason",
                ],
                name="exchanges_clocks_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        # Each kind beyond the query has its own app and page (solex.consultations, ...).
        return reverse(DETAIL_URL_NAMES.get(self.kind, "exchanges:exchange-detail"), args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED


class ExchangeRevision(models.Model):
    """An earlier wording, kept when a facilitator sharpens a query: the asker can see it."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=200)
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    edited_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-edited_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.exchange_id} @ {self.edited_at:%Y-%m-%d %H:%M}"


class Reply(models.Model):
    """A post in an exchange: an answer to a query, a comment, a contribution."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="replies"
    )
    body = models.TextField(_("reply"), help_text=_("Markdown."))
    body_html = models.TextField(editable=False)
    # Comments thread (consultations), and may point at one paragraph of a draft.
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    paragraph = models.PositiveIntegerField(_("paragraph"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    helpful_count = models.PositiveIntegerField(default=0)
    # Moderation: hidden posts stay in the database with the visible reason.
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(_("reason"), max_length=300, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = _("replies")
        indexes = [models.Index(fields=["exchange", "created_at"])]

    def __str__(self) -> str:
        return f"Reply {self.pk} to {self.exchange_id}"


class HelpfulMark(models.Model):
    """The asker or a facilitator found this reply helpful (evidence of expertise)."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="helpful_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reply", "user"], name="exchanges_helpful_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} found {self.reply_id} helpful"


class ExpertRequest(models.Model):
    """A facilitator asked this person directly to answer a query (routing)."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="expert_requests")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Why Solex suggested this person, as the facilitator saw it.
    reason = models.CharField(max_length=300, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["exchange", "expert"], name="exchanges_ask_once"),
        ]
        indexes = [
            # An expert's record (asked, answered, latest answers) reads only the index.
            models.Index(
                fields=["expert", "-requested_at", "answered_at"],
                name="exchanges_expert_record_idx",
            ),
            # Silent experts in the queue: unanswered requests of open queries.
            models.Index(
                fields=["exchange", "answered_at", "declined_at", "requested_at"],
                name="exchanges_request_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert_id} asked about {self.exchange_id}"


class ExchangeSettings(models.Model):
    """How one community runs its exchanges; a community without a row uses the defaults."""

    community = models.OneToOneField(
        Community, on_delete=models.CASCADE, related_name="exchange_settings"
    )
    triage_queries = models.BooleanField(
        _("facilitators triage new queries"),
        default=True,
        help_text=_("New queries wait for a facilitator before the community sees them."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("remind asked experts after (days)"), default=3
    )
    escalation_days = models.PositiveSmallIntegerField(
        _("escalate unanswered queries after (days)"), default=7
    )

    class Meta:
        verbose_name = _("exchange settings")
        verbose_name_plural = _("exchange settings")

    def __str__(self) -> str:
        return f"Exchange settings of {self.community_id}"


class ReplyRevision(models.Model):
    """An earlier wording of a reply, kept when it is edited."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    edited_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-edited_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.reply_id} @ {self.edited_at:%Y-%m-%d %H:%M}"


class Connection(models.Model):
    """Direct connect: a facilitator put the asker in touch with this person."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="connections")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["exchange", "person"], name="exchanges_connect_once"),
        ]

    def __str__(self) -> str:
        return f"{self.exchange_id} connected to {self.person_id}"


class ExchangeEvent(models.Model):
    """Who did what to an exchange, when and why: its visible history. Append-only."""

    class Action(models.TextChoices):
        ASKED = "asked", _("asked")
        SHARPENED = "sharpened", _("sharpened the wording")
        RELEASED = "released", _("released it to the community")
        ROUTED = "routed", _("asked experts")
        MERGED = "merged", _("merged it into an earlier exchange")
        HANDED_OFF = "handed_off", _("handed it off to another community")
        RECEIVED = "received", _("received it from another community")
        CLOSED = "closed", _("closed it")
        LOCKED = "locked", _("locked it")
        UNLOCKED = "unlocked", _("unlocked it")
        REPLY_HIDDEN = "reply_hidden", _("hid a reply")
        REPLY_SHOWN = "reply_shown", _("showed a hidden reply again")
        REPLY_EDITED = "reply_edited", _("edited a reply")
        CONNECTED = "connected", _("connected the asker with people")
        PUBLISHED = "published", _("published it anonymised")
        LIBRARY = "library", _("answered it from the library")

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    detail = models.CharField(max_length=300, blank=True)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["exchange", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.actor_id} {self.action} {self.exchange_id}"


class Attachment(models.Model):
    """A file attached to a query (``reply`` empty) or to one of its replies.

    The file itself is a ``core.StoredFile`` (checked by content, kept outside the web
    root); it is downloaded only through the exchange's policy, so a safe space's file
    is as private as its text.
    """

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="attachments")
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["exchange", "reply"])]

    def __str__(self) -> str:
        return f"{self.file_id} on {self.exchange_id}"

    def get_absolute_url(self) -> str:
        return reverse("exchanges:attachment-download", args=[self.pk])


class Draft(models.Model):
    """What someone was typing in an ask or reply form, kept until it is sent.

    One row per person and form (``key``: ``ask:<community id>`` or
    ``reply:<exchange id>``), saved as they type (htmx) and when a submission fails,
    restored on their next visit, deleted when the submission succeeds.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=60)
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="exchanges_one_draft_per_form"),
        ]

    def __str__(self) -> str:
        return f"Draft {self.key} of {self.user_id}"
