"""Hostile input through both layers of solex.core.markdown.

Every payload of the corpus goes through render_markdown (the real path) and, as raw
HTML, through sanitize_html alone (so the allow-list is tested even where Markdown
would have escaped the payload). The output is parsed, not grepped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from solex.core.markdown import ALLOWED_TAGS, render_markdown, sanitize_html

CORPUS = Path(__file__).parent / "data" / "xss_payloads.txt"
PAYLOADS = CORPUS.read_text(encoding="utf-8").removesuffix("\n").split("\n====\n")[1:]
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
# What browsers ignore inside a URL scheme: ASCII whitespace and control characters.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")


@dataclass
class _Findings(HTMLParser):
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name} on <{tag}>")
            if name == "style":
                self.problems.append(f"style attribute on <{tag}>")
            if value is not None and _is_dangerous_url(value):
                self.problems.append(f"{name}={value!r} on <{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def _is_dangerous_url(value: str) -> bool:
    # The parser has decoded entities exactly once, as a browser does (so a
    # double-encoded "&amp;#106;avascript:" stays a harmless relative URL); then drop
    # what a browser skips before reading the scheme.
    return _IGNORED_IN_SCHEME.sub("", value).lower().startswith(DANGEROUS_SCHEMES)


def problems_in(output: str) -> list[str]:
    parser = _Findings()
    parser.feed(output)
    parser.close()
    return parser.problems


def test_the_corpus_is_large_and_varied() -> None:
    assert len(PAYLOADS) >= 100
    assert len(set(PAYLOADS)) == len(PAYLOADS)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_rendered_markdown_carries_no_script(payload: str) -> None:
    output = render_markdown(payload)
    assert problems_in(output) == [], output


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sanitiser_alone_removes_script_from_raw_html(payload: str) -> None:
    output = sanitize_html(payload)
    assert problems_in(output) == [], output
    # A mutation-XSS defence: cleaning what was already cleaned changes nothing,
    # so the browser's re-parse cannot turn the output into something new.
    assert sanitize_html(output) == output


@pytest.mark.parametrize(
    ("output", "problem"),
    [
        ("<script>alert(1)</script>", "<script> element"),
        ('<img src="x" onerror="alert(1)">', "event handler onerror on <img>"),
        ('<p style="color:red">x</p>', "style attribute on <p>"),
        ('<a href="jav&#x09;ascript:alert(1)">x</a>', "href='jav\\tascript:alert(1)' on <a>"),
        ('<a href="&#106;avascript:alert(1)">x</a>', "href='javascript:alert(1)' on <a>"),
        ('<a href=" DATA:text/html,x">x</a>', "href=' DATA:text/html,x' on <a>"),
        ('<img src="VBScript:x">', "src='VBScript:x' on <img>"),
    ],
)
def test_the_checker_itself_catches_each_kind_of_problem(output: str, problem: str) -> None:
    assert problems_in(output) == [problem]
