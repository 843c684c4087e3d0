"""Drafts survive failed submissions and sessions; edits and anonymity stay visible."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.communities.models import Community, Role, Visibility
from solex.communities.testing import add_member, make_community
from solex.exchanges import actions
from solex.exchanges.models import Draft, Exchange, Reply
from solex.exchanges.testing import make_exchange, make_reply

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def community() -> Community:
    return make_community("Gender", slug="gender", visibility=Visibility.MEMBERS)


@pytest.fixture
def member(community: Community) -> User:
    person = make_staff("member")
    add_member(community, person)
    return person


def test_the_ask_form_autosaves_and_restores_next_session(
    community: Community, member: User
) -> None:
    ask = reverse("exchanges:exchange-ask", args=["gender"])
    saved = client_for(member).post(
        reverse("exchanges:exchange-ask-draft", args=["gender"]),
        {"title": "Gender budgeting in ministries", "body": "Half-written question"},
        headers={"HX-Request": "true"},
    )
    assert saved.status_code == 200
    assert "Draft saved" in saved.content.decode()
    # A new session (another browser) gets the text back.
    page = client_for(member).get(ask).content.decode()
    assert "Gender budgeting in ministries" in page
    assert "Half-written question" in page
    assert "Your unsent draft is back." in page
    # Sending the question clears the draft.
    client_for(member).post(ask, {"title": "Gender budgeting in ministries", "body": "Done."})
    assert Exchange.objects.filter(title="Gender budgeting in ministries").exists()
    assert not Draft.objects.exists()
    assert "Half-written question" not in client_for(member).get(ask).content.decode()


def test_a_refused_question_is_kept_for_the_next_visit(community: Community, member: User) -> None:
    ask = reverse("exchanges:exchange-ask", args=["gender"])
    client_for(member).post(
        ask, {"title": "Gender audits", "body": "My text", "needed_by": "2001-01-01"}
    )
    assert not Exchange.objects.exists()
    page = client_for(member).get(ask).content.decode()
    assert "Gender audits" in page and "My text" in page


def test_a_failed_reply_is_kept_server_side_and_cleared_on_success(
    community: Community, member: User
) -> None:
    exchange = make_exchange(community, is_locked=True, locked_reason="Cooling down")
    reply_url = reverse("exchanges:exchange-reply", args=[exchange.pk])
    refused = client_for(member).post(reply_url, {"body": "Words I typed for an hour"})
    assert refused.status_code == 200
    assert not Reply.objects.exists()
    Exchange.objects.filter(pk=exchange.pk).update(is_locked=False)
    page = client_for(member).get(exchange.get_absolute_url()).content.decode()
    assert "Words I typed for an hour" in page
    client_for(member).post(reply_url, {"body": "Words I typed for an hour"})
    assert Reply.objects.count() == 1
    assert not Draft.objects.exists()


def test_drafts_are_per_person(community: Community, member: User) -> None:
    other = make_staff("other")
    add_member(community, other)
    exchange = make_exchange(community)
    client_for(member).post(
        reverse("exchanges:exchange-reply-draft", args=[exchange.pk]), {"body": "Mine only"}
    )
    assert "Mine only" not in client_for(other).get(exchange.get_absolute_url()).content.decode()


def test_draft_fields_are_bounded_and_empty_drafts_deleted(member: User) -> None:
    actions.save_draft(member, "ask:1", {"body": "x" * 50_000, "csrfmiddlewaretoken": "t"})
    draft = Draft.objects.get()
    assert set(draft.data) == {"body"}
    assert len(draft.data["body"]) == actions.MAX_BODY
    actions.save_draft(member, "ask:1", {"body": "  "})
    assert not Draft.objects.exists()


def test_reply_edits_show_their_history(community: Community, member: User) -> None:
    exchange = make_exchange(community)
    reply = make_reply(exchange, member, "First wording")
    actions.edit_reply(reply, actor=member, body="Second wording", reason="Typo")
    page = client_for(member).get(exchange.get_absolute_url()).content.decode()
    assert "Second wording" in page
    assert "Edited once: see the earlier wording" in page
    assert "First wording" in page and "Typo" in page


def test_an_anonymised_askers_later_replies_stay_anonymous(community: Community) -> None:
    asker, facilitator = make_staff("Amina Asker"), make_staff("facilitator")
    add_member(community, asker)
    add_member(community, facilitator, Role.FACILITATOR)
    exchange = actions.ask_direct(community, actor=asker, title="A private matter", body="Help")
    actions.publish_anonymised(exchange, actor=facilitator)
    exchange.refresh_from_db()
    actions.post_reply(exchange, actor=asker, body="Thanks, more details here.")
    reader = make_staff("reader")
    add_member(community, reader)
    page = client_for(reader).get(exchange.get_absolute_url()).content.decode()
    assert "more details here" in page
    assert asker.name not in page
    assert "The asker" in page
    api = client_for(reader).get(f"/api/v1/exchanges/{exchange.pk}/replies").json()
    assert api["items"][0]["author"] is None
