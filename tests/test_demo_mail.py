"""The demo's email data: every delivery choice, the switches, the log in every state."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from solex.communities.models import Membership
from solex.demo.build import build_demo
from solex.digests.models import TopFive
from solex.mail.models import MailSettings, OutboundMessage

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_delivery_choice_switch_and_send_state() -> None:
    build_demo(stderr=io.StringIO(), scale={"members": 120, "posts": 600})
    assert set(Membership.objects.values_list("delivery", flat=True)) == {
        "every_message",
        "daily",
        "weekly",
        "web_only",
    }
    assert MailSettings.objects.filter(paused=True).exists()
    stopped = MailSettings.objects.filter(stopped_at__isnull=False).select_related("user").get()
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {
        "sent",
        "retry",
        "failed",
        "skipped",
        "queued",
    }
    top = TopFive.objects.get()
    assert top.items.count() >= 1 and top.sent_at is not None
    # The person whose address bounced sees why on the settings page.
    client = Client()
    client.force_login(stopped.user)
    assert "Turn email back on" in client.get("/mail/settings/").content.decode()
