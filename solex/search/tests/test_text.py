"""Normalisation: the six UN languages' scripts, folded the same way for text and queries."""

from __future__ import annotations

from solex.search.highlight import highlight
from solex.search.query import parse
from solex.search.text import guess_language, normalise


def test_french_and_spanish_diacritics_fold() -> None:
    assert normalise("Éducation à São Paulo, niños") == "education a sao paulo nino"


def test_arabic_vowel_marks_and_hamza_seats_fold() -> None:
    assert normalise("مُعَلِّمَة") == normalise("معلمه")
    assert normalise("الأمم المتحدة") == "الامم المتحده"


def test_russian_is_case_folded_and_yo_is_ye() -> None:
    assert normalise("Ёлка ВАКЦИНАЦИЯ") == "елка вакцинация"


def test_chinese_runs_become_overlapping_bigrams() -> None:
    assert normalise("减贫战略") == "减贫 贫战 战略"
    assert normalise("中国UN") == "中国 un"


def test_a_query_keeps_phrases_exclusions_and_or() -> None:
    parsed = parse('"cash transfers" -kenya vouchers OR 减贫战略')
    assert parsed.groups == [[("cash", "transfer"), ("voucher",)], [("减贫", "贫战", "战略")]]
    assert parsed.excluded == [("kenya",)]


def test_syntax_characters_are_text() -> None:
    parsed = parse('NEAR(" * AND OR -')
    assert parsed.terms == [("near",)]


def test_snippets_escape_everything_but_mark() -> None:
    html = highlight("<script>alert(1)</script> Éducation pour tous", {"education"})
    assert html == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Éducation</mark> pour tous"


def test_language_guess_by_script_and_common_words() -> None:
    assert guess_language("الأمم المتحدة والتعليم") == "ar"
    assert guess_language("减贫战略的经验") == "zh"
    assert guess_language("Вакцинация детей в сельских районах") == "ru"
    assert guess_language("Les leçons de la réforme et des écoles") == "fr"
    assert guess_language("Las escuelas y los maestros para una reforma") == "es"
    assert guess_language("The lessons of the reform for schools") == "en"
