"""Who hears about what happens in an exchange: small functions the actions call.

Each takes the rows the action just wrote and calls ``notifications.actions.notify``,
which never tells people of their own action and folds repeated events on the same
group key into one unread notification. Keys: ``exchange:<id>`` for the thread's
activity, ``exchange:<id>:ask`` for a request to an expert (its reminder folds into
it), ``exchange:<id>:escalation`` for the facilitators' alert.

Call them inside the action's transaction: the notifications then exist exactly
when the change does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext_noop

from solex.accounts.models import User
from solex.communities.models import MODERATOR_ROLES, Community
from solex.exchanges.models import CloseReason, Exchange, ExpertRequest, Kind, Reply, Status
from solex.notifications.actions import Text, notify, translated


def facilitators(community: Community) -> list[User]:
    """The people who triage and chase this community's exchanges."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__community=community,
            memberships__roles__role__in=MODERATOR_ROLES,
        )
        .distinct()
        .order_by("pk")
    )


def _name(person: User | None) -> Text:
    if person is None:
        return translated(gettext_noop("A former member"))
    return person.name or person.username


def _author(exchange: Exchange) -> User | None:
    return exchange.author if exchange.author_id is not None else None


def _thread_key(exchange: Exchange) -> str:
    return f"exchange:{exchange.pk}"


def notify_query_asked(exchange: Exchange) -> int:
    """A new exchange: the facilitators hear of it when it waits for them.

    A direct-connect request always goes to them; a query in triage too. One that
    went straight out reaches the community through its lists and digests instead.
    """
    if exchange.is_direct_connect:
        text = translated(
            gettext_noop("%(author)s sent a private request to the facilitators of %(community)s"),
            author=_name(_author(exchange)),
            community=exchange.community.name,
        )
        kind = "exchange.direct_connect"
    elif exchange.status == Status.TRIAGE:
        text = translated(
            gettext_noop("New query to triage in %(community)s, from %(author)s"),
            author=_name(_author(exchange)),
            community=exchange.community.name,
        )
        kind = "exchange.triage"
    else:
        return 0
    return notify(
        facilitators(exchange.community),
        kind=kind,
        text=text,
        target_url=exchange.get_absolute_url(),
        target_label=exchange.title,
        group_key=_thread_key(exchange),
        actor=_author(exchange),
    )


def notify_expert_requested(expert_request: ExpertRequest) -> int:
    """A facilitator asked this expert to answer a query."""
    exchange = expert_request.exchange
    return notify(
        [expert_request.expert],
        kind="exchange.expert_request",
        text=translated(
            gettext_noop("%(facilitator)s asks you to answer a query in %(community)s"),
            facilitator=_name(expert_request.requested_by),
            community=exchange.community.name,
        ),
        target_url=exchange.get_absolute_url(),
        target_label=exchange.title,
        group_key=f"{_thread_key(exchange)}:ask",
        actor=expert_request.requested_by,
    )


def notify_experts_requested(expert_requests: Iterable[ExpertRequest]) -> int:
    """Several experts asked at once (routing): each hears of it."""
    return sum(notify_expert_requested(expert_request) for expert_request in expert_requests)


def notify_expert_reminded(expert_request: ExpertRequest) -> int:
    """The reminder task: the expert has not answered yet."""
    exchange = expert_request.exchange
    return notify(
        [expert_request.expert],
        kind="exchange.expert_reminder",
        text=translated(
            gettext_noop("Reminder: a query in %(community)s is still waiting for your answer"),
            community=exchange.community.name,
        ),
        target_url=exchange.get_absolute_url(),
        target_label=exchange.title,
        group_key=f"{_thread_key(exchange)}:ask",
    )


