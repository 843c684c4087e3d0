"""Background work of the intake: process a stored message; pick up any left behind."""

from __future__ import annotations

from django.tasks import task

from solex.intake import actions


@task()
def process_inbound(message_id: int) -> str:
    """Route one stored message. Safe to run twice: a message is processed once."""
    message = actions.process_message(message_id)
    return message.state if message is not None else "missing"


@task()
def requeue_pending_inbound() -> int:
    """Messages still pending after five minutes lost their task: schedule them again."""
    return actions.requeue_pending(older_than_seconds=300)
