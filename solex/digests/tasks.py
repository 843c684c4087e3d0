"""Periodic email tasks: the every-minute sweep, the daily and the weekly digests."""

from __future__ import annotations

from django.tasks import task

from solex.communities.models import DeliveryPreference
from solex.digests import delivery, digest


@task()
def sweep() -> dict[str, int]:
    """Email the notifications still unread after the grouping delay, and new posts."""
    return delivery.sweep()


@task()
def fan_out_post(exchange_id: int) -> int:
    """Send one new post to its community's every-message members (once)."""
    from solex.exchanges.models import Exchange

    exchange = Exchange.objects.select_related("community", "author").filter(pk=exchange_id).first()
    return delivery.fan_out(exchange) if exchange is not None else 0


@task()
def send_daily_digests() -> int:
    return digest.send_digests(DeliveryPreference.DAILY)


@task()
def send_weekly_digests() -> int:
    return digest.send_digests(DeliveryPreference.WEEKLY)
