"""The fixture corpus: real-world-shaped replies from many clients and languages.

Each ``corpus/NAME.eml`` is a raw message as a mail client sends it (charsets,
transfer encodings, HTML-only, quote headers and signatures of Gmail, Outlook, Apple
Mail, Thunderbird, mobile clients, in English, French, Spanish, Arabic, Russian,
Chinese, Japanese); ``NAME.expected.md`` is the text a reader expects to see posted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from solex.intake.cleaning import clean_reply
from solex.intake.parsing import parse

CORPUS = Path(__file__).parent / "corpus"
MESSAGES = sorted(path.stem for path in CORPUS.glob("*.eml"))


def test_the_corpus_covers_at_least_25_messages() -> None:
    assert len(MESSAGES) >= 25
    assert all((CORPUS / f"{name}.expected.md").exists() for name in MESSAGES)


@pytest.mark.parametrize("name", MESSAGES)
def test_the_posted_text_is_the_new_part_only(name: str) -> None:
    parsed = parse((CORPUS / f"{name}.eml").read_bytes())
    expected = (CORPUS / f"{name}.expected.md").read_text(encoding="utf-8").strip()

    assert clean_reply(parsed.text) == expected
    assert parsed.from_address == "amina.diallo@undp.org" or name == "25-unknown-charset"
