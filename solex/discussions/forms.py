"""Forms for the discussion pages: they validate shapes; the rules live in actions.py."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from solex.accounts.models import User
from solex.discussions.actions import (
    MAX_POST,
    MAX_PURPOSE,
    MAX_SUMMARY_BODY,
    MAX_SYNTHESIS_BODY,
    MAX_SYNTHESIS_SUMMARY,
    MAX_TITLE,
)

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def people_named(text: str) -> list[User]:
    """The active accounts named in ``text`` (usernames separated by commas or spaces)."""
    names = [name.lstrip("@") for name in re.split(r"[\s,;]+", text or "") if name.strip()]
    if not names:
        return []
    found = {
        user.username: user for user in User.objects.filter(username__in=names, is_active=True)
    }
    unknown = [name for name in dict.fromkeys(names) if name not in found]
    if unknown:
        raise ValidationError(
            _("Nobody is called: %(names)s.") % {"names": ", ".join(unknown)}, code="unknown"
        )
    return [found[name] for name in dict.fromkeys(names)]


class PeopleField(forms.CharField):
    def clean(self, value: Any) -> list[User]:
        text = super().clean(value)
        return people_named(text)


class OpenDiscussionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE)
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=MAX_PURPOSE,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why this discussion, and what it should produce. Markdown works."),
    )
    questions = forms.CharField(
        label=_("Framing questions"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One question per line; they are numbered in this order."),
    )
    opens_at = forms.DateTimeField(
        label=_("Opens"),
        required=False,
        widget=DATETIME_WIDGET,
        help_text=_("Leave empty to open it now."),
    )
    closes_at = forms.DateTimeField(label=_("Closes"), widget=DATETIME_WIDGET)
    invited = PeopleField(
        label=_("Invited contributors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Usernames of community members, separated by commas. Each is notified."),
    )

    def question_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["questions"].splitlines()]


class InviteForm(forms.Form):
    invited = PeopleField(
        label=_("Members to invite"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Usernames of community members, separated by commas."),
    )


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Your contribution"),
        max_length=MAX_POST,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown works."),
    )
    question = forms.TypedChoiceField(
        label=_("Answering"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, questions: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["question"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("The discussion as a whole"))] + [
            (number, f"{number}. {text}") for number, text in questions
        ]


class SummaryForm(forms.Form):
    body = forms.CharField(
        label=_("Summary"),
        max_length=MAX_SUMMARY_BODY,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown. Solex drafted it from the period's posts; edit it freely."),
    )
    period_start = forms.DateTimeField(label=_("From"), widget=DATETIME_WIDGET)
    period_end = forms.DateTimeField(label=_("To"), widget=DATETIME_WIDGET)


class SynthesisForm(forms.Form):
    # Publishing checks these are filled (with a clear message); saving a draft does not.
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE, required=False)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=MAX_SYNTHESIS_SUMMARY,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences: what readers of the library see first."),
    )
    body = forms.CharField(
        label=_("Synthesis"),
        max_length=MAX_SYNTHESIS_BODY,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 30}),
        help_text=_(
            "Markdown. The automatic draft names the points with broad support and the "
            "differing views, each linked to the posts behind it; edit it freely."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
