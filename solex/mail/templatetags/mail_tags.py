"""``{% mail_notice %}``: tell a signed-in person that email to them stopped, and why."""

from __future__ import annotations

from typing import Any

from django import template

from solex.accounts.models import User
from solex.mail.bounces import stopped_notice

register = template.Library()


@register.inclusion_tag("mail/notice.html", takes_context=True)
def mail_notice(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {"stopped": None}
    return {"stopped": stopped_notice(user), "request": request}
