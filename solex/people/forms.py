from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from solex.accounts.forms import CountryField
from solex.accounts.models import Organization, Region
from solex.people.models import (
    Availability,
    ExpertiseLevel,
    LanguageLevel,
    language_choices,
)
from solex.taxonomy.models import Topic

AFFILIATION_CHOICES = [
    ("", _("Anyone")),
    ("internal", _("Staff of member organisations")),
    ("external", _("External partners")),
]


class DirectoryForm(forms.Form):
    """The directory's filters, read from the query string."""

    q = forms.CharField(
        label=_("Search people"),
        required=False,
        max_length=200,
        help_text=_("Name, job title, office, bio or expertise."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    topic = forms.ModelChoiceField(
        label=_("Expertise"),
        queryset=Topic.objects.order_by("name"),
        required=False,
        empty_label=_("Any topic"),
    )
    language = forms.ChoiceField(label=_("Speaks"), required=False)
    country = CountryField(
        label=_("Duty-station country"), blank_label=_("Any country"), required=False
    )
    region = forms.ChoiceField(
        label=_("Region"), choices=[("", _("Any region")), *Region.choices], required=False
    )
    organization = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organization.objects.all(),
        required=False,
        empty_label=_("Any organisation"),
    )
    affiliation = forms.ChoiceField(
        label=_("Staff or partner"), choices=AFFILIATION_CHOICES, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = [("", _("Any language")), *language_choices()]


class ProfileDetailsForm(forms.Form):
    bio = forms.CharField(
        label=_("Short bio"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you work on and what colleagues can ask you about."),
    )
    availability = forms.ChoiceField(
        label=_("Availability for peer assists"),
        choices=[("", _("Not stated")), *Availability.choices],
        required=False,
    )
    availability_note = forms.CharField(
        label=_("Availability note"),
        required=False,
        max_length=200,
        help_text=_("For example: “Tuesdays, by video call, in French or English”."),
    )
    visible_to_partners = forms.BooleanField(
        label=_("Show my profile to external partners"),
        required=False,
        help_text=_("Partners who share a community with you see your profile either way."),
    )

    def __init__(self, *args: Any, show_partner_visibility: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not show_partner_visibility:
            del self.fields["visible_to_partners"]


class LanguageSkillForm(forms.Form):
    code = forms.ChoiceField(label=_("Language"), required=False)
    level = forms.ChoiceField(
        label=_("Level"),
        choices=[("", _("Choose a level")), *LanguageLevel.choices],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        assert isinstance(code, forms.ChoiceField)
        code.choices = [("", _("No language")), *language_choices()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("code") and not cleaned.get("level"):
            self.add_error("level", _("Choose how well you speak it."))
        return cleaned


LanguageSkillFormSet = forms.formset_factory(
    LanguageSkillForm, extra=2, max_num=20, absolute_max=30
)


class DeclareExpertiseForm(forms.Form):
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.order_by("name"))
    level = forms.TypedChoiceField(
        label=_("Level"),
        choices=ExpertiseLevel.choices,
        coerce=int,
        initial=ExpertiseLevel.EXPERIENCED,
    )


class WhoKnowsForm(forms.Form):
    """The expertise locator's question and filters, read from the query string."""

    q = forms.CharField(
        label=_("Who knows about…"),
        required=False,
        max_length=500,
        help_text=_("A topic or a question, e.g. “cash transfers in emergencies”."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    topic = forms.ModelChoiceField(
        label=_("Or choose a topic"),
        queryset=Topic.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("Any topic"),
    )
    language = forms.ChoiceField(label=_("Speaks"), required=False)
    region = forms.ChoiceField(
        label=_("Region"), choices=[("", _("Any region")), *Region.choices], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = [("", _("Any language")), *language_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            self.is_bound
            and not self.errors
            and not data.get("q", "").strip()
            and not data.get("topic")
        ):
            raise forms.ValidationError(_("Type a topic or a question, or choose a topic."))
        return data


GAP_WINDOW_CHOICES = [
    ("90", _("Last 3 months")),
    ("365", _("Last 12 months")),
    ("1095", _("Last 3 years")),
]


class ExpertiseGapsForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Queries asked in"), choices=GAP_WINDOW_CHOICES, coerce=int, required=False
    )
