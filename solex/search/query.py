"""What a person typed, turned into terms both backends understand, never into syntax.

People type words, "quoted phrases", ``-excluded`` words and ``OR``. Everything else
that full-text engines treat as syntax (``*``, ``NEAR``, ``AND``, parentheses, a lone
quote) is read as text: terms are rebuilt from normalised tokens and quoted by us, so
no input can make the database raise a syntax error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from solex.search.text import tokens

MAX_LENGTH = 500
MAX_TERMS = 16

# Words too common to narrow anything down when other words are given.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "de",
        "del",
        "des",
        "du",
        "el",
        "en",
        "et",
        "for",
        "from",
        "how",
        "i",
        "in",
        "is",
        "it",
        "la",
        "las",
        "le",
        "les",
        "los",
        "of",
        "on",
        "or",
        "our",
        "the",
        "to",
        "un",
        "una",
        "une",
        "we",
        "what",
        "which",
        "who",
        "with",
        "y",
    ]
)

_PIECES = re.compile(r'-?"[^"]*"?|\S+')

Term = tuple[str, ...]


@dataclass
class ParsedQuery:
    #: Alternatives (joined by OR), each a list of terms that must all match.
    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)

    @property
    def terms(self) -> list[Term]:
        return [term for group in self.groups for term in group]

    @property
    def is_empty(self) -> bool:
        return not self.terms

    @property
    def highlight_tokens(self) -> set[str]:
        return {token for term in self.terms for token in term}


def parse(text: str) -> ParsedQuery:
    parsed = ParsedQuery(groups=[[]])
    negate_next = False
    count = 0
    for piece in _PIECES.findall(text[: MAX_LENGTH * 2]):
        if piece == "OR":
            if parsed.groups[-1]:
                parsed.groups.append([])
            continue
        if piece in ("AND", "NOT"):
            negate_next = piece == "NOT"
            continue
        negative = negate_next or (piece.startswith("-") and len(piece) > 1)
        negate_next = False
        quoted = piece.lstrip("-").startswith('"')
        found = tuple(tokens(piece))
        if not found:
            continue
        if not quoted and len(found) == 1 and found[0] in STOP_WORDS:
            continue
        count += 1
        if count > MAX_TERMS:
            break
        (parsed.excluded if negative else parsed.groups[-1]).append(found)
    parsed.groups = [group for group in parsed.groups if group]
    if not parsed.groups:
        # Only common words: search for them after all rather than for nothing.
        common = tuple(t for t in tokens(text[:MAX_LENGTH]) if t in STOP_WORDS)[:MAX_TERMS]
        if common:
            parsed.groups = [[(token,) for token in common]]
    return parsed


def any_of(parsed: ParsedQuery) -> ParsedQuery:
    """The same terms, any of which may match (for similar questions and fallbacks)."""
    terms = parsed.terms
    return ParsedQuery(groups=[[term] for term in terms], excluded=parsed.excluded)
