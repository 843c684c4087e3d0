from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from solex.knowledge.consolidated.actions import MAX_BODY, MAX_SUMMARY, MAX_TITLE


class ConsolidatedReplyForm(forms.Form):
    # Publishing checks these are filled (with a clear message); saving a draft does not.
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE, required=False)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=MAX_SUMMARY,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences: what readers of the library see first."),
    )
    body = forms.CharField(
        label=_("Consolidated reply"),
        max_length=MAX_BODY,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 30}),
        help_text=_(
            "Markdown. The automatic draft groups the replies' points by theme and credits "
            "each respondent; edit it freely. The replies are kept in full below it."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    token = forms.CharField(widget=forms.HiddenInput, required=False)
