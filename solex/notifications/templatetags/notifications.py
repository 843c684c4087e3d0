"""The header's "Notifications (N)" link."""

from __future__ import annotations

from typing import Any

from django import template

from solex.notifications.queries import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notification_count(context: dict[str, Any]) -> int:
    user = context.get("user")
    if user is None:
        return 0
    return unread_count(user)
