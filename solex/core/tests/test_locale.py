"""The translation catalogues: present, compiled from their current source, and used.

The .mo files are committed (so deploying needs no gettext); these tests catch a
.po edited without running compilemessages afterwards.
"""

from __future__ import annotations

import ast
import struct
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

LOCALE = Path(settings.LOCALE_PATHS[0])
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
CHROME = [  # base.html, the home page and the error pages: translated in every language
    "Skip to main content",
    "Main",
    "Communities",
    "People",
    "Profile",
    "Log in",
    "Log out",
    "Sign up",
    "Language",
    "Change",
    "Home",
    "Communities of practice",
    "Page not found",
    "Access denied",
    "Bad request",
    "Something went wrong",
    "Your form could not be sent",
    "Go to the home page",
]


def read_po(path: Path) -> dict[str, str]:
    """Translated, non-fuzzy entries as msgfmt compiles them: key -> translation."""
    catalogue: dict[str, str] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        if not lines or any(line.startswith("#,") and "fuzzy" in line for line in lines):
            continue
        fields: dict[str, list[str]] = {}
        current = ""
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[current].append(ast.literal_eval(line))
            else:
                current, _space, value = line.partition(" ")
                fields[current] = [ast.literal_eval(value)]
        text = {name: "".join(parts) for name, parts in fields.items()}
        if "msgid" not in text:
            continue
        key = text["msgid"]
        if "msgid_plural" in text:
            key += "\0" + text["msgid_plural"]
            plurals = sorted(name for name in text if name.startswith("msgstr["))
            translation = "\0".join(text[name] for name in plurals)
        else:
            translation = text.get("msgstr", "")
        if "msgctxt" in text:
            key = text["msgctxt"] + "\x04" + key
        if translation.strip("\0"):
            catalogue[key] = translation
    return catalogue


def read_mo(path: Path) -> dict[str, str]:
    data = path.read_bytes()
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic == 0x950412DE else ">"
    _revision, count, originals, translations = struct.unpack(order + "4I", data[4:20])

    def string(table: int, index: int) -> str:
        length, offset = struct.unpack(
            order + "2I", data[table + 8 * index : table + 8 * index + 8]
        )
        return data[offset : offset + length].decode("utf-8")

    return {string(originals, i): string(translations, i) for i in range(count)}


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_language_has_a_catalogue_compiled_from_its_source(language: str) -> None:
    messages = LOCALE / language / "LC_MESSAGES"
    source, compiled = read_po(messages / "django.po"), read_mo(messages / "django.mo")
    assert f"Language: {language}\n" in compiled[""]
    del compiled[""], source[""]
    assert sorted(set(source) ^ set(compiled)) == []
    assert {key for key in source if source[key] != compiled[key]} == set()


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_page_chrome_is_translated_in_each_language(language: str) -> None:
    catalogue = read_po(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert [msgid for msgid in CHROME if msgid not in catalogue] == []


def untranslated_or_fuzzy(path: Path) -> list[str]:
    """The msgids of live entries that are fuzzy or lack a translation in any form."""
    problems: list[str] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        fields: dict[str, list[str]] = {}
        current = ""
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[current].append(ast.literal_eval(line))
            else:
                current, _space, value = line.partition(" ")
                fields[current] = [ast.literal_eval(value)]
        text = {name: "".join(parts) for name, parts in fields.items()}
        if not text.get("msgid"):
            continue  # the header, or a block holding only comments
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        translations = [value for name, value in text.items() if name.startswith("msgstr")]
        if fuzzy or not translations or not all(translations):
            problems.append(text["msgid"])
    return problems


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_catalogue_is_complete(language: str) -> None:
    assert untranslated_or_fuzzy(LOCALE / language / "LC_MESSAGES" / "django.po") == []


def test_the_completeness_check_finds_fuzzy_and_missing_plural_forms(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Language: fr\\n"\n\n'
        'msgid "Yes"\nmsgstr "Oui"\n\n'
        '#, fuzzy\nmsgid "No"\nmsgstr "Non"\n\n'
        'msgid "Later"\nmsgstr ""\n\n'
        'msgid "one reply"\nmsgid_plural "%d replies"\nmsgstr[0] "une réponse"\n'
        'msgstr[1] ""\n\n'
        '#~ msgid "Old"\n#~ msgstr ""\n',
        encoding="utf-8",
    )
    assert untranslated_or_fuzzy(po) == ["No", "Later", "one reply"]


def test_the_catalogue_reader_skips_fuzzy_and_untranslated_entries(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Language: fr\\n"\n\n'
        'msgid "Yes"\nmsgstr "Oui"\n\n'
        '#, fuzzy\nmsgid "No"\nmsgstr "Non"\n\n'
        'msgid "Later"\nmsgstr ""\n\n'
        'msgctxt "month"\nmsgid "May"\nmsgstr "Mai"\n\n'
        'msgid "one reply"\nmsgid_plural "%d replies"\nmsgstr[0] "une réponse"\n'
        'msgstr[1] "%d réponses"\n\n'
        '#~ msgid "Old"\n#~ msgstr "Vieux"\n',
        encoding="utf-8",
    )
    assert read_po(po) == {
        "": "Language: fr\n",
        "Yes": "Oui",
        "month\x04May": "Mai",
        "one reply\0%d replies": "une réponse\0%d réponses",
    }


@pytest.mark.django_db
def test_an_arabic_page_reads_right_to_left_with_translated_chrome(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    page = client.get("/").text
    assert '<html lang="ar" dir="rtl">' in page
    assert '<a class="skip-link" href="#main">تخطَّ إلى المحتوى الرئيسي</a>' in page
    assert "<h1>مجتمعات الممارسة</h1>" in page
    assert '<nav aria-label="الرئيسية">' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "skip_link"),
    [("fr", "Aller au contenu principal"), ("es", "Saltar al contenido principal")],
)
def test_french_and_spanish_pages_read_left_to_right(
    client: Client, language: str, skip_link: str
) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/").text
    assert f'<html lang="{language}" dir="ltr">' in page
    assert f'href="#main">{skip_link}</a>' in page
