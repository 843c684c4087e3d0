"""Text normalisation shared by indexing and querying, identical on both backends.

Both databases index the output of :func:`normalise`, a string of space-separated
tokens, so SQLite and PostgreSQL find the same things for the same words:

- letters are case-folded and diacritics removed (``éducation`` = ``education``,
  ``niño`` = ``nino``, ``ё`` = ``е``); Arabic short vowels, tatweel and hamza seats
  are removed or unified (``أ إ آ`` → ``ا``, ``ى`` → ``ي``, ``ة`` → ``ه``);
- runs of Chinese, Japanese or Korean characters, written without spaces, become
  overlapping bigrams (``减贫战略`` → ``减贫 贫战 战略``): a query's run is then a
  phrase of its bigrams, which matches wherever the run appears;
- a light plural folding for words in Latin script (``vaccines`` = ``vaccine``).
"""

from __future__ import annotations

import re
import unicodedata

# Han (with extensions and compatibility forms), kana, Hangul syllables.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ebef"
_MARK_CLASS = "\u0300-\u036f\u0483-\u0489\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
CJK_RUN = re.compile(f"[{_CJK}]+")
# A CJK run, or a word: letters and digits with the combining marks between them.
_WORD = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}](?:[^\W_{_CJK}]|[{_MARK_CLASS}])*")
_ARABIC = str.maketrans({"ى": "ي", "ة": "ه", "ـ": None})
_MARKS = re.compile(f"[{_MARK_CLASS}]")


def _fold(word: str) -> str:
    if not word.isascii():
        word = _MARKS.sub("", unicodedata.normalize("NFKD", word)).translate(_ARABIC)
    word = word.casefold()
    if (
        len(word) > 3
        and word.isascii()
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is"))
    ):
        word = word[:-3] + "y" if word.endswith("ies") and len(word) > 4 else word[:-1]
    return word


def bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def tokens(text: str) -> list[str]:
    """The tokens of ``text`` as indexed: folded words, CJK runs as bigrams."""
    found: list[str] = []
    for match in _WORD.finditer(text):
        word = match.group()
        if CJK_RUN.fullmatch(word):
            found.extend(bigrams(word))
        else:
            # NFKD may turn one word into several (ligatures, full-width forms).
            found.extend(part for part in _WORD.findall(_fold(word)) if part)
    return found


def normalise(text: str) -> str:
    return " ".join(tokens(text))


def word_tokens(text: str) -> list[tuple[int, int, list[str]]]:
    """Each word of ``text`` with its span and tokens, for highlighting snippets."""
    found = []
    for match in _WORD.finditer(text):
        word = match.group()
        if CJK_RUN.fullmatch(word):
            found.append((match.start(), match.end(), [word]))
        else:
            found.append((match.start(), match.end(), [_fold(word)]))
    return found


_SCRIPTS = (
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
)
_LATIN_WORDS = {
    "en": frozenset(["the", "and", "of", "to", "is", "for", "with", "that", "this", "are"]),
    "fr": frozenset(["le", "la", "les", "des", "et", "est", "pour", "une", "dans", "du"]),
    "es": frozenset(["el", "la", "los", "las", "y", "es", "para", "una", "con", "del"]),
}


def guess_language(text: str) -> str:
    """A best guess among the six UN languages, from the script and common words."""
    sample = text[:2000]
    for code, script in _SCRIPTS:
        if len(script.findall(sample)) > len(sample) / 10:
            return code
    words = [w.casefold() for w in re.findall(r"\w+", sample)]
    scores = {code: sum(w in common for w in words) for code, common in _LATIN_WORDS.items()}
    best = max(scores, key=lambda code: scores[code])
    return best if scores[best] else ""