def notify_reply_posted(reply: Reply) -> int:
    """A new reply: the asker and the facilitators, one notification per exchange."""
    exchange = reply.exchange
    recipients = facilitators(exchange.community)
    asker = _author(exchange)
    if asker is not None:
        recipients.insert(0, asker)
    return notify(
        recipients,
        kind="exchange.reply",
        text=(
            # An anonymised asker stays anonymous in their own later replies.
            translated(gettext_noop("New reply from the asker"))
            if exchange.is_anonymous and reply.author_id == exchange.author_id
            else translated(gettext_noop("New reply from %(author)s"), author=_name(reply.author))
        ),
        target_url=exchange.get_absolute_url(),
        target_label=exchange.title,
        group_key=_thread_key(exchange),
        actor=reply.author,
    )


def respondents(exchange: Exchange) -> list[User]:
    """Everyone whose reply is shown in the exchange."""
    return list(
        User.objects.filter(is_active=True, replies__exchange=exchange, replies__is_hidden=False)
        .distinct()
        .order_by("pk")
    )


def notify_consolidated_reply_published(
    exchange: Exchange, *, actor: User, target_url: str | None = None
) -> int:
    """The consolidated reply is out: the asker, and every respondent it credits.

    ``target_url`` is where to read it (the knowledge item); the query by default.
    """
    url = target_url or exchange.get_absolute_url()
    asker = _author(exchange)
    told = 0
    if asker is not None:
        told += notify(
            [asker],
            kind="exchange.consolidated",
            text=translated(
                gettext_noop("%(facilitator)s published the consolidated reply to your query"),
                facilitator=_name(actor),
            ),
            target_url=url,
            target_label=exchange.title,
            group_key=_thread_key(exchange),
            actor=actor,
        )
    others = [person for person in respondents(exchange) if person.pk != exchange.author_id]
    told += notify(
        others,
        kind="exchange.consolidated",
        text=translated(
            gettext_noop("%(facilitator)s published the consolidated reply, crediting your reply"),
            facilitator=_name(actor),
        ),
        target_url=url,
        target_label=exchange.title,
        group_key=_thread_key(exchange),
        actor=actor,
    )
    return told


def notify_query_closed(exchange: Exchange, *, actor: User | None) -> int:
    """The asker hears why their exchange closed (a consolidated reply says so itself)."""
    asker = _author(exchange)
    if asker is None or exchange.close_reason == CloseReason.CONSOLIDATED:
        return 0
    reason = CloseReason(exchange.close_reason).label if exchange.close_reason else ""
    text = (
        translated(
            gettext_noop("%(facilitator)s closed your query: %(reason)s"),
            facilitator=_name(actor),
            reason=reason,
        )
        if exchange.kind == Kind.QUERY
        else translated(
            gettext_noop("%(facilitator)s closed your exchange: %(reason)s"),
            facilitator=_name(actor),
            reason=reason,
        )
    )
    return notify(
        [asker],
        kind="exchange.closed",
        text=text,
        target_url=exchange.get_absolute_url(),
        target_label=exchange.title,
        group_key=_thread_key(exchange),
        actor=actor,
    )


def notify_query_escalated(
    exchange: Exchange, *, silent: Sequence[User], suggestions: Sequence[User], days: int
) -> int:
    """No reply after the escalation limit: the facilitators, with the next best experts."""
    waiting = ", ".join(person.name or person.username for person in silent)
    if suggestions:
        text = translated(
            gettext_noop(
                "No reply after %(days)s days; asked without answer: %(waiting)s. "
                "Next best experts: %(suggested)s"
            ),
            days=days,
            waiting=waiting,
            suggested=", ".join(person.name or person.username for person in suggestions),
        )
    else:
        text = translated(
            gettext_noop(
                "No reply after %(days)s days; asked without answer: %(waiting)s. "
                "Solex has no other expert to suggest"
            ),
            days=days,
            waiting=waiting,
        )
    return notify(
        facilitators(exchange.community),
        kind="exchange.escalated",
        text=text,
        target_url=exchange.get_absolute_url(),
        target_label=exchange.title,
        group_key=f"{_thread_key(exchange)}:escalation",
    )
