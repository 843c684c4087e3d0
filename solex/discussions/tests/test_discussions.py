"""Discussions: opening, posting in the window, summaries, closing, the synthesis, the pages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.communities.models import Community, Role
from solex.communities.testing import add_member, make_community
from solex.discussions import actions, drafting, queries, tasks
from solex.discussions.models import Discussion, Summary, SynthesisDraft
from solex.exchanges.models import Exchange, Reply, Status
from solex.exchanges.testing import make_exchange
from solex.knowledge.models import KnowledgeItem
from solex.notifications.models import Notification

pytestmark = pytest.mark.django_db

POSTS = {
    "amina": (
        "In Kenya, county disaster committees that met every month before the rains kept "
        "early warning messages flowing to villages. Community radio was the channel people trusted."
    ),
    "carlos": (
        "Community radio worked well in Honduras too: early warning messages read by local "
        "presenters reached farmers days before the floods."
    ),
    "lena": (
        "We saw the same in Bangladesh: community radio and volunteers with megaphones carried "
        "early warning messages to villages faster than SMS."
    ),
    "omar": (
        "Cash transfers released before the flood peak effective in Somalia: families moved "
        "livestock and bought food before prices rose."
    ),
}


@dataclass
class Setting:
    community: Community
    facilitator: User
    people: dict[str, User]
    outsider: User


@pytest.fixture
def setting() -> Setting:
    community = make_community("Disaster Risk Network", slug="drr-network", visibility="public")
    facilitator = make_staff("fatima")
    add_member(community, facilitator, Role.FACILITATOR)
    people = {}
    for name in POSTS:
        people[name] = make_staff(name)
        add_member(community, people[name])
    return Setting(community, facilitator, people, make_staff("outsider"))


def _open(s: Setting, **overrides: object) -> Discussion:
    fields: dict[str, object] = {
        "actor": s.facilitator,
        "title": "Anticipatory action before floods",
        "purpose": "Learn what made early action work before floods.",
        "questions": ["What early warning channels reached people?", "What did cash change?"],
        "opens_at": None,
        "closes_at": timezone.now() + datetime.timedelta(days=14),
        "invited": [s.people["amina"], s.people["carlos"]],
    }
    fields.update(overrides)
    return actions.open_discussion(s.community, **fields)  # type: ignore[arg-type]


def _post_all(s: Setting, discussion: Discussion) -> list[Reply]:
    return [
        actions.post(discussion, actor=s.people[name], body=text, question=1)
        for name, text in POSTS.items()
    ]


# --- Opening ----------------------------------------------------------------------------------


def test_opening_numbers_the_questions_and_tells_the_invited(setting: Setting) -> None:
    discussion = _open(setting)
    exchange = discussion.exchange
    assert exchange.kind == "discussion" and exchange.status == Status.OPEN
    assert [(q.number, q.text) for q in discussion.questions.all()] == [
        (1, "What early warning channels reached people?"),
        (2, "What did cash change?"),
    ]
    told = Notification.objects.filter(kind="discussion.invited")
    assert sorted(n.recipient.username for n in told) == ["amina", "carlos"]
    assert all(n.target_url == exchange.get_absolute_url() for n in told)


def test_only_facilitators_open_discussions(setting: Setting) -> None:
    with pytest.raises(PermissionDenied):
        _open(setting, actor=setting.people["amina"])
    assert not Exchange.objects.exists()


@pytest.mark.parametrize(
    ("opens", "closes", "field", "words"),
    [
        (-2, 5, "opens_at", "in the past"),
        (None, -1, "closes_at", "in the past"),
        (5, 3, "closes_at", "close after it opens"),
    ],
)
def test_bad_dates_are_refused_with_a_reason(
    setting: Setting, opens: int | None, closes: int, field: str, words: str
) -> None:
    now = timezone.now()
    with pytest.raises(ValidationError) as refused:
        _open(
            setting,
            opens_at=None if opens is None else now + datetime.timedelta(days=opens),
            closes_at=now + datetime.timedelta(days=closes),
        )
    assert words in " ".join(refused.value.message_dict[field])
    assert not Discussion.objects.exists()


def test_inviting_a_non_member_is_refused_by_name(setting: Setting) -> None:
    with pytest.raises(ValidationError) as refused:
        _open(setting, invited=[setting.people["amina"], setting.outsider])
    assert "Outsider" in " ".join(refused.value.message_dict["invited"])
    assert not Notification.objects.exists()


def test_a_discussion_needs_a_framing_question(setting: Setting) -> None:
    with pytest.raises(ValidationError) as refused:
        _open(setting, questions=["", "  "])
    assert "questions" in refused.value.message_dict


# --- Posting ----------------------------------------------------------------------------------


def test_members_post_while_open_and_answer_a_question(setting: Setting) -> None:
    discussion = _open(setting)
    reply = actions.post(discussion, actor=setting.people["lena"], body="Radio.", question=2)
    assert reply.paragraph == 2
    with pytest.raises(ValidationError) as refused:
        actions.post(discussion, actor=setting.people["lena"], body="Radio.", question=7)
    assert "no framing question 7" in " ".join(refused.value.message_dict["question"])


def test_no_posts_before_it_opens_or_after_it_closes(setting: Setting) -> None:
    later = _open(setting, opens_at=timezone.now() + datetime.timedelta(days=2))
    with pytest.raises(ValidationError, match="opens on"):
        actions.post(later, actor=setting.people["lena"], body="Too early")
    ended = _open(setting)
    Exchange.objects.filter(pk=ended.pk).update(closes_at=timezone.now())
    ended.exchange.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        actions.post(ended, actor=setting.people["lena"], body="Too late")
    assert not Reply.objects.exists()


def test_outsiders_cannot_post(setting: Setting) -> None:
    discussion = _open(setting)
    with pytest.raises(PermissionDenied):
        actions.post(discussion, actor=setting.outsider, body="Hello")


def test_posting_to_a_closed_discussion_keeps_the_text_on_the_page(setting: Setting) -> None:
    discussion = _open(setting)
    actions.close_discussion(discussion, actor=setting.facilitator)
    client = Client()
    client.force_login(setting.people["lena"])
    response = client.post(
        reverse("discussions:discussion-post", args=[discussion.pk]),
        {"body": "My long contribution about radio", "question": "1"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "My long contribution about radio" in page
    assert "closed" in page
    assert not Reply.objects.exists()


# --- Summaries --------------------------------------------------------------------------------


def test_weekly_reminder_drafts_from_the_week_and_runs_once(setting: Setting) -> None:
    discussion = _open(setting)
    _post_all(setting, discussion)
    week_ago = timezone.now() - datetime.timedelta(days=8)
    Exchange.objects.filter(pk=discussion.pk).update(opens_at=week_ago)
    Reply.objects.filter(exchange_id=discussion.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1)
    )
    assert tasks.remind_summaries.call() == 1
    assert tasks.remind_summaries.call() == 0
    reminder = Notification.objects.get(kind="discussion.summary_due")
    assert reminder.recipient == setting.facilitator
    assert "4 new posts" in reminder.text
    discussion = Discussion.objects.get(pk=discussion.pk)
    start, end, text = actions.draft_summary(discussion, actor=setting.facilitator)
    assert start == discussion.exchange.opens_at
    assert "4 posts by 4 participants" in text
    assert f"#post-{Reply.objects.first().pk}" in text  # type: ignore[union-attr]


def test_posting_a_summary_shows_it_and_tells_participants(setting: Setting) -> None:
    discussion = _open(setting)
    _post_all(setting, discussion)
    now = timezone.now()
    summary = actions.post_summary(
        discussion,
        actor=setting.facilitator,
        body="Radio is the trusted channel.",
        period_start=now - datetime.timedelta(days=7),
        period_end=now,
    )
    told = set(
        Notification.objects.filter(kind="discussion.summary").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == set(POSTS)
    page = Client().get(discussion.exchange.get_absolute_url()).content.decode()
    assert f'id="summary-{summary.pk}"' in page and "Radio is the trusted channel." in page


def test_an_empty_summary_is_refused(setting: Setting) -> None:
    discussion = _open(setting)
    now = timezone.now()
    with pytest.raises(ValidationError):
        actions.post_summary(
            discussion, actor=setting.facilitator, body="  ", period_start=now, period_end=now
        )
    assert not Summary.objects.exists()


# --- Closing and the synthesis ----------------------------------------------------------------


def test_synthesis_names_shared_points_and_links_the_posts(setting: Setting) -> None:
    discussion = _open(setting)
    replies = _post_all(setting, discussion)
    text = drafting.compose_synthesis(discussion)
    assert "## Points with broad support" in text.body
    shared = text.body.split("## Points with broad support")[1].split("\n## ")[0]
    assert "Made by 3 participants." in shared
    for reply in replies[:3]:
        assert f"#post-{reply.pk}" in shared
    assert f"#post-{replies[3].pk}" not in shared  # cash: one voice, below the critical mass
    assert f"#post-{replies[3].pk}" in text.body.split("## Other points raised")[1]
    assert "4 participants contributed 4 posts." in text.summary


def test_synthesis_reports_differing_views(setting: Setting) -> None:
    discussion = _open(setting)
    actions.post(
        discussion,
        actor=setting.people["amina"],
        body="Cash transfers before the flood worked well and were effective for families.",
    )
    actions.post(
        discussion,
        actor=setting.people["omar"],
        body="I disagree: cash transfers before the flood did not work, traders raised prices.",
    )
    body = drafting.compose_synthesis(discussion).body
    assert "## Differing views" in body
    assert "Against or disagreeing:" in body


def test_the_clock_closes_due_discussions_once_and_drafts_the_synthesis(setting: Setting) -> None:
    discussion = _open(setting)
    _post_all(setting, discussion)
    Exchange.objects.filter(pk=discussion.pk).update(closes_at=timezone.now())
    assert tasks.close_due_discussions.call() == 1
    assert tasks.close_due_discussions.call() == 0
    assert Exchange.objects.get(pk=discussion.pk).status == Status.CLOSED
    draft = SynthesisDraft.objects.get(discussion=discussion)
    assert "Points with broad support" in draft.body
    ready = Notification.objects.get(kind="discussion.synthesis_draft")
    assert ready.recipient == setting.facilitator


def test_publishing_puts_the_synthesis_in_the_library_and_announces_it(
    setting: Setting, django_capture_on_commit_callbacks: Any
) -> None:
    bystander = make_staff("bystander")
    add_member(setting.community, bystander)
    discussion = _open(setting)
    _post_all(setting, discussion)
    draft = actions.close_discussion(discussion, actor=setting.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        item = actions.publish_synthesis(
            draft,
            actor=setting.facilitator,
            version=draft.version,
            title=draft.title,
            summary=draft.summary,
            body=draft.body,
        )
    assert item.kind == KnowledgeItem.Kind.DISCUSSION_SYNTHESIS
    assert item.source_exchange_id == discussion.pk
    assert set(item.contributors.values_list("username", flat=True)) == set(POSTS)
    announced = Notification.objects.filter(kind="discussion.synthesis_published")
    # The participants and every other member of the community; not the publisher.
    assert set(announced.values_list("recipient__username", flat=True)) == {*POSTS, "bystander"}
    library = Client().get(reverse("knowledge:item-list")).content.decode()
    assert item.title in library
    # The editor now sends people to the published item.
    client = Client()
    client.force_login(setting.facilitator)
    response = client.get(reverse("discussions:discussion-synthesis", args=[discussion.pk]))
    assert response["Location"] == item.get_absolute_url()


def test_an_empty_synthesis_is_not_published(setting: Setting) -> None:
    discussion = _open(setting)
    draft = actions.close_discussion(discussion, actor=setting.facilitator)
    with pytest.raises(ValidationError) as refused:
        actions.publish_synthesis(
            draft,
            actor=setting.facilitator,
            version=draft.version,
            title="T",
            summary="S",
            body=" ",
        )
    assert "empty" in " ".join(refused.value.message_dict["body"])
    assert not KnowledgeItem.objects.exists()


def test_two_facilitators_saving_at_once_second_is_told_nothing_lost(setting: Setting) -> None:
    second = make_staff("second_facilitator")
    add_member(setting.community, second, Role.FACILITATOR)
    discussion = _open(setting)
    _post_all(setting, discussion)
    draft = actions.close_discussion(discussion, actor=setting.facilitator)
    first_client, second_client = Client(), Client()
    first_client.force_login(setting.facilitator)
    second_client.force_login(second)
    url = reverse("discussions:discussion-synthesis", args=[discussion.pk])
    base = {"title": draft.title, "summary": draft.summary, "version": draft.version}
    saved = first_client.post(url, {**base, "body": "First facilitator's text", "action": "save"})
    assert saved.status_code == 302
    clash = second_client.post(url, {**base, "body": "Second facilitator's text", "action": "save"})
    assert clash.status_code == 200
    page = clash.content.decode()
    assert "Nothing was overwritten" in page
    assert "Second facilitator&#x27;s text" in page
    assert SynthesisDraft.objects.get(pk=draft.pk).body == "First facilitator's text"


def test_the_synthesis_waits_for_the_close(setting: Setting) -> None:
    discussion = _open(setting)
    with pytest.raises(ValidationError, match="close it first"):
        actions.open_synthesis(discussion, actor=setting.facilitator)
    client = Client()
    client.force_login(setting.facilitator)
    response = client.get(reverse("discussions:discussion-synthesis", args=[discussion.pk]))
    assert response.status_code == 200 and "close it first" in response.content.decode()


# --- Pages ------------------------------------------------------------------------------------


def test_opening_through_the_form_keeps_the_text_on_error(setting: Setting) -> None:
    client = Client()
    client.force_login(setting.facilitator)
    response = client.post(
        reverse("discussions:discussion-start", args=[setting.community.slug]),
        {
            "title": "Anticipatory action",
            "purpose": "A purpose I wrote with care",
            "questions": "One?\nTwo?",
            "closes_at": "2001-01-01T10:00",
            "invited": "amina, nobody_here",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "A purpose I wrote with care" in page
    assert "Nobody is called: nobody_here." in page
    assert not Discussion.objects.exists()


def test_members_only_discussions_stay_hidden(setting: Setting) -> None:
    safe = make_community("Safe Space", slug="safe-space", visibility="members")
    add_member(safe, setting.facilitator, Role.FACILITATOR)
    discussion = actions.open_discussion(
        safe,
        actor=setting.facilitator,
        title="Protection concerns",
        purpose="Private",
        questions=["What happened?"],
        opens_at=None,
        closes_at=timezone.now() + datetime.timedelta(days=3),
    )
    client = Client()
    client.force_login(setting.outsider)
    assert client.get(discussion.exchange.get_absolute_url()).status_code == 404
    listing = client.get("/api/v1/discussions/")
    assert "Protection concerns" not in listing.content.decode()


def test_a_discussion_exchange_made_elsewhere_still_works(setting: Setting) -> None:
    """A hand-off's copy or older data has no Discussion row: the page and the close work."""
    exchange = make_exchange(
        setting.community, author=setting.facilitator, title="Copied discussion", kind="discussion"
    )
    assert Client().get(exchange.get_absolute_url()).status_code == 200
    discussion = queries.discussion_for(setting.facilitator, exchange.pk)
    draft = actions.close_discussion(discussion, actor=setting.facilitator)
    assert Discussion.objects.filter(pk=exchange.pk, facilitator=setting.facilitator).exists()
    assert draft.discussion_id == exchange.pk
