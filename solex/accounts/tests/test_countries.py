"""Country names: every ISO 3166-1 code, shown in the reader's language."""

from __future__ import annotations

from solex.accounts.countries import COUNTRIES, country_choices, country_name


def test_every_iso_country_has_a_name() -> None:
    assert len(COUNTRIES) == 249
    assert all(len(code) == 2 and code.isupper() for code in COUNTRIES)


def test_codes_are_named_in_the_un_short_form() -> None:
    assert country_name("KE") == "Kenya"
    assert country_name("ke") == "Kenya"
    assert country_name("MD") == "Republic of Moldova"
    assert country_name("CI") == "Côte d'Ivoire"


def test_an_unknown_code_is_shown_as_stored() -> None:
    assert country_name("XK") == "XK"


def test_choices_are_sorted_by_name_ignoring_accents() -> None:
    names = [name for _code, name in country_choices()]

    assert names[:3] == ["Afghanistan", "Åland Islands", "Albania"]
    assert names[-1] == "Zimbabwe"
