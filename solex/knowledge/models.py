"""The knowledge library: what communities learned, written down so others can find it.

For now it holds lessons learned from after-action reviews; consolidated replies,
good practices and other kinds join ``KnowledgeItem.Kind`` as the library grows.
An item lives in one community and has that community's audience: whoever may see
the community (``can_view_in_community``) may read it, and nobody else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solex.communities.models import Community

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from solex.accounts.models import User


class KnowledgeItemQuerySet(models.QuerySet["KnowledgeItem"]):
    def visible_to(self, user: User | AnonymousUser) -> KnowledgeItemQuerySet:
        """Items in communities this person may see, filtered in SQL."""
        return self.filter(community__in=Community.objects.visible_to(user))


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

    objects = KnowledgeItemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("knowledge item")
        indexes = [models.Index(fields=["community", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.kind == self.Kind.CONSOLIDATED_REPLY:
            return reverse("knowledge:consolidated-reply", args=[self.pk])
        return reverse("knowledge:item-detail", args=[self.pk])


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
