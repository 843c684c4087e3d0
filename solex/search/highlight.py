"""Snippets: a window of the original text around the first match, escaped, with <mark>.

Matching uses the same normalisation as the index, word by word, so ``Education``
highlights ``éducation`` and a Chinese run highlights where it appears. Only the
``<mark>`` elements are markup; everything else is escaped.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from solex.search.text import CJK_RUN, bigrams, word_tokens

WINDOW_WORDS = 30


def _matches(token: str, wanted: set[str], prefixes: tuple[str, ...]) -> bool:
    if token in wanted:
        return True
    # The index stems (porter): "vaccinat" finds "vaccination"; keep it to long prefixes.
    return any(token.startswith(p) for p in prefixes)


def _hit_spans(text: str, wanted: set[str]) -> list[tuple[int, int]]:
    prefixes = tuple(w for w in wanted if len(w) >= 5 and not CJK_RUN.fullmatch(w))
    cjk = [w for w in wanted if CJK_RUN.fullmatch(w)]
    spans = []
    for start, end, (token,) in word_tokens(text):
        if CJK_RUN.fullmatch(token):
            for gram in cjk:
                position = token.find(gram)
                while position >= 0:
                    spans.append((start + position, start + position + len(gram)))
                    position = token.find(gram, position + 1)
        elif _matches(token, wanted, prefixes):
            spans.append((start, end))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def wanted_tokens(tokens: set[str]) -> set[str]:
    wanted = set()
    for token in tokens:
        wanted.add(token)
        if CJK_RUN.fullmatch(token) and len(token) > 2:
            wanted.update(bigrams(token))
    return wanted


def highlight(text: str, tokens: set[str], *, whole: bool = False) -> SafeString:
    """The text (or a window of it) escaped, with matches in <mark>."""
    text = " ".join(text.split())
    spans = _hit_spans(text, wanted_tokens(tokens))
    if whole:
        start, end = 0, len(text)
    else:
        words = [(s, e) for s, e, _t in word_tokens(text)]
        first = spans[0][0] if spans else 0
        index = next((i for i, (s, _e) in enumerate(words) if s >= first), 0)
        begin = max(0, index - 8)
        finish = min(len(words), begin + WINDOW_WORDS)
        start = words[begin][0] if words and begin > 0 else 0
        end = words[finish - 1][1] if words and finish < len(words) else len(text)
    out = ["… " if start > 0 else ""]
    cursor = start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        out.append(escape(text[cursor:s]))
        out.append("<mark>" + escape(text[s:e]) + "</mark>")
        cursor = e
    out.append(escape(text[cursor:end]))
    if end < len(text):
        out.append(" …")
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped
