"""Every write of email delivery: unsubscribe by token, save preferences, send the top 5."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from solex.accounts.models import User
from solex.communities import actions as community_actions
from solex.communities import permissions as policy
from solex.communities.models import Community, DeliveryPreference, Membership
from solex.digests.delivery import list_fields
from solex.digests.models import TopFive, TopFiveItem
from solex.exchanges.models import Exchange
from solex.mail import actions as mail_actions
from solex.mail import sending
from solex.mail.compose import absolute
from solex.mail.models import MailSettings
from solex.mail.render import render_content
from solex.mail.tokens import UnsubscribeTarget

TOP_FIVE_MAX = 5


@dataclass(frozen=True)
class Unsubscribed:
    user: User
    community: Community | None  # None: all email paused
    changed: bool


def unsubscribe(target: UnsubscribeTarget) -> Unsubscribed | None:
    """Stop one community's email (or all email) for the person a verified token names.

    None if the person is gone. Unsubscribing twice changes nothing the second time.
    """
    user = User.objects.filter(pk=target.user_id, is_active=True).first()
    if user is None:
        return None
    if target.community_id is None:
        before = mail_actions.mail_settings_of(user).paused
        mail_actions.set_paused(user, True)
        return Unsubscribed(user, None, changed=not before)
    community = Community.objects.filter(pk=target.community_id).first()
    membership = Membership.objects.filter(user=user, community_id=target.community_id).first()
    if community is None or membership is None:
        return Unsubscribed(user, community, changed=False)
    if membership.delivery == DeliveryPreference.WEB_ONLY:
        return Unsubscribed(user, community, changed=False)
    community_actions.set_delivery_preference(
        community, actor=user, delivery=DeliveryPreference.WEB_ONLY
    )
    return Unsubscribed(user, community, changed=True)


@transaction.atomic
def save_preferences(
    user: User,
    *,
    paused: bool | None = None,
    default_delivery: str | None = None,
    deliveries: dict[str, str] | None = None,
) -> MailSettings:
    """Change the pause switch, the default, and the delivery per community (by slug)."""
    row = mail_actions.mail_settings_of(user)
    if default_delivery is not None:
        row = mail_actions.set_default_delivery(user, default_delivery)
    if paused is not None:
        row = mail_actions.set_paused(user, paused)
    for slug, delivery in (deliveries or {}).items():
        membership = (
            Membership.objects.filter(user=user, community__slug=slug)
            .select_related("community")
            .first()
        )
        if membership is None:
            raise ValidationError(
                _("You are not a member of %(slug)s.") % {"slug": slug}, code="not_member"
            )
        community_actions.set_delivery_preference(
            membership.community, actor=user, delivery=delivery
        )
    return row


def reenable(user: User) -> bool:
    return mail_actions.reenable(user)


def send_top_five(
    community: Community,
    *,
    actor: User,
    intro: str,
    items: Sequence[tuple[int, str]],
) -> TopFive:
    """Save the facilitator's pick (exchange id, their line) and mail it to the members.

    Every member who did not choose "web only" gets it, unless their email is paused.
    """
    policy.check_moderate(actor, community)
    errors: dict[str, list[str]] = {}
    intro = intro.strip()
    if not intro:
        errors["intro"] = [_("Write a few words to introduce this week's selection.")]
    if not items:
        errors["items"] = [_("Pick at least one item.")]
    elif len(items) > TOP_FIVE_MAX:
        errors["items"] = [_("Pick at most five items.")]
    if any(not note.strip() for _pk, note in items):
        errors.setdefault("items", []).append(_("Write a line on each item you pick."))
    exchanges = {
        e.pk: e
        for e in Exchange.objects.visible_to(actor).filter(
            community=community, is_direct_connect=False, pk__in=[pk for pk, _n in items]
        )
    }
    if len(exchanges) != len({pk for pk, _n in items}):
        errors.setdefault("items", []).append(_("One of the items is not in this community."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        top = TopFive.objects.create(community=community, intro=intro, created_by=actor)
        TopFiveItem.objects.bulk_create(
            TopFiveItem(top_five=top, exchange=exchanges[pk], position=i, note=note.strip()[:300])
            for i, (pk, note) in enumerate(items, start=1)
        )
        count = _mail_top_five(
            top, community, [(exchanges[pk], note.strip()) for pk, note in items]
        )
        top.sent_at = timezone.now()
        top.recipients = count
        top.save(update_fields=["sent_at", "recipients"])
    return top


def _mail_top_five(top: TopFive, community: Community, items: list[tuple[Exchange, str]]) -> int:
    blocked = MailSettings.objects.filter(paused=True).values("user_id")
    people = list(
        User.objects.filter(is_active=True, memberships__community=community)
        .exclude(
            memberships__community=community, memberships__delivery=DeliveryPreference.WEB_ONLY
        )
        .exclude(email="")
        .exclude(pk__in=blocked)
        .only("pk", "email", "name", "username", "preferred_language")
        .order_by("pk")
    )
    by_language: dict[str, list[User]] = defaultdict(list)
    for person in people:
        by_language[person.preferred_language or settings.LANGUAGE_CODE].append(person)
    queued = 0
    for language, group in sorted(by_language.items()):
        with translation.override(language):
            content = render_content(
                "digests/top_five",
                {
                    "intro": top.intro,
                    "community": community,
                    "items": [
                        {"title": e.title, "url": absolute(e.get_absolute_url()), "note": note}
                        for e, note in items
                    ],
                },
                kind="digest.top5",
                language=language,
                subject=_("[%(community)s] This week's top %(count)d")
                % {"community": community.name, "count": len(items)},
                **list_fields(community),  # type: ignore[arg-type]
            )
        content.save()
        queued += len(sending.queue(content, ((f"top5:{top.pk}:{p.pk}", p) for p in group)))
    return queued


def check_may_send_top_five(user: User, community: Community) -> None:
    if not policy.can_moderate(user, community):
        raise PermissionDenied(_("Only the community's facilitators and coordinators may do this."))
