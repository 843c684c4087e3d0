"""The search form: what to look for and the filters, validated the same for web and API.

An unknown filter value (a type, community, topic, country or language Solex does
not know, or a community the person may not see) is a field error that says so,
never a 500 and never a hint that a hidden community exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from solex.accounts.countries import country_choices
from solex.search.queries import SearchParams, topic_ids_for, visible_communities
from solex.search.query import MAX_LENGTH
from solex.search.sources import groups

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from solex.accounts.models import User

GROUP_LABELS = {
    "exchanges": _("Exchanges and replies"),
    "knowledge": _("Knowledge items"),
    "people": _("People"),
    "communities": _("Communities"),
    "events": _("Events"),
}
MAX_PAGE = 50


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        required=False,
        max_length=MAX_LENGTH,
        help_text=_(
            'Words to find. Use "quotes" for a phrase, -word to leave a word out, OR for either.'
        ),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    type = forms.MultipleChoiceField(
        label=_("Type"), required=False, widget=forms.CheckboxSelectMultiple
    )
    community = forms.ChoiceField(label=_("Community"), required=False)
    topic = forms.CharField(label=_("Topic"), required=False, max_length=140)
    country = forms.ChoiceField(label=_("Country"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput
    )

    def __init__(self, data: Any, *, user: User | AnonymousUser, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.user = user
        self._communities = {c.slug: c for c in visible_communities(user)}
        type_field = self.fields["type"]
        assert isinstance(type_field, forms.MultipleChoiceField)
        type_field.choices = [(g, GROUP_LABELS.get(g, g)) for g in groups()]
        community_field = self.fields["community"]
        assert isinstance(community_field, forms.ChoiceField)
        community_field.choices = [("", _("Any community"))] + [
            (slug, c.name) for slug, c in self._communities.items()
        ]
        country_field = self.fields["country"]
        assert isinstance(country_field, forms.ChoiceField)
        country_field.choices = [("", _("Any country")), *country_choices()]
        language_field = self.fields["language"]
        assert isinstance(language_field, forms.ChoiceField)
        language_field.choices = [("", _("Any language")), *settings.LANGUAGES]

    def clean_topic(self) -> list[int]:
        slug = self.cleaned_data.get("topic", "").strip()
        if not slug:
            return []
        ids = topic_ids_for(slug)
        if not ids:
            raise forms.ValidationError(_("There is no topic “%(slug)s”."), params={"slug": slug})
        return ids

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def params(self) -> SearchParams:
        data = self.cleaned_data
        community = self._communities.get(data.get("community") or "")
        return SearchParams(
            q=data.get("q") or "",
            types=list(data.get("type") or []),
            community_id=community.pk if community else None,
            topic_ids=data.get("topic") or [],
            country=data.get("country") or "",
            language=data.get("language") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )

    @property
    def page_number(self) -> int:
        return int(self.cleaned_data.get("page") or 1)
