"""Every change to the knowledge library: permission check, write, in one transaction.

Contributing (``contribute``), editing (``edit_item``: the previous version is kept
as an ``ItemVersion``), reviewing (``confirm_review``, ``archive_item``), use
(``record_view``, ``record_download``, ``vote_useful``), attachments and handovers.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from solex.accounts.models import User
from solex.communities import actions as community_actions
from solex.communities import permissions as community_policy
from solex.communities.models import Community, Membership, RoleAssignment
from solex.core import files
from solex.core.markdown import render_markdown
from solex.knowledge import kinds
from solex.knowledge import permissions as policy
from solex.knowledge.models import (
    Audience,
    Handover,
    ItemAttachment,
    ItemLink,
    ItemVersion,
    KnowledgeItem,
    LessonLearned,
    UsefulVote,
)
from solex.notifications.actions import notify
from solex.taxonomy.models import Topic

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
        owner=actor,
        review_due=default_review_due(),
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


# --- Contributing and editing ------------------------------------------------------------

#: How long an item stays fresh before it waits in the review queue.
REVIEW_INTERVAL = datetime.timedelta(days=365)
COUNTRY = re.compile(r"^[A-Z]{2}$")
# Links to items in text: /knowledge/items/12/ or /knowledge/consolidated-replies/12/.
ITEM_LINK = re.compile(r"/knowledge/(?:items|consolidated-replies)/(\d{1,12})/")


def default_review_due(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + REVIEW_INTERVAL


@dataclass
class ItemInput:
    """What a contributor writes: the common fields and the kind's structured ones."""

    title: str
    summary: str
    body: str = ""
    structured: dict[str, str] = field(default_factory=dict)
    methods: list[dict[str, str]] = field(default_factory=list)
    topics: Sequence[Topic] = ()
    countries: Sequence[str] = ()
    regions: Sequence[str] = ()
    language: str = ""
    audience: str = Audience.COMMUNITY
    review_due: datetime.date | None = None
    contributors: Sequence[User] = ()


def parse_list(text: str) -> list[str]:
    """ "KE, UG; TZ" → ["KE", "UG", "TZ"]: commas, semicolons or new lines."""
    return [part.strip() for part in re.split(r"[,;\n]", text or "") if part.strip()]


