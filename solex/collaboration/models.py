"""Collaboration: action groups and task teams spawned from an exchange.

A group is an ``Exchange`` of kind "collaboration" (its title, its purpose as the
body, its lead as the author) plus an ``ActionGroup`` row: the exchange it came from,
its start and end dates, its members, tasks and deliverables, and its outcome.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solex.exchanges.models import Exchange
from solex.knowledge.models import KnowledgeItem


class ActionGroup(models.Model):
    class Kind(models.TextChoices):
        ACTION_GROUP = "action_group", _("Action group")
        TASK_TEAM = "task_team", _("Task team")

    exchange = models.OneToOneField(
        Exchange, on_delete=models.CASCADE, primary_key=True, related_name="action_group"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.ACTION_GROUP
    )
    source = models.ForeignKey(
        Exchange,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="spawned_groups",
        verbose_name=_("started from"),
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    outcome = models.TextField(_("outcome"), blank=True, help_text=_("Markdown."))
    outcome_html = models.TextField(blank=True, editable=False)
    outcome_item = models.OneToOneField(
        KnowledgeItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("action group")
        verbose_name_plural = _("action groups")

    def __str__(self) -> str:
        return str(self.exchange)


class GroupMember(models.Model):
    group = models.ForeignKey(ActionGroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="collaboration_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.group_id}"


class Task(models.Model):
    class Status(models.TextChoices):
        TODO = "todo", _("To do")
        DOING = "doing", _("Doing")
        DONE = "done", _("Done")

    group = models.ForeignKey(ActionGroup, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.TODO
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["group", "status"])]

    def __str__(self) -> str:
        return self.title


class Deliverable(models.Model):
    """What the group produced: a knowledge item in the library, or an address."""

    group = models.ForeignKey(ActionGroup, on_delete=models.CASCADE, related_name="deliverables")
    title = models.CharField(_("title"), max_length=200)
    item = models.ForeignKey(
        KnowledgeItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("knowledge item"),
    )
    url = models.URLField(_("address"), max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.title
