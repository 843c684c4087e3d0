"""Split a Markdown draft into numbered paragraphs, once, when a version is posted.

A paragraph is a block of text between blank lines: a paragraph of prose, a list, a
table, a quotation or a fenced code block (kept whole even with blank lines inside).
Headings are blocks of their own and take no number: people comment on what a
draft says, not on its titles. Numbers run from 1 in the order of the text and are
stored with the version, so they never change for that version.

Headings are shown from level 3 down (the page's own headings are levels 1 and 2),
so a draft's "# Title" never breaks the page's outline.
"""

from __future__ import annotations

import re
from typing import TypedDict

from solex.core.markdown import render_markdown

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
HEADING = re.compile(r"^ {0,3}(#{1,6})(\s+|$)")
#: The page's own headings stop at h2: a draft's headings start at h3.
TOP_HEADING_LEVEL = 3


class Paragraph(TypedDict):
    number: int | None  # None for a heading
    text: str  # Markdown
    html: str  # sanitised HTML


def blocks(text: str) -> list[str]:
    """The Markdown blocks of ``text``, in order, without the blank lines between them."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found: list[str] = []
    current: list[str] = []
    fence: str | None = None

    def flush() -> None:
        if current and any(line.strip() for line in current):
            found.append("\n".join(current).strip("\n"))
        current.clear()

    for line in lines:
        if fence is not None:
            current.append(line)
            if line.strip().startswith(fence):
                fence = None
            continue
        opening = FENCE.match(line)
        if opening:
            fence = opening.group(1)[0] * 3
            current.append(line)
            continue
        if not line.strip():
            flush()
            continue
        if HEADING.match(line):
            flush()
            current.append(line)
            flush()
            continue
        current.append(line)
    flush()
    return found


def _heading_html(block: str) -> str:
    match = HEADING.match(block)
    assert match is not None
    level = min(6, max(TOP_HEADING_LEVEL, len(match.group(1))))
    return render_markdown("#" * level + " " + block[match.end() :].strip())


def split(text: str) -> list[Paragraph]:
    """Every block of the draft, numbered unless it is a heading."""
    result: list[Paragraph] = []
    number = 0
    for block in blocks(text):
        if HEADING.match(block):
            result.append({"number": None, "text": block, "html": _heading_html(block)})
            continue
        number += 1
        result.append({"number": number, "text": block, "html": render_markdown(block)})
    return result


def count(paragraphs: list[Paragraph]) -> int:
    return sum(1 for paragraph in paragraphs if paragraph["number"])
