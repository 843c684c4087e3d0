"""The knowledge library: what communities learned, written down so others can find it.

Every item has a kind (``KnowledgeItem.Kind``) with its own structured fields
(``solex.knowledge.kinds``: a lesson's in ``LessonLearned``, the others' in
``KnowledgeItem.details``), lives in one community and has an **audience**:

- ``community`` (the default): whoever may see the community;
- ``organisation``: of those, internal staff only (never partners or anonymous visitors);
- ``public``: whoever may see the community, listed on the public portal and its feed;
  only an item of a public community may be public.

So the audience can only narrow the community's: a safe space's item never leaks.
``KnowledgeItem.objects.visible_to`` and ``permissions.can_view_item`` apply it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solex.communities.models import Community
from solex.core.files import human_size
from solex.taxonomy.models import Topic

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from solex.accounts.models import User


class Audience(models.TextChoices):
    COMMUNITY = "community", _("The community: whoever may see the community")
    ORGANISATION = "organisation", _("Organisation-wide: internal staff only")
    PUBLIC = "public", _("Public: anyone, on the public knowledge portal")


def _sees_internal(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or getattr(user, "is_internal", False))


class KnowledgeItemQuerySet(models.QuerySet["KnowledgeItem"]):
    def visible_to(self, user: User | AnonymousUser) -> KnowledgeItemQuerySet:
        """Items this person may read, filtered in SQL.

        Items of communities the person may see, without organisation-wide items for
        anyone but internal staff and site admins. Keep in step with
        ``permissions.can_view_item``.
        """
        items = self.filter(community__in=Community.objects.visible_to(user))
        if not _sees_internal(user):
            items = items.exclude(audience=Audience.ORGANISATION)
        return items

    def published(self) -> KnowledgeItemQuerySet:
        return self.filter(status=KnowledgeItem.Status.PUBLISHED)

    def public(self) -> KnowledgeItemQuerySet:
        """The public portal: public, published items of public communities."""
        return self.published().filter(audience=Audience.PUBLIC, community__visibility="public")


class KnowledgeItem(models.Model):
    class Kind(models.TextChoices):
        CONSOLIDATED_REPLY = "consolidated_reply", _("Consolidated reply")
        LESSON_LEARNED = "lesson_learned", _("Lesson learned")
        GOOD_PRACTICE = "good_practice", _("Good practice")
        CASE_STUDY = "case_study", _("Case study")
        HOW_TO = "how_to", _("How-to guide")
        PRACTICE_NOTE = "practice_note", _("Practice note")
        DISCUSSION_SYNTHESIS = "discussion_synthesis", _("Discussion synthesis")
        CONSULTATION_SUMMARY = "consultation_summary", _("Consultation feedback summary")
        MEETING_REPORT = "meeting_report", _("Meeting report")
        PUBLICATION = "publication", _("Publication")
        KM_APPROACH = "km_approach", _("KM approach")
        ACTION_GROUP_OUTCOME = "action_group_outcome", _("Action group outcome")
        HANDOVER = "handover", _("Handover note")

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    Audience = Audience

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(
        _("summary"), max_length=500, help_text=_("One or two sentences: the lesson in short.")
    )
    body = models.TextField(_("the full account"), blank=True, help_text=_("Markdown."))
    # Rendered once from ``body`` by solex.core.markdown (sanitised): show it with |safe.
    body_html = models.TextField(blank=True, editable=False)
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="knowledge_items"
    )
    contributors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("contributors")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The query a consolidated reply answers (its replies are shown in full below it).
    source_exchange = models.ForeignKey(
        "exchanges.Exchange",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("source exchange"),
    )

    # Common fields of every kind (all with defaults: other apps create items too).
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.COMMUNITY
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PUBLISHED
    )
    # A code of ``settings.LANGUAGES`` (checked by the actions), or "" when not said.
    language = models.CharField(_("language"), max_length=10, blank=True, default="")
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="knowledge_items", verbose_name=_("topics")
    )
    countries = models.JSONField(
        _("countries"), default=list, blank=True, help_text=_("ISO 3166 codes, e.g. KE")
    )
    regions = models.JSONField(_("regions"), default=list, blank=True)
    # The structured fields of kinds other than lessons (see ``solex.knowledge.kinds``).
    details = models.JSONField(default=dict, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    # Freshness: past this date the item waits in the knowledge managers' queue.
    review_due = models.DateField(_("review date"), null=True, blank=True)
    last_reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True)
    last_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Use, counted with F() by the actions.
    view_count = models.PositiveIntegerField(default=0)
    download_count = models.PositiveIntegerField(default=0)
    useful_yes = models.PositiveIntegerField(default=0)
    useful_no = models.PositiveIntegerField(default=0)

    objects = KnowledgeItemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("knowledge item")
        indexes = [
            models.Index(fields=["community", "-created_at"]),
            models.Index(fields=["audience", "status", "-created_at"]),
            models.Index(fields=["status", "review_due"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.kind == self.Kind.CONSOLIDATED_REPLY:
            return reverse("knowledge:consolidated-reply", args=[self.pk])
        return reverse("knowledge:item-detail", args=[self.pk])

    @property
    def is_archived(self) -> bool:
        return self.status == self.Status.ARCHIVED

    @property
    def useful_total(self) -> int:
        return self.useful_yes + self.useful_no


class ItemVersion(models.Model):
    """An earlier version of an item, kept whenever the item is edited."""

    item = models.ForeignKey(KnowledgeItem, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500)
    body = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    # The structured fields as they were (a lesson's too).
    structured = models.JSONField(default=dict, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    written_at = models.DateTimeField()
    replaced_at = models.DateTimeField(default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="knowledge_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"


class UsefulVote(models.Model):
    """ "Was this useful?": one answer per person per item, which they may change."""

    item = models.ForeignKey(KnowledgeItem, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    useful = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="knowledge_useful_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.item_id}: {self.useful}"


class ItemLink(models.Model):
    """One item cites another (a link to it in its text): reuse, and a related item."""

    source = models.ForeignKey(KnowledgeItem, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(KnowledgeItem, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="knowledge_link_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id}"


class Handover(models.Model):
    """Knowledge transfer: what a person who rotates or leaves hands to their successor.

    Drafted by the leaver, reviewed with a named successor (both sign off, and any
    change clears the signatures), then published as a handover note with the audience
    chosen. Until it is published only the two of them (and site admins) see it.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    leaver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("leaver"),
    )
    successor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("successor"),
    )
    title = models.CharField(_("title"), max_length=200)
    role = models.CharField(_("role handed over"), max_length=200)
    critical_knowledge = models.TextField(_("critical knowledge"))
    ongoing_work = models.TextField(_("ongoing work"), blank=True)
    key_contacts = models.TextField(_("key contacts"), blank=True)
    documents = models.TextField(_("documents"), blank=True)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.COMMUNITY
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    leaver_signed_at = models.DateTimeField(null=True, blank=True)
    successor_signed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_item = models.OneToOneField(
        KnowledgeItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:handover-detail", args=[self.pk])

    @property
    def both_signed(self) -> bool:
        return self.leaver_signed_at is not None and self.successor_signed_at is not None


class LessonLearned(models.Model):
    """The structured part of a lesson: failures are captured as carefully as successes."""

    item = models.OneToOneField(
        KnowledgeItem, on_delete=models.CASCADE, primary_key=True, related_name="lesson"
    )
    context = models.TextField(_("context"), help_text=_("What was planned, and what happened."))
    what_worked = models.TextField(_("what worked"), blank=True)
    what_did_not_work = models.TextField(_("what did not work"), blank=True)
    why = models.TextField(_("why"), blank=True, help_text=_("Why things went as they did."))
    recommendation = models.TextField(
        _("recommendation"), help_text=_("What to do differently next time.")
    )
    evidence = models.TextField(
        _("evidence"), blank=True, help_text=_("Reports, figures and links that back the lesson.")
    )

    class Meta:
        verbose_name = _("lesson learned")
        verbose_name_plural = _("lessons learned")

    def __str__(self) -> str:
        return str(self.item)


class ConsolidatedReply(models.Model):
    """The structured part of a consolidated reply: the query it answers and what it cost.

    ``facilitator_seconds`` is the time the facilitators spent in the editor (see
    ``ConsolidatedReplyDraft``): the figure the automatic draft exists to shrink.
    """

    item = models.OneToOneField(
        KnowledgeItem, on_delete=models.CASCADE, primary_key=True, related_name="consolidated"
    )
    facilitator_seconds = models.PositiveIntegerField(_("time in the editor (seconds)"), default=0)
    reply_count = models.PositiveIntegerField(_("replies consolidated"), default=0)

    class Meta:
        verbose_name = _("consolidated reply")
        verbose_name_plural = _("consolidated replies")

    def __str__(self) -> str:
        return str(self.item)

    @property
    def facilitator_minutes(self) -> int:
        return round(self.facilitator_seconds / 60)


class ConsolidatedReplyDraft(models.Model):
    """The facilitators' working copy of a consolidated reply, one per query.

    ``version`` goes up by one on every save, through a conditional UPDATE: a save
    made on an older version changes nothing and is reported as a conflict.
    ``seconds_spent`` adds up the time between opening the editor and each save or
    publication, each stretch capped (``SESSION_CAP`` in ``consolidated.actions``).
    """

    exchange = models.OneToOneField(
        "exchanges.Exchange", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    body = models.TextField(_("consolidated reply"), blank=True, help_text=_("Markdown."))
    version = models.PositiveIntegerField(default=1)
    opened_at = models.DateTimeField(_("first opened"), default=timezone.now)
    seconds_spent = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    published_item = models.OneToOneField(
        KnowledgeItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("consolidated reply draft")

    def __str__(self) -> str:
        return self.title


class ItemAttachment(models.Model):
    """A file on an item; its text (``file.extracted_text``) is searchable.

    A file that is refused (not what its name says, a type Solex does not take) keeps
    a row without ``file``, with the reason: the item is saved all the same and the
    attachment is shown as "text not extracted".
    """

    item = models.ForeignKey(KnowledgeItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.ForeignKey(
        "core.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=255)
    refusal = models.CharField(_("why the file was not kept"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def text_status(self) -> str:
        """ "extracted", "pending" or "not extracted" (refused, unreadable, or no text)."""
        if self.file is None:
            return "not extracted"
        status = self.file.extraction_status
        if status in ("extracted", "pending"):
            return str(status)
        return "not extracted"

    @property
    def text_extracted(self) -> bool:
        return self.text_status != "not extracted"

    @property
    def size_label(self) -> str:
        return human_size(self.file.size) if self.file is not None else ""
