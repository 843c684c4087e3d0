"""Reads of a person's notifications: only ever their own."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from solex.accounts.models import User
from solex.notifications.models import Notification, NotificationQuerySet


def inbox(user: User) -> NotificationQuerySet:
    """The person's notifications, newest event first."""
    return Notification.objects.filter(recipient=user).order_by("-updated_at", "-pk")


def unread_count(user: User | AnonymousUser) -> int:
    """One indexed COUNT (the partial index on unread rows); 0 for visitors."""
    if not isinstance(user, User) or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user).unread().count()
