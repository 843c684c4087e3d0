"""The automatic first draft of a consolidated reply, written as Markdown to edit.

The structure follows UNDP Solution Exchange's consolidated replies: the original
query, a short summary, the responses grouped by theme with each point credited to
its respondent (and a link to the reply), the resources cited, the respondents as
experts to contact, and related earlier consolidated replies. Where respondents
disagree the draft says so instead of claiming consensus.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from solex.accounts.models import User
from solex.core import synthesis
from solex.exchanges.models import Exchange, Reply
from solex.knowledge.models import KnowledgeItem

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

RELATED_LIMIT = 5
SUMMARY_LIMIT = 500


@dataclass(frozen=True)
class DraftText:
    title: str
    summary: str
    body: str


def shown_replies(exchange: Exchange) -> QuerySet[Reply]:
    """The replies a consolidated reply synthesises and keeps in full: every visible one."""
    return (
        exchange.replies.filter(is_hidden=False)
        .select_related("author", "author__organization")
        .order_by("created_at", "pk")
    )


def respondents(exchange: Exchange) -> list[User]:
    """The people credited: the authors of the visible replies, in the order they replied."""
    people: dict[int, User] = {}
    for reply in shown_replies(exchange):
        if reply.author is not None:
            people.setdefault(reply.author.pk, reply.author)
    return list(people.values())


def person_label(person: User | None) -> str:
    """ "Name (Organisation, Country)", as a consolidated reply credits people."""
    if person is None:
        return _("A former member")
    details = [
        part
        for part in (
            person.organization.name if person.organization_id else "",  # type: ignore[union-attr]
            person.country_name,
        )
        if part
    ]
    name = person.name or person.username
    return f"{name} ({', '.join(details)})" if details else name


def _short_name(person: User | None) -> str:
    if person is None:
        return _("A former member")
    return person.name or person.username


def reply_url(reply_id: int | str, exchange: Exchange) -> str:
    return f"{exchange.get_absolute_url()}#reply-{reply_id}"


def related_consolidated_replies(
    exchange: Exchange, viewer: User | AnonymousUser
) -> QuerySet[KnowledgeItem]:
    """Earlier consolidated replies on the same topics that this person may read."""
    topic_ids = list(exchange.topics.values_list("pk", flat=True))
    if not topic_ids:
        return KnowledgeItem.objects.none()
    return (
        KnowledgeItem.objects.visible_to(viewer)
        .filter(kind=KnowledgeItem.Kind.CONSOLIDATED_REPLY)
        .exclude(source_exchange=exchange)
        .annotate(
            shared=Count(
                "source_exchange__topics",
                filter=Q(source_exchange__topics__in=topic_ids),
                distinct=True,
            )
        )
        .filter(shared__gt=0)
        .order_by("-shared", "-created_at", "-pk")[:RELATED_LIMIT]
    )


def _escape(text: str) -> str:
    """Keep a sentence from turning into Markdown structure when it starts a list item."""
    return text.replace("\n", " ").strip()


def _credit(point: synthesis.Point, exchange: Exchange, labels: dict[int | str, str]) -> str:
    credits = [
        f"{labels[reply_id]} [{_('reply')}]({reply_url(reply_id, exchange)})"
        for reply_id in point.reply_ids
    ]
    return "; ".join(credits)


def compose_draft(exchange: Exchange, *, viewer: User | AnonymousUser) -> DraftText:
    """The first draft for this query, from its visible replies."""
    replies = list(shown_replies(exchange))
    labels: dict[int | str, str] = {reply.pk: person_label(reply.author) for reply in replies}
    result = synthesis.synthesise(
        f"{exchange.title}\n\n{exchange.body}",
        [synthesis.ReplyText(reply.pk, labels[reply.pk], reply.body) for reply in replies],
    )
    people = respondents(exchange)
    lines: list[str] = []

    lines += [f"## {_('The query')}", ""]
    lines += [f"> {line}" if line else ">" for line in exchange.body.strip().splitlines()]
    if exchange.author is not None and not exchange.is_anonymous:
        lines += ["", _("Asked by %(person)s.") % {"person": person_label(exchange.author)}]

    summary = _summary(result, len(people))
    lines += ["", f"## {_('Summary')}", "", summary]

    if result.themes or result.other_points:
        lines += ["", f"## {_('Responses by theme')}"]
    for theme in result.themes:
        lines += ["", f"### {theme.label.capitalize()}", ""]
        lines += [
            f"- {_escape(point.text)} — {_credit(point, exchange, labels)}"
            for point in theme.points
        ]
        if theme.disagreement is not None:
            names: dict[int | str, str] = {r.pk: _short_name(r.author) for r in replies}
            in_favour = ", ".join(
                dict.fromkeys(names[s.reply_id] for s in theme.disagreement.in_favour)
            )
            against = ", ".join(
                dict.fromkeys(names[s.reply_id] for s in theme.disagreement.against)
            )
            lines += [
                "",
                "**"
                + _("Respondents differ:")
                + "** "
                + _("in favour, %(in_favour)s; against or disagreeing, %(against)s.")
                % {"in_favour": in_favour, "against": against},
            ]
    if result.other_points:
        lines += ["", f"### {_('Other points')}", ""]
        lines += [
            f"- {_escape(point.text)} — {_credit(point, exchange, labels)}"
            for point in result.other_points
        ]

    if result.resources:
        lines += ["", f"## {_('Resources and links')}", ""]
        for resource in result.resources:
            authors: dict[int | str, str] = {r.pk: _short_name(r.author) for r in replies}
            cited_by = ", ".join(
                dict.fromkeys(authors[reply_id] for reply_id in resource.reply_ids)
            )
            title = resource.title.replace("[", "(").replace("]", ")")
            lines.append(
                f"- [{title}](<{resource.url}>) — "
                + _("cited by %(people)s") % {"people": cited_by}
            )

    if people:
        lines += ["", f"## {_('Experts who replied')}", ""]
        for person in people:
            profile = reverse("people:profile", args=[person.username])
            lines.append(f"- [{person_label(person)}]({profile})")

    related = list(related_consolidated_replies(exchange, viewer))
    if related:
        lines += ["", f"## {_('Related consolidated replies')}", ""]
        lines += [f"- [{item.title}]({item.get_absolute_url()})" for item in related]

    title = _("Consolidated reply: %(title)s") % {"title": exchange.title}
    return DraftText(
        title=title[:200],
        summary=summary[:SUMMARY_LIMIT],
        body="\n".join(lines).strip() + "\n",
    )


def _summary(result: synthesis.Synthesis, respondent_count: int) -> str:
    if respondent_count == 0:
        return _("No one has replied yet.")
    parts = [
        ngettext("%(count)d member replied.", "%(count)d members replied.", respondent_count)
        % {"count": respondent_count}
    ]
    agreed = [theme.label for theme in result.themes if not theme.is_contested][:3]
    contested = [theme.label for theme in result.contested_themes][:3]
    if agreed:
        parts.append(
            _("Points made by several respondents: %(themes)s.") % {"themes": "; ".join(agreed)}
        )
    if contested:
        parts.append(_("Respondents differ on: %(themes)s.") % {"themes": "; ".join(contested)})
    return " ".join(parts)
