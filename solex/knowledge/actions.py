"""Every change to the knowledge library: permission check, write, audit, in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from solex.accounts.models import User
from solex.communities import actions as community_actions
from solex.communities import permissions as community_policy
from solex.communities.models import Community, Membership
from solex.core.markdown import render_markdown
from solex.knowledge.models import KnowledgeItem, LessonLearned

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class AfterActionReview:
    """What an after-action review records: what worked, and just as much what did not."""

    title: str
    summary: str
    context: str
    what_worked: str
    what_did_not_work: str
    recommendation: str
    why: str = ""
    evidence: str = ""
    body: str = ""


def _required(review: AfterActionReview) -> None:
    errors: dict[str, str] = {}
    if not review.what_worked.strip():
        errors["what_worked"] = _("Say what worked, so others can repeat it.")
    if not review.what_did_not_work.strip():
        errors["what_did_not_work"] = _(
            "Say what did not work: failures teach as much as successes. "
            "If nothing failed, say what came closest."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_after_action_review(
    community: Community,
    *,
    actor: AnyUser,
    review: AfterActionReview,
    contributors: Iterable[User] = (),
) -> KnowledgeItem:
    """Record an ended community's after-action review as a lessons-learned item.

    Coordinators and facilitators only, once the community has ended. The lesson has
    the community's audience; the community notes that its review is done (and its
    audit log says who recorded it).
    """
    community_policy.check_lead_after_action_review(actor, community)
    if not isinstance(actor, User):
        raise PermissionDenied(_("Log in first."))
    _required(review)
    people = {person.pk: person for person in contributors}
    people[actor.pk] = actor
    outsiders = set(people) - set(
        Membership.objects.filter(community=community, user_id__in=people).values_list(
            "user_id", flat=True
        )
    )
    outsiders.discard(actor.pk)  # a site admin may record it without being a member
    if outsiders:
        raise ValidationError({"contributors": _("Contributors must be members of the community.")})
    item = KnowledgeItem(
        kind=KnowledgeItem.Kind.LESSON_LEARNED,
        title=review.title.strip(),
        summary=review.summary.strip(),
        body=review.body.strip(),
        community=community,
        created_by=actor,
    )
    item.body_html = render_markdown(item.body) if item.body else ""
    lesson = LessonLearned(
        context=review.context.strip(),
        what_worked=review.what_worked.strip(),
        what_did_not_work=review.what_did_not_work.strip(),
        why=review.why.strip(),
        recommendation=review.recommendation.strip(),
        evidence=review.evidence.strip(),
    )
    item.full_clean()
    lesson.full_clean(exclude=["item"])
    item.save()
    lesson.item = item
    lesson.save()
    item.contributors.set(people.values())
    community_actions.mark_after_action_review_recorded(community, actor=actor, title=item.title)
    return item
