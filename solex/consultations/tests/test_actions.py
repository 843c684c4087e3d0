"""Consultations through their actions: start, comment, revise, close, answer, publish."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from solex.consultations import actions, drafting, paragraphs, queries
from solex.consultations.models import CommentRecord, DraftVersion, Response, SummaryDraft
from solex.consultations.tasks import close_due_consultations
from solex.consultations.testing import DRAFT, Setting, make_setting, start
from solex.exchanges.models import Exchange, Reply, Status
from solex.exchanges.workspace.queries import queue
from solex.knowledge.models import KnowledgeItem
from solex.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting() -> Setting:
    return make_setting()


# --- Paragraphs ---------------------------------------------------------------------------


def test_paragraphs_are_numbered_without_headings() -> None:
    blocks = paragraphs.split(DRAFT)
    numbered = [b for b in blocks if b["number"]]
    assert [b["number"] for b in numbered] == [1, 2, 3, 4]
    assert numbered[1]["text"].startswith("Every child under five")
    # The draft's "# Title" is shown as a level-3 heading under the page's own.
    assert blocks[0]["number"] is None and blocks[0]["html"].startswith("<h3>")


def test_a_list_and_a_fenced_block_stay_one_paragraph_each() -> None:
    text = "Intro line\ncontinues here.\n\n- one\n- two\n\n```\ncode\n\nmore code\n```\n\nEnd."
    assert [b["number"] for b in paragraphs.split(text)] == [1, 2, 3, 4]
    assert "more code" in paragraphs.split(text)[2]["text"]


# --- Starting -----------------------------------------------------------------------------


def test_a_member_starts_a_consultation_with_version_1(setting: Setting) -> None:
    exchange = start(setting)
    assert exchange.kind == "consultation" and exchange.status == Status.OPEN
    assert exchange.closes_at is not None and exchange.closes_at > timezone.now()
    version = DraftVersion.objects.get(exchange=exchange)
    assert version.number == 1 and version.paragraph_count == 4
    assert exchange.get_absolute_url() == f"/consultations/{exchange.pk}/"
    assert Notification.objects.filter(
        recipient=setting.facilitator, kind="consultation.started"
    ).exists()


def test_a_deadline_in_the_past_is_refused(setting: Setting) -> None:
    with pytest.raises(ValidationError) as caught:
        start(setting, closes_in=-datetime.timedelta(hours=1))
    assert "past" in str(caught.value.message_dict["closes_at"])
    assert not Exchange.objects.exists()


def test_an_empty_or_heading_only_draft_is_refused(setting: Setting) -> None:
    with pytest.raises(ValidationError) as caught:
        start(setting, body="   ")
    assert "empty" in str(caught.value.message_dict["body"])
    with pytest.raises(ValidationError) as caught:
        start(setting, body="# Only a title")
    assert "paragraph" in str(caught.value.message_dict["body"])


def test_an_oversize_draft_is_refused(setting: Setting) -> None:
    with pytest.raises(ValidationError) as caught:
        start(setting, body="word " * 20_000)
    assert "too long" in str(caught.value.message_dict["body"])


def test_an_outsider_cannot_start_one(setting: Setting) -> None:
    with pytest.raises(PermissionDenied):
        actions.start_consultation(
            setting.community,
            actor=setting.outsider,
            title="My own consultation",
            purpose="p",
            body="Text.",
            closes_at=timezone.now() + datetime.timedelta(days=3),
        )


# --- Commenting ---------------------------------------------------------------------------


def test_comments_remember_paragraph_and_version(setting: Setting) -> None:
    exchange = start(setting)
    reply = actions.comment(
        exchange, actor=setting.amina, body="Add disability grants.", paragraph=2
    )
    assert reply.paragraph == 2
    assert CommentRecord.objects.get(reply=reply).version == 1
    exchange.refresh_from_db()
    assert exchange.reply_count == 1
    # The owner hears of it through the exchanges' own notifications.
    assert Notification.objects.filter(recipient=setting.owner).exists()


def test_a_paragraph_that_does_not_exist_is_refused(setting: Setting) -> None:
    exchange = start(setting)
    with pytest.raises(ValidationError) as caught:
        actions.comment(exchange, actor=setting.amina, body="Here", paragraph=14)
    assert "no paragraph 14" in str(caught.value.message_dict["paragraph"])
    with pytest.raises(ValidationError):
        actions.comment(exchange, actor=setting.amina, body="Here", paragraph=1, version=3)
    assert not Reply.objects.exists()


def test_empty_and_oversize_comments_are_refused(setting: Setting) -> None:
    exchange = start(setting)
    with pytest.raises(ValidationError):
        actions.comment(exchange, actor=setting.amina, body="  ")
    with pytest.raises(ValidationError) as caught:
        actions.comment(exchange, actor=setting.amina, body="x" * 20_001)
    assert "too long" in str(caught.value)


def test_a_reply_threads_under_its_comment_on_the_same_paragraph(setting: Setting) -> None:
    exchange = start(setting)
    first = actions.comment(exchange, actor=setting.amina, body="Too narrow.", paragraph=3)
    answer = actions.comment(exchange, actor=setting.carlos, body="Agreed.", parent=first)
    assert answer.parent_id == first.pk and answer.paragraph == 3
    roots = queries.threads(queries.comments_of(exchange))
    assert [r.reply.pk for r in roots] == [first.pk]
    assert [c.reply.pk for c in roots[0].children] == [answer.pk]


def test_no_comment_after_the_deadline_or_the_close(setting: Setting) -> None:
    exchange = start(setting)
    Exchange.objects.filter(pk=exchange.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    exchange.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        actions.comment(exchange, actor=setting.amina, body="Late")
    assert "deadline" in str(caught.value)
    other = start(setting, title="Regional strategy draft")
    actions.close_consultation(other, actor=setting.owner)
    with pytest.raises(ValidationError) as caught:
        actions.comment(other, actor=setting.amina, body="Late")
    assert "closed" in str(caught.value)


def test_no_comment_before_an_upcoming_consultation_opens(setting: Setting) -> None:
    exchange = start(setting)
    Exchange.objects.filter(pk=exchange.pk).update(
        opens_at=timezone.now() + datetime.timedelta(days=2)
    )
    exchange.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        actions.comment(exchange, actor=setting.amina, body="Early")
    assert "Comments open on" in str(caught.value)


def test_an_outsider_cannot_comment(setting: Setting) -> None:
    exchange = start(setting)
    with pytest.raises(PermissionDenied):
        actions.comment(exchange, actor=setting.outsider, body="Hello")


# --- Versions -----------------------------------------------------------------------------


def test_a_new_version_keeps_the_old_one_and_its_comments(setting: Setting) -> None:
    exchange = start(setting)
    old = actions.comment(exchange, actor=setting.amina, body="Add disability.", paragraph=2)
    version = actions.post_version(
        exchange,
        actor=setting.owner,
        body=DRAFT + "\nPersons with disabilities receive a disability grant.\n",
        note="Added a disability grant.",
    )
    assert version.number == 2 and version.paragraph_count == 5
    assert [v.number for v in queries.versions_of(exchange)] == [1, 2]
    exchange.refresh_from_db()
    assert "disability grant" in exchange.body
    new = actions.comment(exchange, actor=setting.carlos, body="Good.", paragraph=5)
    versions = {c.reply.pk: c.version for c in queries.comments_of(exchange)}
    assert versions == {old.pk: 1, new.pk: 2}
    # Amina, who commented, hears of the new version.
    assert Notification.objects.filter(
        recipient=setting.amina, kind="consultation.version"
    ).exists()
    # Commenting on version 1 still works (someone typing while it changed loses nothing).
    late = actions.comment(exchange, actor=setting.carlos, body="On v1", paragraph=4, version=1)
    assert CommentRecord.objects.get(reply=late).version == 1


def test_only_the_owner_or_a_facilitator_posts_a_version(setting: Setting) -> None:
    exchange = start(setting)
    with pytest.raises(PermissionDenied):
        actions.post_version(exchange, actor=setting.amina, body="Another text.")
    actions.post_version(exchange, actor=setting.facilitator, body="Another text.")
    with pytest.raises(ValidationError):
        actions.post_version(exchange, actor=setting.owner, body="Another text.")


# --- Closing and the summary ----------------------------------------------------------------


def _commented(setting: Setting) -> tuple[Exchange, Reply, Reply, Reply]:
    exchange = start(setting)
    a = actions.comment(
        exchange,
        actor=setting.amina,
        body="Mobile money coverage is poor in rural districts. Keep cash payments everywhere.",
        paragraph=4,
    )
    c = actions.comment(
        exchange,
        actor=setting.carlos,
        body="Mobile money coverage in rural districts is too thin; cash payments must stay.",
        paragraph=4,
    )
    w = actions.comment(exchange, actor=setting.carlos, body="The draft lacks a budget.")
    return exchange, a, c, w


def test_the_deadline_task_closes_and_drafts_the_summary(setting: Setting) -> None:
    exchange, *_ = _commented(setting)
    Exchange.objects.filter(pk=exchange.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert close_due_consultations.call() == 1
    assert close_due_consultations.call() == 0
    exchange.refresh_from_db()
    assert exchange.status == Status.CLOSED and exchange.closed_by is None
    draft = SummaryDraft.objects.get(exchange=exchange)
    assert "Version 1, paragraph 4 (2 comments)" in draft.body
    assert "Amina" in draft.body and "Carlos" in draft.body
    assert Notification.objects.filter(recipient=setting.owner, kind="consultation.closed").exists()


def test_an_open_consultation_with_a_future_deadline_stays_open(setting: Setting) -> None:
    exchange = start(setting)
    assert actions.close_due() == 0
    exchange.refresh_from_db()
    assert exchange.is_open


def test_the_draft_groups_main_points_shared_by_two_people(setting: Setting) -> None:
    exchange, *_ = _commented(setting)
    text = drafting.compose(exchange)
    assert "## Main points" in text.body
    assert "(2 people)" in text.body
    assert "3 comments from 2 people" in text.summary


def test_answers_and_publication_tell_each_contributor(setting: Setting) -> None:
    exchange, a, c, w = _commented(setting)
    draft = actions.close_consultation(exchange, actor=setting.owner)
    with pytest.raises(ValidationError) as caught:
        actions.respond(a, actor=setting.owner, response=Response.NOT_TAKEN_UP, reason="")
    assert "reason" in str(caught.value.message_dict["reason"]).lower()
    with pytest.raises(PermissionDenied):
        actions.respond(a, actor=setting.carlos, response=Response.TAKEN_UP)
    actions.respond(a, actor=setting.owner, response=Response.TAKEN_UP)
    actions.respond(
        c, actor=setting.owner, response=Response.PARTLY, reason="Cash stays in 3 districts."
    )
    item = actions.publish_summary(
        draft,
        actor=setting.owner,
        version=draft.version,
        title=draft.title,
        summary=draft.summary,
        body=draft.body,
    )
    assert item.kind == KnowledgeItem.Kind.CONSULTATION_SUMMARY
    assert item.source_exchange_id == exchange.pk
    assert set(item.contributors.values_list("username", flat=True)) == {"amina", "carlos"}
    assert "You said, we did" in item.body and "Cash stays in 3 districts." in item.body_html
    amina = Notification.objects.get(recipient=setting.amina, kind="consultation.summary")
    assert "1 taken up" in amina.text and amina.target_url.endswith("/summary/")
    carlos = Notification.objects.get(recipient=setting.carlos, kind="consultation.summary")
    assert "1 partly taken up" in carlos.text and "1 without an answer" in carlos.text
    # Answers are final once published.
    with pytest.raises(ValidationError):
        actions.respond(w, actor=setting.owner, response=Response.TAKEN_UP)


def test_an_empty_summary_is_not_published(setting: Setting) -> None:
    exchange, *_ = _commented(setting)
    draft = actions.close_consultation(exchange, actor=setting.owner)
    with pytest.raises(ValidationError) as caught:
        actions.publish_summary(
            draft, actor=setting.owner, version=draft.version, title="T", summary="S", body="  "
        )
    assert "empty" in str(caught.value.message_dict["body"])
    assert not KnowledgeItem.objects.exists()


def test_two_editors_at_once_the_second_is_told_and_nothing_is_overwritten(
    setting: Setting,
) -> None:
    exchange, *_ = _commented(setting)
    draft = actions.close_consultation(exchange, actor=setting.owner)
    opened = draft.version
    actions.save_summary(
        draft, actor=setting.owner, version=opened, title="T", summary="S", body="Owner's text"
    )
    with pytest.raises(actions.SummaryConflictError) as caught:
        actions.save_summary(
            draft,
            actor=setting.facilitator,
            version=opened,
            title="T",
            summary="S",
            body="Facilitator's text",
        )
    assert "Owner" in str(caught.value)
    draft.refresh_from_db()
    assert draft.body == "Owner's text"


def test_the_summary_waits_for_the_close(setting: Setting) -> None:
    exchange = start(setting)
    with pytest.raises(ValidationError):
        actions.open_summary(exchange, actor=setting.owner)


def test_a_members_only_consultation_is_invisible_to_outsiders() -> None:
    setting = make_setting(visibility="members", prefix="safe")
    exchange = start(setting)
    with pytest.raises(Http404):
        queries.consultation_for(setting.outsider, exchange.pk)
    assert queries.consultation_for(setting.amina, exchange.pk) == exchange


def test_a_closed_consultation_waits_in_the_queue_until_its_summary_is_out(
    setting: Setting,
) -> None:
    exchange, *_ = _commented(setting)
    draft = actions.close_consultation(exchange, actor=setting.owner)
    waiting = [i for i in queue(setting.facilitator).items if i.kind == "consultation_summary_due"]
    assert [i.exchange for i in waiting] == [exchange]
    assert waiting[0].label == "Feedback summary due"
    actions.publish_summary(
        draft, actor=setting.owner, version=draft.version, title="T", summary="S", body="B"
    )
    assert not [i for i in queue(setting.facilitator).items if i.kind == "consultation_summary_due"]