def _validate(kind: str, data: ItemInput, community: Community) -> dict[str, Any]:
    """Check the input against the kind's fields; returns the cleaned structured values."""
    spec = kinds.spec_for(kind)
    if spec is None:
        raise ValidationError({"kind": _("This kind of item is not written here.")})
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Give the item a title.")
    elif len(data.title.strip()) > 200:
        errors["title"] = _("Keep the title under 200 characters.")
    if not data.summary.strip():
        errors["summary"] = _("Write a short summary: it is what readers of the library see first.")
    elif len(data.summary.strip()) > 500:
        errors["summary"] = _("Keep the summary under 500 characters.")
    values: dict[str, Any] = {}
    for spec_field in spec.fields:
        value = str(data.structured.get(spec_field.name, "") or "").strip()
        if spec_field.required and not value:
            errors[spec_field.name] = _("Fill in “%(field)s”: this kind of item needs it.") % {
                "field": spec_field.label
            }
        elif len(value) > 20000:
            errors[spec_field.name] = _("Keep this under 20,000 characters.")
        values[spec_field.name] = value
    if spec.has_methods:
        methods = kinds.clean_methods(data.methods)
        if not methods:
            errors["methods"] = _("Name at least one knowledge-sharing method.")
        values["methods"] = methods
    bad = [code for code in data.countries if not COUNTRY.match(code.strip().upper())]
    if bad:
        errors["countries"] = _(
            "Use two-letter ISO country codes, such as KE or TZ; not: %(bad)s"
        ) % {"bad": ", ".join(bad[:5])}
    if data.language and data.language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose one of the languages offered.")
    try:
        policy.check_audience_allowed(community, data.audience)
    except ValidationError as error:
        errors.update({name: " ".join(msgs) for name, msgs in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    return values


def _lesson_fields(values: dict[str, Any]) -> dict[str, str]:
    return {name: str(values.get(name, "")) for name in kinds.LESSON_FIELDS}


def _store_structured(item: KnowledgeItem, values: dict[str, Any]) -> None:
    if item.kind == KnowledgeItem.Kind.LESSON_LEARNED:
        LessonLearned.objects.update_or_create(item=item, defaults=_lesson_fields(values))
        item.__dict__.pop("_lesson_cache", None)
        return
    item.details = values
    item.save(update_fields=["details"])


def refresh_links(item: KnowledgeItem) -> None:
    """Record which items this one links to (reuse, and related items)."""
    text = " ".join([item.body, *(str(value) for value in kinds.structured_values(item).values())])
    targets = {int(pk) for pk in ITEM_LINK.findall(text)} - {item.pk}
    existing = set(KnowledgeItem.objects.filter(pk__in=targets).values_list("pk", flat=True))
    ItemLink.objects.filter(source=item).exclude(target_id__in=existing).delete()
    ItemLink.objects.bulk_create(
        [ItemLink(source=item, target_id=pk) for pk in existing], ignore_conflicts=True
    )


def _members_only(community: Community, people: Iterable[User], actor: User) -> list[User]:
    chosen = {person.pk: person for person in people}
    if not chosen:
        return []
    members = set(
        Membership.objects.filter(community=community, user_id__in=chosen).values_list(
            "user_id", flat=True
        )
    )
    if set(chosen) - members - {actor.pk}:
        raise ValidationError({"contributors": _("Contributors must be members of the community.")})
    return list(chosen.values())


def _signed_in(actor: AnyUser) -> User:
    if not isinstance(actor, User) or not actor.is_active:
        raise PermissionDenied(_("Log in first."))
    return actor


@transaction.atomic
def contribute(
    community: Community, *, actor: AnyUser, kind: str, data: ItemInput
) -> KnowledgeItem:
    """A member adds an item of one of the contributed kinds to the community's library.

    The contributor owns it and is credited; it is due for review in a year unless a
    review date is given.
    """
    policy.check_contribute(actor, community)
    user = _signed_in(actor)
    if kind not in kinds.CONTRIBUTED:
        raise ValidationError({"kind": _("Choose one of the kinds of item offered.")})
    values = _validate(kind, data, community)
    contributors = _members_only(community, data.contributors, user)
    item = KnowledgeItem.objects.create(
        kind=kind,
        title=data.title.strip(),
        summary=data.summary.strip(),
        body=data.body.strip(),
        body_html=render_markdown(data.body.strip()) if data.body.strip() else "",
        community=community,
        created_by=user,
        owner=user,
        audience=data.audience,
        language=data.language,
        countries=sorted({code.strip().upper() for code in data.countries}),
        regions=[region[:80] for region in data.regions][:20],
        review_due=data.review_due or default_review_due(),
    )
    _store_structured(item, values)
    item.topics.set(data.topics)
    item.contributors.set([user, *contributors])
    refresh_links(item)
    return item


def _snapshot(item: KnowledgeItem, *, replaced_by: User) -> ItemVersion:
    return ItemVersion.objects.create(
        item=item,
        number=item.version,
        title=item.title,
        summary=item.summary,
        body=item.body,
        body_html=item.body_html,
        structured=kinds.structured_values(item),
        written_by_id=item.updated_by_id or item.created_by_id,
        written_at=item.updated_at or item.created_at,
        replaced_by=replaced_by,
    )


@transaction.atomic
def edit_item(item: KnowledgeItem, *, actor: AnyUser, data: ItemInput) -> KnowledgeItem:
    """Write a new version; the previous one stays readable in the item's history.

    A reviewer's edit also counts as a review (the item is fresh again).
    """
    policy.check_edit_item(actor, item)
    user = _signed_in(actor)
    locked = KnowledgeItem.objects.select_for_update().select_related("community").get(pk=item.pk)
    spec = kinds.spec_for(locked.kind)
    if spec is not None:
        values = _validate(locked.kind, data, locked.community)
    else:
        # Kinds written by other flows (syntheses, summaries): the common fields only.
        values = {}
        _validate_common(data, locked.community)
    _snapshot(locked, replaced_by=user)
    now = timezone.now()
    locked.title = data.title.strip()
    locked.summary = data.summary.strip()
    locked.body = data.body.strip()
    locked.body_html = render_markdown(locked.body) if locked.body else ""
    locked.audience = data.audience
    locked.language = data.language
    locked.countries = sorted({code.strip().upper() for code in data.countries})
    locked.regions = [region[:80] for region in data.regions][:20]
    locked.version = locked.version + 1
    locked.updated_at = now
    locked.updated_by = user
    if data.review_due is not None:
        locked.review_due = data.review_due
    if policy.can_review_item(user, locked):
        locked.last_reviewed_at = now
        locked.last_reviewed_by = user
        if data.review_due is None or data.review_due <= timezone.localdate():
            locked.review_due = default_review_due()
    locked.save()
    if spec is not None:
        _store_structured(locked, values)
    locked.topics.set(data.topics)
    if data.contributors:
        extra = _members_only(locked.community, data.contributors, user)
        locked.contributors.add(*extra)
    locked.contributors.add(user)
    refresh_links(locked)
    return locked


def _validate_common(data: ItemInput, community: Community) -> None:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Give the item a title.")
    if not data.summary.strip():
        errors["summary"] = _("Write a short summary: it is what readers of the library see first.")
    try:
        policy.check_audience_allowed(community, data.audience)
    except ValidationError as error:
        errors.update({name: " ".join(msgs) for name, msgs in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)


# --- Attachments ------------------------------------------------------------------------------


def attach_file(item: KnowledgeItem, *, actor: AnyUser, upload: Any) -> ItemAttachment:
    """Attach a file; its text is extracted in the background for search.

    A file Solex refuses (not what its name says, a type it does not take, too big)
    never loses the item: the attachment is recorded without its content, with the
    reason, and shows as "text not extracted".
    """
    user = _signed_in(actor)
    if not (policy.can_edit_item(user, item) or user.pk in (item.created_by_id, item.owner_id)):
        raise PermissionDenied(_("Only the people who may update this item attach files to it."))
    name = str(getattr(upload, "name", "") or "file")[:255]
    try:
        with transaction.atomic():
            stored = files.accept_upload(upload)
    except ValidationError as error:
        return ItemAttachment.objects.create(
            item=item, name=name, refusal=" ".join(error.messages)[:500], uploaded_by=user
        )
    return ItemAttachment.objects.create(
        item=item, file=stored, name=stored.original_name, uploaded_by=user
    )


def download_attachment(attachment: ItemAttachment, *, actor: AnyUser) -> FileResponse:
    """The file as a download, counted, for whoever may read the item."""
    policy.check_view_item(actor, attachment.item)
    if attachment.file is None:
        raise ValidationError(
            _("This file was not kept: %(reason)s") % {"reason": attachment.refusal}
        )
    record_download(attachment.item)
    return files.file_response(attachment.file, download_name=attachment.name)


# --- Freshness --------------------------------------------------------------------------------


@transaction.atomic
def confirm_review(
    item: KnowledgeItem, *, actor: AnyUser, next_review: datetime.date | None = None
) -> KnowledgeItem:
    """The item is still right: it is fresh until the next review date (a year by default)."""
    policy.check_review_item(actor, item)
    user = _signed_in(actor)
    community_policy.check_not_archived(item.community)
    today = timezone.localdate()
    if next_review is not None and next_review <= today:
        raise ValidationError({"next_review": _("The next review date must be in the future.")})
    item.last_reviewed_at = timezone.now()
    item.last_reviewed_by = user
    item.review_due = next_review or default_review_due(today)
    item.status = KnowledgeItem.Status.PUBLISHED
    item.save(update_fields=["last_reviewed_at", "last_reviewed_by", "review_due", "status"])
    return item


@transaction.atomic
def archive_item(item: KnowledgeItem, *, actor: AnyUser) -> KnowledgeItem:
    """Out of date: the item stays readable at its address, marked archived, out of lists."""
    policy.check_review_item(actor, item)
    user = _signed_in(actor)
    community_policy.check_not_archived(item.community)
    if item.is_archived:
        raise ValidationError(_("This item is already archived."), code="archived")
    item.status = KnowledgeItem.Status.ARCHIVED
    item.last_reviewed_at = timezone.now()
    item.last_reviewed_by = user
    item.save(update_fields=["status", "last_reviewed_at", "last_reviewed_by"])
    owner = item.owner or item.created_by
    if owner is not None:
        notify(
            [owner],
            kind="knowledge.archived",
            text=gettext_lazy("An item you own was archived after its review: %(title)s")
            % {"title": item.title},
            target_url=item.get_absolute_url(),
            target_label=item.title,
            actor=user,
        )
    return item


# --- Use --------------------------------------------------------------------------------------


def record_view(item: KnowledgeItem) -> None:
    """Count a view (this one included in the count the page shows)."""
    KnowledgeItem.objects.filter(pk=item.pk).update(view_count=F("view_count") + 1)
    item.view_count += 1


def record_download(item: KnowledgeItem) -> None:
    KnowledgeItem.objects.filter(pk=item.pk).update(download_count=F("download_count") + 1)


@transaction.atomic
def vote_useful(item: KnowledgeItem, *, actor: AnyUser, useful: bool) -> KnowledgeItem:
    """One answer per person; answering again changes the answer, not the count."""
    policy.check_vote_useful(actor, item)
    user = _signed_in(actor)
    vote = UsefulVote.objects.select_for_update().filter(item=item, user=user).first()
    counter = "useful_yes" if useful else "useful_no"
    other = "useful_no" if useful else "useful_yes"
    if vote is None:
        UsefulVote.objects.create(item=item, user=user, useful=useful)
        KnowledgeItem.objects.filter(pk=item.pk).update(**{counter: F(counter) + 1})
    elif vote.useful != useful:
        vote.useful = useful
        vote.save(update_fields=["useful"])
        KnowledgeItem.objects.filter(pk=item.pk).update(
            **{counter: F(counter) + 1, other: F(other) - 1}
        )
    item.refresh_from_db(fields=["useful_yes", "useful_no"])
    return item


# --- Handovers -------------------------------------------------------------------------------


@dataclass
class HandoverInput:
    title: str
    role: str
    critical_knowledge: str
    ongoing_work: str = ""
    key_contacts: str = ""
    documents: str = ""
    audience: str = Audience.COMMUNITY


def _check_handover(data: HandoverInput, community: Community) -> None:
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Give the handover a title.")
    if not data.role.strip():
        errors["role"] = _("Say which role is handed over.")
    if not data.critical_knowledge.strip():
        errors["critical_knowledge"] = _(
            "Write down the critical knowledge: what your successor must know first."
        )
    try:
        policy.check_audience_allowed(community, data.audience)
    except ValidationError as error:
        errors.update({name: " ".join(msgs) for name, msgs in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def start_handover(
    community: Community, *, actor: AnyUser, successor: User, data: HandoverInput
) -> Handover:
    """The leaver drafts a handover for a named successor, a member of the community."""
    policy.check_start_handover(actor, community)
    user = _signed_in(actor)
    if successor.pk == user.pk:
        raise ValidationError({"successor": _("Name the person who takes over from you.")})
    if not community_policy.is_member(successor, community):
        raise ValidationError({"successor": _("The successor must be a member of the community.")})
    _check_handover(data, community)
    handover = Handover.objects.create(
        community=community,
        leaver=user,
        successor=successor,
        title=data.title.strip()[:200],
        role=data.role.strip()[:200],
        critical_knowledge=data.critical_knowledge.strip(),
        ongoing_work=data.ongoing_work.strip(),
        key_contacts=data.key_contacts.strip(),
        documents=data.documents.strip(),
        audience=data.audience,
    )
    notify(
        [successor],
        kind="knowledge.handover",
        text=gettext_lazy("%(name)s started a handover for you to review: %(title)s")
        % {"name": user.name, "title": handover.title},
        target_url=handover.get_absolute_url(),
        target_label=handover.title,
        actor=user,
    )
    return handover


@transaction.atomic
def update_handover(handover: Handover, *, actor: AnyUser, data: HandoverInput) -> Handover:
    """Either of the two edits the draft; any change clears both signatures."""
    policy.check_edit_handover(actor, handover)
    _check_handover(data, handover.community)
    handover.title = data.title.strip()[:200]
    handover.role = data.role.strip()[:200]
    handover.critical_knowledge = data.critical_knowledge.strip()
    handover.ongoing_work = data.ongoing_work.strip()
    handover.key_contacts = data.key_contacts.strip()
    handover.documents = data.documents.strip()
    handover.audience = data.audience
    handover.leaver_signed_at = None
    handover.successor_signed_at = None
    handover.updated_at = timezone.now()
    handover.save()
    return handover


@transaction.atomic
def sign_handover(handover: Handover, *, actor: AnyUser) -> Handover:
    """The leaver or the successor signs off the handover as it stands."""
    policy.check_edit_handover(actor, handover)
    user = _signed_in(actor)
    now = timezone.now()
    if user.pk == handover.leaver_id:
        handover.leaver_signed_at = now
        other = handover.successor
    else:
        handover.successor_signed_at = now
        other = handover.leaver
    handover.save(update_fields=["leaver_signed_at", "successor_signed_at"])
    notify(
        [other],
        kind="knowledge.handover",
        text=gettext_lazy("%(name)s signed off the handover: %(title)s")
        % {"name": user.name, "title": handover.title},
        target_url=handover.get_absolute_url(),
        target_label=handover.title,
        actor=user,
    )
    return handover


@transaction.atomic
def publish_handover(handover: Handover, *, actor: AnyUser) -> KnowledgeItem:
    """Once both signed: a handover note in the library, with the audience chosen."""
    policy.check_edit_handover(actor, handover)
    user = _signed_in(actor)
    if not handover.both_signed:
        raise ValidationError(
            _("Both the leaver and the successor sign off before the handover is published."),
            code="unsigned",
        )
    item = KnowledgeItem.objects.create(
        kind=KnowledgeItem.Kind.HANDOVER,
        title=handover.title,
        summary=_("Handover of the role “%(role)s” from %(leaver)s to %(successor)s.")
        % {
            "role": handover.role,
            "leaver": handover.leaver.name,
            "successor": handover.successor.name,
        },
        community=handover.community,
        created_by=handover.leaver,
        owner=handover.successor,
        audience=handover.audience,
        review_due=default_review_due(),
        details={
            "role": handover.role,
            "critical_knowledge": handover.critical_knowledge,
            "ongoing_work": handover.ongoing_work,
            "key_contacts": handover.key_contacts,
            "documents": handover.documents,
        },
    )
    item.contributors.set([handover.leaver, handover.successor])
    handover.status = Handover.Status.PUBLISHED
    handover.published_item = item
    handover.save(update_fields=["status", "published_item"])
    notify(
        [handover.leaver, handover.successor],
        kind="knowledge.handover",
        text=gettext_lazy("The handover is published in the library: %(title)s")
        % {"title": handover.title},
        target_url=item.get_absolute_url(),
        target_label=handover.title,
        actor=user,
    )
    return item


# --- Reminders --------------------------------------------------------------------------------


def remind_reviewers() -> int:
    """Tell each community's knowledge managers and coordinators how many items wait.

    One notification per person, folded into their unread reminder if there is one
    (``group_key``), so running it again never piles up messages; returns how many
    people were told.
    """
    today = timezone.localdate()
    cutoff = timezone.now() - REVIEW_INTERVAL
    overdue = (
        KnowledgeItem.objects.published()
        .filter(Q(review_due__lte=today) | Q(review_due__isnull=True, created_at__lte=cutoff))
        .values_list("community_id", flat=True)
    )
    waiting: dict[int, int] = {}
    for community_id in overdue:
        waiting[community_id] = waiting.get(community_id, 0) + 1
    if not waiting:
        return 0
    per_person: dict[int, int] = {}
    for user_id, community_id in (
        RoleAssignment.objects.filter(community_id__in=waiting, role__in=policy.REVIEWER_ROLES)
        .values_list("membership__user_id", "community_id")
        .distinct()
    ):
        per_person[user_id] = per_person.get(user_id, 0) + waiting[community_id]
    told = 0
    for person in User.objects.filter(pk__in=per_person, is_active=True):
        count = per_person[person.pk]
        told += notify(
            [person],
            kind="knowledge.review_due",
            text=ngettext_lazy(
                "%(count)d knowledge item is past its review date: confirm, update or archive it.",
                "%(count)d knowledge items are past their review date: confirm, update or archive them.",
                count,
            )
            % {"count": count},
            target_url=reverse("knowledge:review-queue"),
            group_key="knowledge-review-due",
        )
    return told
