"""Daily and weekly digests, the top 5, and the email settings page and API."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from solex.accounts.testing import make_staff
from solex.communities.models import DeliveryPreference, Membership, Role
from solex.communities.testing import add_member, make_community
from solex.digests import digest
from solex.digests.models import TopFive
from solex.exchanges.notify import notify_reply_posted
from solex.exchanges.testing import make_exchange, make_reply
from solex.mail.models import MailSettings, OutboundMessage
from solex.mail.testing import SmtpSink, body
from solex.notifications.models import Notification

pytestmark = pytest.mark.django_db

# A Wednesday: the daily digest covers Tuesday; the weekly one the week before Monday 9th.
NOW = datetime(2026, 11, 11, 5, 0, tzinfo=UTC)
TUESDAY = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def network() -> dict[str, Any]:
    community = make_community("Climate Finance Practice", slug="climate-finance")
    reader = make_staff("reader", name="Rita Reader")
    author = make_staff("author", name="Ada Author")
    add_member(community, reader)
    add_member(community, author, Role.FACILITATOR)
    Membership.objects.filter(user=reader).update(delivery=DeliveryPreference.DAILY)
    return {"community": community, "reader": reader, "author": author}


def test_daily_digest_newest_first_grouped_by_exchange_and_never_repeated(
    network: dict[str, Any], smtp_sink: SmtpSink, django_capture_on_commit_callbacks: Any
) -> None:
    community, reader, author = network["community"], network["reader"], network["author"]
    older = make_exchange(
        community, author=author, title="Green bonds in small states", created_at=TUESDAY
    )
    newer = make_exchange(
        community,
        author=reader,
        title="Adaptation finance tracking",
        created_at=TUESDAY + timedelta(hours=3),
    )
    make_exchange(community, author=author, title="Too old", created_at=TUESDAY - timedelta(days=3))
    notify_reply_posted(make_reply(newer, author, "Look at the OECD markers."))
    Notification.objects.filter(recipient=reader).update(updated_at=TUESDAY + timedelta(hours=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.send_digests(DeliveryPreference.DAILY, NOW) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.send_digests(DeliveryPreference.DAILY, NOW) == 0
    assert len(smtp_sink.received) == 1
    message = smtp_sink.received[0].message
    assert message["Precedence"] == "bulk"
    assert message["Subject"] == "Your daily digest: 2 updates"
    text = body(message)
    assert text.index("Adaptation finance tracking") < text.index("Green bonds in small states")
    assert "New reply from Ada Author" in text  # under its exchange
    assert text.index("New reply from Ada Author") < text.index("Green bonds")
    assert "Too old" not in text and str(older.pk) in text
    # What the digest carried is marked emailed: not in the next one, not emailed alone.
    note = Notification.objects.get(recipient=reader)
    assert note.emailed_at is not None and not note.mail_pending
    with django_capture_on_commit_callbacks(execute=True):
        digest.send_digests(DeliveryPreference.DAILY, NOW + timedelta(days=1))
    assert len(smtp_sink.received) == 1  # nothing new on Wednesday


def test_weekly_readers_get_the_weekly_digest_and_not_the_daily(
    network: dict[str, Any], smtp_sink: SmtpSink, django_capture_on_commit_callbacks: Any
) -> None:
    community, reader, author = network["community"], network["reader"], network["author"]
    Membership.objects.filter(user=reader).update(delivery=DeliveryPreference.WEEKLY)
    make_exchange(
        community, author=author, title="Week-old news", created_at=NOW - timedelta(days=5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.send_digests(DeliveryPreference.DAILY, NOW) == 0
        assert digest.send_digests(DeliveryPreference.WEEKLY, NOW) == 1
    assert "Your weekly digest" in smtp_sink.received[0].message["Subject"]
    MailSettings.objects.create(user=reader, paused=True)
    OutboundMessage.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.send_digests(DeliveryPreference.WEEKLY, NOW) == 0


def test_the_facilitator_picks_the_top_five_and_members_receive_it(
    network: dict[str, Any], smtp_sink: SmtpSink, django_capture_on_commit_callbacks: Any
) -> None:
    community, reader, author = network["community"], network["reader"], network["author"]
    quiet = make_staff("quiet")
    add_member(community, quiet)
    Membership.objects.filter(user=quiet).update(delivery=DeliveryPreference.WEB_ONLY)
    unanswered = make_exchange(community, author=reader, title="Who has costed NDCs?")
    make_exchange(community, author=reader, title="Hidden", is_direct_connect=True)
    client = Client()
    client.force_login(author)
    page = client.get("/mail/in/climate-finance/top5/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Who has costed NDCs?" in html and "Waiting for answers" in html and "Hidden" not in html
    # Nothing picked: the form explains, keeps the intro.
    refused = client.post("/mail/in/climate-finance/top5/", {"intro": "This week"})
    assert refused.status_code == 200 and "Pick at least one item." in refused.content.decode()
    assert "This week" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            "/mail/in/climate-finance/top5/",
            {
                "intro": "Three things worth your time.",
                f"pick_{unanswered.pk}": "on",
                f"note_{unanswered.pk}": "Share your costing method.",
            },
        )
    assert sent.status_code == 302
    top = TopFive.objects.get()
    assert top.items.get().note == "Share your costing method."
    to = sorted(rcpt for r in smtp_sink.received for rcpt in r.rcpt_tos)
    assert to == sorted([reader.email, author.email])
    text = body(smtp_sink.received[0].message)
    assert "Three things worth your time." in text and "Share your costing method." in text
    # A member may not send it.
    member = Client()
    member.force_login(reader)
    assert member.get("/mail/in/climate-finance/top5/").status_code == 403


def test_settings_page_and_api_change_delivery_and_pause(network: dict[str, Any]) -> None:
    reader = network["reader"]
    client = Client()
    client.force_login(reader)
    page = client.get("/mail/settings/")
    assert page.status_code == 200 and "Climate Finance Practice" in page.content.decode()
    saved = client.post(
        "/mail/settings/",
        {"paused": "on", "default_delivery": "weekly", "delivery_climate-finance": "weekly"},
    )
    assert saved.status_code == 302
    assert MailSettings.objects.get(user=reader).paused is True
    assert Membership.objects.get(user=reader).delivery == "weekly"
    bad = client.post("/mail/settings/", {"default_delivery": "hourly"})
    assert bad.status_code == 200 and "There is a problem" in bad.content.decode()

    api = client.get("/api/v1/mail/preferences")
    assert api.json() == {
        "paused": True,
        "default_delivery": "weekly",
        "stopped": None,
        "communities": [
            {"slug": "climate-finance", "name": "Climate Finance Practice", "delivery": "weekly"}
        ],
    }
    changed = client.put(
        "/api/v1/mail/preferences",
        json.dumps({"paused": False, "communities": {"climate-finance": "every_message"}}),
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert changed.json()["paused"] is False
    assert changed.json()["communities"][0]["delivery"] == "every_message"
    refused = client.put(
        "/api/v1/mail/preferences",
        json.dumps({"communities": {"not-mine": "daily"}}),
        content_type="application/json",
    )
    assert refused.status_code == 422 and "not a member" in refused.content.decode()
    for payload in ([None, None], {"pasued": True}, {"resume": 0}):
        wrong = client.put(
            "/api/v1/mail/preferences", json.dumps(payload), content_type="application/json"
        )
        assert wrong.status_code == 422, payload
    assert Client().get("/api/v1/mail/preferences").status_code == 401


def test_mail_delivery_values_mirror_the_membership_choices() -> None:
    from solex.mail.models import Delivery

    assert Delivery.choices == DeliveryPreference.choices
