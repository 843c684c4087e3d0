"""An ended community's after-action review becomes a lessons-learned record with its audience."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from solex.accounts.models import User
from solex.accounts.testing import TEST_PASSWORD, make_partner, make_staff
from solex.communities import actions as community_actions
from solex.communities.models import AuditEntry, Community, Role, Visibility
from solex.communities.testing import add_member, make_community
from solex.knowledge import actions
from solex.knowledge.models import KnowledgeItem, LessonLearned

pytestmark = pytest.mark.django_db

REVIEW = actions.AfterActionReview(
    title="Cash transfers reached families faster than food parcels",
    summary="Mobile money worked where markets were open; it failed where networks were down.",
    context="Cyclone response in Sofala, March to June.",
    what_worked="Mobile money through existing agents.",
    what_did_not_work="Coverage maps were wrong; two districts had no network for weeks.",
    why="The operator's maps predated the cyclone.",
    recommendation="Check network coverage on the ground before choosing cash.",
    evidence="Survey: https://example.org/survey",
    body="We compared **three** districts.\n\n<script>alert(1)</script>",
)


def logged_in(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=TEST_PASSWORD)
    return client


def counts() -> tuple[int, int, int]:
    return (
        KnowledgeItem.objects.count(),
        LessonLearned.objects.count(),
        AuditEntry.objects.filter(action=AuditEntry.Action.REVIEW_RECORDED).count(),
    )


@pytest.fixture
def coordinator() -> User:
    return make_staff("coco", name="Coco Coordinator")


def ended_community(coordinator: User, **fields: Any) -> Community:
    community = make_community(
        "Cyclone response",
        slug="cyclone-response",
        coordinator=coordinator,
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
        is_crisis=True,
        **fields,
    )
    community_actions.close_expired_communities()
    community.refresh_from_db()
    return community


def test_the_coordinator_records_the_review_and_the_prompt_goes_away(
    coordinator: User, staff: User
) -> None:
    community = ended_community(coordinator, visibility=Visibility.PUBLIC)
    add_member(community, staff)
    client = logged_in(coordinator)
    assert (
        "Record the after-action review"
        in client.get(community.get_absolute_url()).content.decode()
    )
    response = client.post(
        reverse("knowledge:after-action-review", args=[community.slug]),
        {
            "title": REVIEW.title,
            "summary": REVIEW.summary,
            "context": REVIEW.context,
            "what_worked": REVIEW.what_worked,
            "what_did_not_work": REVIEW.what_did_not_work,
            "why": REVIEW.why,
            "recommendation": REVIEW.recommendation,
            "evidence": REVIEW.evidence,
            "body": REVIEW.body,
            "contributors": [staff.pk],
        },
        follow=True,
    )
    html = response.content.decode()
    assert "The lesson is recorded" in html
    assert "two districts had no network for weeks" in html
    assert "<strong>three</strong>" in html and "<script>alert" not in html
    assert 'href="https://example.org/survey"' in html
    item = KnowledgeItem.objects.get()
    assert item.kind == KnowledgeItem.Kind.LESSON_LEARNED
    assert set(item.contributors.all()) == {coordinator, staff}
    page = client.get(community.get_absolute_url()).content.decode()
    assert "Record the after-action review" not in page
    assert "Lessons learned from this community" in page
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REVIEW_RECORDED)
    assert (entry.actor, entry.detail) == (coordinator, REVIEW.title)


def test_a_facilitator_may_record_it_but_a_member_may_not(coordinator: User, staff: User) -> None:
    community = ended_community(coordinator)
    facilitator = make_staff("fatou")
    add_member(community, facilitator, Role.FACILITATOR)
    add_member(community, staff, Role.EXPERT)
    with pytest.raises(PermissionDenied):
        actions.record_after_action_review(community, actor=staff, review=REVIEW)
    assert counts() == (0, 0, 0)
    url = reverse("knowledge:after-action-review", args=[community.slug])
    assert logged_in(staff).get(url).status_code == 403
    actions.record_after_action_review(community, actor=facilitator, review=REVIEW)
    assert counts() == (1, 1, 1)


def test_a_review_that_leaves_out_what_did_not_work_is_refused(coordinator: User) -> None:
    community = ended_community(coordinator)
    url = reverse("knowledge:after-action-review", args=[community.slug])
    response = logged_in(coordinator).post(
        url,
        {
            "title": REVIEW.title,
            "summary": REVIEW.summary,
            "context": REVIEW.context,
            "what_worked": REVIEW.what_worked,
            "what_did_not_work": "  ",
            "recommendation": REVIEW.recommendation,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "What did not work" in html and "This field is required." in html
    assert REVIEW.context in html  # what was typed is kept
    with pytest.raises(ValidationError, match="failures teach"):
        actions.record_after_action_review(
            community,
            actor=coordinator,
            review=actions.AfterActionReview(**{**REVIEW.__dict__, "what_did_not_work": ""}),
        )
    assert counts() == (0, 0, 0)
    community.refresh_from_db()
    assert community.is_review_due


def test_contributors_must_be_members(coordinator: User) -> None:
    community = ended_community(coordinator)
    with pytest.raises(ValidationError, match="members of the community"):
        actions.record_after_action_review(
            community, actor=coordinator, review=REVIEW, contributors=[make_staff("stranger")]
        )
    assert counts() == (0, 0, 0)


def test_the_review_waits_until_the_community_has_ended(coordinator: User) -> None:
    community = make_community("Running", coordinator=coordinator)
    with pytest.raises(ValidationError, match="has ended"):
        actions.record_after_action_review(community, actor=coordinator, review=REVIEW)
    assert counts() == (0, 0, 0)
    page = logged_in(coordinator).get(
        reverse("knowledge:after-action-review", args=[community.slug])
    )
    assert "comes when the community has ended" in page.content.decode()
    assert '<form method="post">' not in page.content.decode()


def test_a_safe_space_lesson_is_404_for_outsiders_and_absent_from_the_library(
    coordinator: User, staff: User
) -> None:
    community = ended_community(coordinator, visibility=Visibility.MEMBERS)
    item = actions.record_after_action_review(community, actor=coordinator, review=REVIEW)
    for outsider in (staff, make_partner("pedro")):
        client = logged_in(outsider)
        assert client.get(item.get_absolute_url()).status_code == 404
        assert REVIEW.title not in client.get(reverse("knowledge:item-list")).content.decode()
        review_url = reverse("knowledge:after-action-review", args=[community.slug])
        assert client.get(review_url).status_code == 404
    assert Client().get(item.get_absolute_url()).status_code == 404
    member_view = logged_in(coordinator).get(item.get_absolute_url()).content.decode()
    assert REVIEW.title in member_view and "From a safe space" in member_view


def test_an_organisation_lesson_is_for_staff_only(coordinator: User, staff: User) -> None:
    community = ended_community(coordinator, visibility=Visibility.ORGANISATION)
    item = actions.record_after_action_review(community, actor=coordinator, review=REVIEW)
    assert logged_in(staff).get(item.get_absolute_url()).status_code == 200
    assert logged_in(make_partner("pedro")).get(item.get_absolute_url()).status_code == 404
    listed = logged_in(staff).get(reverse("knowledge:item-list"), {"community": community.slug})
    assert REVIEW.title in listed.content.decode()


def test_the_library_list_takes_a_fixed_number_of_queries(
    coordinator: User, django_assert_max_num_queries: Any
) -> None:
    community = ended_community(coordinator, visibility=Visibility.PUBLIC)
    for _number in range(5):
        actions.record_after_action_review(community, actor=coordinator, review=REVIEW)
    with django_assert_max_num_queries(4):
        response = Client().get(reverse("knowledge:item-list"))
    assert response.content.decode().count(REVIEW.title) == 5
