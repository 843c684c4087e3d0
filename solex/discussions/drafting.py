"""Automatic drafts of a discussion's periodic summaries and closing synthesis.

Both come from ``solex.core.synthesis`` (offline, extractive): the posts are grouped
by theme and each point keeps links to the posts behind it. The synthesis sorts the
themes into three sections:

- **points with a critical mass of support**: themes that at least ``CRITICAL_MASS``
  different participants spoke to, without disagreement;
- **differing views**: themes where one participant is for and another against (or
  says they disagree), with who stands where;
- **other points raised**: themes below the critical mass, and single voices.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from solex.core import synthesis
from solex.discussions.models import Discussion
from solex.exchanges.models import Reply
from solex.knowledge.consolidated.drafting import person_label

# Different participants a theme needs before the synthesis calls it shared.
CRITICAL_MASS = 3
SUMMARY_LIMIT = 500


@dataclass(frozen=True)
class DraftText:
    title: str
    summary: str
    body: str


def posts(discussion: Discussion) -> QuerySet[Reply]:
    """The visible posts, oldest first (hidden ones stay out of every draft)."""
    return (
        Reply.objects.filter(exchange_id=discussion.pk, is_hidden=False)
        .select_related("author", "author__organization")
        .order_by("created_at", "pk")
    )


def post_url(discussion: Discussion, reply_id: int | str) -> str:
    return f"{discussion.exchange.get_absolute_url()}#post-{reply_id}"


def _question_text(discussion: Discussion) -> str:
    questions = "\n".join(question.text for question in discussion.questions.all())
    return f"{discussion.exchange.title}\n\n{discussion.exchange.body}\n\n{questions}"


def _analyse(discussion: Discussion, replies: list[Reply]) -> synthesis.Synthesis:
    return synthesis.synthesise(
        _question_text(discussion),
        [
            synthesis.ReplyText(reply.pk, person_label(reply.author), reply.body)
            for reply in replies
        ],
    )


def _links(discussion: Discussion, reply_ids: tuple[int | str, ...]) -> str:
    return ", ".join(
        f"[{_('post')} {number}]({post_url(discussion, reply_id)})"
        for number, reply_id in enumerate(dict.fromkeys(reply_ids), start=1)
    )


def _point_line(discussion: Discussion, point: synthesis.Point) -> str:
    who = ", ".join(dict.fromkeys(point.authors))
    text = point.text.replace("\n", " ").strip()
    return f"- {text} — {who} ({_links(discussion, point.reply_ids)})"


def _supporters(theme: synthesis.Theme, authors: dict[int | str, int | None]) -> int:
    return len({authors[sentence.reply_id] for sentence in theme.sentences})


def _participants(replies: list[Reply]) -> list[str]:
    people: dict[int | None, str] = {}
    for reply in replies:
        people.setdefault(reply.author_id, person_label(reply.author))
    return list(people.values())


def _by_question(discussion: Discussion, replies: list[Reply]) -> list[str]:
    lines: list[str] = []
    for question in discussion.questions.all():
        count = sum(1 for reply in replies if reply.paragraph == question.number)
        lines.append(
            f"{question.number}. {question.text} — "
            + ngettext("%(count)d post", "%(count)d posts", count) % {"count": count}
        )
    return lines


def compose_summary(
    discussion: Discussion, *, start: datetime.datetime, end: datetime.datetime
) -> str:
    """A first draft of the summary of the posts made from ``start`` to ``end``."""
    replies = [reply for reply in posts(discussion) if start <= reply.created_at < end]
    if not replies:
        return _("No posts were made in this period.") + "\n"
    result = _analyse(discussion, replies)
    people = _participants(replies)
    lines = [
        ngettext(
            "%(posts)d post by %(people)d participant this period.",
            "%(posts)d posts by %(people)d participants this period.",
            len(replies),
        )
        % {"posts": len(replies), "people": len(people)},
        "",
    ]
    for theme in result.themes:
        lines += [f"**{theme.label.capitalize()}**", ""]
        lines += [_point_line(discussion, point) for point in theme.points]
        if theme.is_contested:
            lines += ["", _("Participants differ on this.")]
        lines.append("")
    if result.other_points:
        lines += [f"**{_('Other points')}**", ""]
        lines += [_point_line(discussion, point) for point in result.other_points]
    return "\n".join(lines).strip() + "\n"


def compose_synthesis(discussion: Discussion) -> DraftText:
    """The first draft of the closing synthesis, from every visible post."""
    exchange = discussion.exchange
    replies = list(posts(discussion))
    result = _analyse(discussion, replies)
    authors: dict[int | str, int | None] = {reply.pk: reply.author_id for reply in replies}
    names: dict[int | str, str] = {reply.pk: person_label(reply.author) for reply in replies}
    people = _participants(replies)
    shared = [
        theme
        for theme in result.themes
        if not theme.is_contested and _supporters(theme, authors) >= CRITICAL_MASS
    ]
    contested = list(result.contested_themes)
    minor = [theme for theme in result.themes if theme not in shared and theme not in contested]

    lines = [f"## {_('Purpose')}", "", exchange.body.strip()]
    questions = _by_question(discussion, replies)
    if questions:
        lines += ["", f"## {_('Framing questions')}", "", *questions]

    summary_parts = [
        ngettext(
            "%(people)d participant contributed %(posts)d posts.",
            "%(people)d participants contributed %(posts)d posts.",
            len(people),
        )
        % {"people": len(people), "posts": len(replies)}
    ]
    if shared:
        summary_parts.append(
            _("Broad support for: %(themes)s.")
            % {"themes": "; ".join(theme.label for theme in shared[:3])}
        )
    if contested:
        summary_parts.append(
            _("Views differ on: %(themes)s.")
            % {"themes": "; ".join(theme.label for theme in contested[:3])}
        )
    summary = " ".join(summary_parts)
    lines += ["", f"## {_('Summary')}", "", summary]

    if shared:
        lines += ["", f"## {_('Points with broad support')}"]
        for theme in shared:
            count = _supporters(theme, authors)
            lines += [
                "",
                f"### {theme.label.capitalize()}",
                "",
                ngettext("Made by %(count)d participant.", "Made by %(count)d participants.", count)
                % {"count": count},
                "",
            ]
            lines += [_point_line(discussion, point) for point in theme.points]
    if contested:
        lines += ["", f"## {_('Differing views')}"]
        for theme in contested:
            lines += ["", f"### {theme.label.capitalize()}", ""]
            lines += [_point_line(discussion, point) for point in theme.points]
            disagreement = theme.disagreement
            if disagreement is not None:
                in_favour = ", ".join(
                    dict.fromkeys(names[s.reply_id] for s in disagreement.in_favour)
                )
                against = ", ".join(dict.fromkeys(names[s.reply_id] for s in disagreement.against))
                lines += [
                    "",
                    _("In favour: %(in_favour)s. Against or disagreeing: %(against)s.")
                    % {"in_favour": in_favour or "—", "against": against or "—"},
                ]
    if minor or result.other_points:
        lines += ["", f"## {_('Other points raised')}", ""]
        for theme in minor:
            lines += [_point_line(discussion, point) for point in theme.points]
        lines += [_point_line(discussion, point) for point in result.other_points]
    if result.resources:
        lines += ["", f"## {_('Resources shared')}", ""]
        for resource in result.resources:
            title = resource.title.replace("[", "(").replace("]", ")")
            lines.append(
                f"- [{title}](<{resource.url}>) ({_links(discussion, resource.reply_ids)})"
            )
    if people:
        lines += ["", f"## {_('Participants')}", ""]
        lines += [f"- {person}" for person in people]

    title = _("Synthesis: %(title)s") % {"title": exchange.title}
    return DraftText(
        title=title[:200], summary=summary[:SUMMARY_LIMIT], body="\n".join(lines).strip() + "\n"
    )


def week_start(discussion: Discussion, now: datetime.datetime | None = None) -> datetime.datetime:
    """Where the next summary's period starts: after the last summary, or at the opening."""
    last = discussion.summaries.order_by("-period_end").first()
    if last is not None:
        return last.period_end
    exchange = discussion.exchange
    return exchange.opens_at or exchange.created_at or (now or timezone.now())
