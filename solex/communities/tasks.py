"""Background work for communities: emails, and archiving communities that have ended."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.tasks import task


@task()
def send_community_email(subject: str, text: str, html: str, to: str) -> None:
    """Send one already-rendered message (rendered by the action, in the reader's language)."""
    message = EmailMultiAlternatives(subject, text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()


@task()
def close_expired_communities() -> int:
    """Run daily: archive the communities past their end date (idempotent)."""
    from solex.communities.actions import close_expired_communities as close

    return len(close())
