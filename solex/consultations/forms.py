"""Forms for the consultation pages: they validate shapes; the rules live in actions.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from solex.consultations.actions import (
    MAX_COMMENT,
    MAX_DRAFT,
    MAX_NOTE,
    MAX_PURPOSE,
    MAX_REASON,
    MAX_SUMMARY,
    MAX_SUMMARY_BODY,
    MAX_SUMMARY_TITLE,
)
from solex.consultations.models import Response
from solex.core import files
from solex.core.api.params import MAX_ID
from solex.exchanges.actions import MAX_TITLE
from solex.taxonomy.models import Topic


class StartForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE)
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=MAX_PURPOSE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the draft is for, and what kind of comments help most."),
    )
    body = forms.CharField(
        label=_("The draft"),
        max_length=MAX_DRAFT,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Markdown. Leave a blank line between paragraphs: each paragraph is numbered "
            "and people comment on it. Headings (# …) are not numbered."
        ),
    )
    closes_at = forms.DateTimeField(
        label=_("Comments close"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("The deadline; Solex closes the consultation then and drafts the summary."),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"), required=False, queryset=Topic.objects.order_by("name")
    )
    attachment = forms.FileField(
        label=_("Attached file (optional)"),
        required=False,
        help_text=_("The draft as a document (PDF, Word...), for those who prefer to read it so."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachment"].widget.attrs["accept"] = files.accept_hint()


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown works."),
    )
    paragraph = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )
    version = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )
    parent = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )


class VersionForm(forms.Form):
    body = forms.CharField(
        label=_("The new version"),
        max_length=MAX_DRAFT,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_("Markdown. Its paragraphs are numbered afresh; earlier versions are kept."),
    )
    note = forms.CharField(
        label=_("What changed"),
        max_length=MAX_NOTE,
        required=False,
        help_text=_("One line for the people who commented, e.g. “Paragraph 3 now covers …”."),
    )
    attachment = forms.FileField(
        label=_("A new attached file (optional)"),
        required=False,
        help_text=_("Without one, the version keeps the previous file."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachment"].widget.attrs["accept"] = files.accept_hint()


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("A note for the participants (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ResponseForm(forms.Form):
    comment = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    response = forms.ChoiceField(
        label=_("What became of it"), choices=Response.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=MAX_REASON,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required unless it was taken up."),
    )


class SummaryForm(forms.Form):
    # Publishing checks these are filled (with a clear message); saving a draft does not.
    title = forms.CharField(label=_("Title"), max_length=MAX_SUMMARY_TITLE, required=False)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=MAX_SUMMARY,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences: what readers of the library see first."),
    )
    body = forms.CharField(
        label=_("Feedback summary"),
        max_length=MAX_SUMMARY_BODY,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_(
            "Markdown. The automatic draft groups the comments by paragraph and names who "
            "took part; edit it freely. The “You said, we did” table is added on publication."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
