"""The Python <select> renderer draws exactly what Django's templates draw."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from solex.core.rendering import SolexFormRenderer


class Sample(forms.Form):
    country = forms.ChoiceField(choices=[("", "Any"), ("KE", "Kenya"), ("CI", "Côte d'Ivoire")])
    region = forms.ChoiceField(
        choices=[
            ("Africa", [("ke", "Kenya <east>"), ("sn", "Senegal")]),
            ("Asia", [("np", "Nepal")]),
        ]
    )
    languages = forms.MultipleChoiceField(choices=[("ar", "العربية"), ("fr", "Français")])
    count = forms.IntegerField()
    plain = forms.ChoiceField(
        choices=[("a", "A"), ("b", "B")],
        widget=forms.Select(attrs={"disabled": True, "class": "x"}),
    )


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"country": "CI", "region": "sn", "languages": ["ar", "fr"], "count": "3", "plain": "b"},
        {"country": "nowhere", "region": "", "languages": ["xx"], "count": "x"},
    ],
    ids=["unbound", "chosen", "invalid"],
)
def test_selects_render_byte_for_byte_like_django(data: dict[str, object] | None) -> None:
    django_html = str(Sample(data, renderer=DjangoTemplates()))
    solex_html = str(Sample(data, renderer=SolexFormRenderer()))

    assert solex_html == django_html
    assert "Côte d&#x27;Ivoire" in solex_html and "Kenya &lt;east&gt;" in solex_html
