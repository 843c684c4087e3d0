"""The automatic feedback summary: comments grouped by paragraph, who took part, main points.

Deterministic and offline. The main points come from ``solex.core.synthesis`` (the
extractive engine of consolidated replies): comments are grouped by similarity, each
group is named and represented by one sentence, credited to everyone who made it,
and where people disagree the draft says so instead of claiming consensus.

``you_said_we_did`` writes the table of what became of each comment; publication
appends it to the owner's text, so the published summary always carries it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from solex.accounts.models import User
from solex.consultations import queries
from solex.consultations.models import DraftVersion, Response
from solex.core import synthesis
from solex.exchanges.models import Exchange

QUOTE_CHARS = 160
EXCERPT_CHARS = 220
MAX_POINTS = 6


@dataclass(frozen=True)
class DraftText:
    title: str
    summary: str
    body: str


def person_label(person: User | None) -> str:
    if person is None:
        return _("A former member")
    name = person.name or person.username
    organization = getattr(person, "organization", None)
    return f"{name} ({organization})" if organization else name


def _one_line(text: str, limit: int) -> str:
    return Truncator(" ".join(text.split())).chars(limit)


def _escape(text: str) -> str:
    """Plain text safe inside a Markdown table cell or list item."""
    return text.replace("|", "\\|").replace("\n", " ")


def contributors(exchange: Exchange, comments: list[queries.Comment]) -> list[User]:
    """Everyone whose shown comment is in the consultation, except its owner, by name."""
    people: dict[int, User] = {}
    for comment in queries.answerable(exchange, comments):
        author = comment.reply.author
        if author is not None and author.is_active:
            people.setdefault(author.pk, author)
    return sorted(people.values(), key=lambda person: (person.name or person.username).casefold())


def _paragraph_text(versions: list[DraftVersion], version: int, number: int) -> str:
    for candidate in versions:
        if candidate.number == version:
            for block in candidate.paragraphs:
                if block.get("number") == number:
                    return str(block.get("text", ""))
    return ""


def compose(exchange: Exchange) -> DraftText:
    """The automatic draft of the feedback summary."""
    comments = [c for c in queries.comments_of(exchange) if not c.reply.is_hidden]
    versions = queries.versions_of(exchange)
    people = contributors(exchange, comments)
    title = _one_line(_("Feedback summary: %(title)s") % {"title": exchange.title}, 200)
    summary = _one_line(
        ngettext(
            "%(comments)d comment from %(people)d person on “%(title)s”.",
            "%(comments)d comments from %(people)d people on “%(title)s”.",
            len(people),
        )
        % {"comments": len(comments), "people": len(people), "title": exchange.title},
        500,
    )
    lines: list[str] = []
    lines.append(f"## {_('Who took part')}")
    lines.append("")
    if people:
        lines.append(", ".join(_escape(person_label(person)) for person in people) + ".")
    else:
        lines.append(_("Nobody commented on this consultation."))
    lines.append("")

    grouped: dict[tuple[int, int], list[queries.Comment]] = defaultdict(list)
    for comment in comments:
        grouped[(comment.version, comment.reply.paragraph or 0)].append(comment)
    lines.append(f"## {_('Comments by paragraph')}")
    lines.append("")
    if not grouped:
        lines.append(_("No comments."))
        lines.append("")
    for (version, number), group in sorted(grouped.items()):
        count = len(group)
        if number:
            heading = ngettext(
                "Version %(version)d, paragraph %(number)d (%(count)d comment)",
                "Version %(version)d, paragraph %(number)d (%(count)d comments)",
                count,
            ) % {"version": version, "number": number, "count": count}
        else:
            heading = ngettext(
                "Version %(version)d, the draft as a whole (%(count)d comment)",
                "Version %(version)d, the draft as a whole (%(count)d comments)",
                count,
            ) % {"version": version, "count": count}
        lines.append(f"### {heading}")
        lines.append("")
        quoted = _paragraph_text(versions, version, number) if number else ""
        if quoted:
            lines.append("> " + _escape(_one_line(quoted, QUOTE_CHARS)))
            lines.append("")
        for comment in group:
            lines.append(
                f"- **{_escape(person_label(comment.reply.author))}**: "
                f"{_escape(_one_line(comment.reply.body, EXCERPT_CHARS))}"
            )
        lines.append("")

    result = synthesis.synthesise(
        f"{exchange.title} {exchange.context}",
        [
            synthesis.ReplyText(
                id=comment.reply.pk,
                author=person_label(comment.reply.author),
                text=comment.reply.body,
            )
            for comment in comments
        ],
    )
    lines.append(f"## {_('Main points')}")
    lines.append("")
    if not result.themes:
        lines.append(_("No point was raised by more than one person."))
    for theme in result.themes[:MAX_POINTS]:
        point = theme.points[0]
        names = ", ".join(dict.fromkeys(point.authors))
        lines.append(
            f"- **{_escape(theme.label)}** "
            + ngettext("(%(n)d person)", "(%(n)d people)", len(theme.reply_ids))
            % {"n": len(theme.reply_ids)}
            + f": {_escape(point.text)} — {_escape(names)}"
        )
        if theme.disagreement is not None:
            against = ", ".join(
                dict.fromkeys(sentence.author for sentence in theme.disagreement.against)
            )
            lines.append(
                "  - "
                + _("Views differ here: %(names)s argued otherwise.") % {"names": _escape(against)}
            )
    lines.append("")
    return DraftText(title=title, summary=summary, body="\n".join(lines).strip() + "\n")


def response_label(response: str) -> str:
    if response in Response.values:
        return str(Response(response).label)
    return _("No answer yet")


def you_said_we_did(exchange: Exchange) -> str:
    """The Markdown table of every comment and what became of it."""
    comments = queries.answerable(exchange, queries.comments_of(exchange))
    lines = [f"## {_('You said, we did')}", ""]
    if not comments:
        lines.append(_("No comments."))
        return "\n".join(lines) + "\n"
    lines.append(
        f"| {_('Who')} | {_('Where')} | {_('What they said')} | {_('What became of it')} |"
    )
    lines.append("| --- | --- | --- | --- |")
    for comment in comments:
        where = (
            _("v%(version)d ¶%(number)d")
            % {"version": comment.version, "number": comment.reply.paragraph}
            if comment.reply.paragraph
            else _("v%(version)d, whole draft") % {"version": comment.version}
        )
        fate = response_label(comment.response)
        if comment.reason:
            fate = f"{fate}: {comment.reason}"
        lines.append(
            f"| {_escape(person_label(comment.reply.author))} | {where} | "
            f"{_escape(_one_line(comment.reply.body, EXCERPT_CHARS))} | {_escape(fate)} |"
        )
    return "\n".join(lines) + "\n"
