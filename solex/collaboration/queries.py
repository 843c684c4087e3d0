"""Reads of action groups reused by the pages and the API."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from solex.collaboration.models import ActionGroup, Task
from solex.exchanges.models import Exchange, Kind
from solex.knowledge.models import KnowledgeItem

DEFAULT_DAYS = 90

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from solex.accounts.models import User

    AnyUser = User | AnonymousUser


def group_for(user: AnyUser, pk: int) -> ActionGroup:
    """The group if this person may see it; 404 otherwise, whether it exists or not."""
    exchange = get_object_or_404(
        Exchange.objects.visible_to(user).select_related("community", "author"),
        pk=pk,
        kind=Kind.COLLABORATION,
    )
    group = (
        ActionGroup.objects.select_related("source", "outcome_item").filter(pk=exchange.pk).first()
    )
    if group is None:
        # A collaboration exchange made elsewhere (a hand-off's copy, older data): it runs
        # from its creation for DEFAULT_DAYS until an action saves the row.
        starts = timezone.localdate(exchange.created_at)
        group = ActionGroup(
            exchange=exchange, starts_on=starts, ends_on=starts + timedelta(days=DEFAULT_DAYS)
        )
    group.exchange = exchange
    return group


def task_for(user: AnyUser, pk: int) -> Task:
    task = get_object_or_404(Task.objects.select_related("owner"), pk=pk)
    task.group = group_for(user, task.group_id)
    return task


def visible_groups(user: AnyUser) -> QuerySet[ActionGroup]:
    return (
        ActionGroup.objects.filter(
            exchange__in=Exchange.objects.visible_to(user).filter(kind=Kind.COLLABORATION)
        )
        .select_related("exchange", "exchange__community")
        .order_by("-exchange__last_activity_at", "-pk")
    )


def linkable_items(user: AnyUser, group: ActionGroup) -> QuerySet[KnowledgeItem]:
    """Knowledge items of the group's community this person may see, newest first."""
    return (
        KnowledgeItem.objects.visible_to(user)
        .filter(community_id=group.exchange.community_id)
        .order_by("-created_at", "-pk")
    )
