"""Forms for the exchange pages: they validate shapes; the rules live in actions.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from solex.accounts.models import User
from solex.communities.models import Community
from solex.core import files
from solex.exchanges.actions import (
    MAX_ATTACHMENTS,
    MAX_BODY,
    MAX_CONTEXT,
    MAX_NOTE,
    MAX_REASON,
    MAX_REPLY,
    MAX_TITLE,
)
from solex.exchanges.models import CloseReason, Kind, Status
from solex.taxonomy.models import Topic


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the content checks happen in the action."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": files.accept_hint()}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(one, initial) for one in uploads]


def attachments_field() -> MultipleFileField:
    return MultipleFileField(
        label=_("Attach files"),
        help_text=_(
            "Up to %(count)d files of %(size)s each: PDF, Word, Excel, PowerPoint, "
            "OpenDocument, images or plain text."
        )
        % {"count": MAX_ATTACHMENTS, "size": files.human_size(files.max_upload_bytes())},
    )


class ExchangeFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_blank(_("Any kind")) + Kind.choices
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(_("Any status")) + Status.choices
    )
    topic = forms.ChoiceField(label=_("Topic"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topic = self.fields["topic"]
        assert isinstance(topic, forms.ChoiceField)
        topic.choices = _blank(_("Any topic")) + list(
            Topic.objects.values_list("slug", "name")[:500]
        )


class AskForm(forms.Form):
    # Lengths are checked by the action too; the form says so before the round trip.
    title = forms.CharField(
        label=_("Your question in one line"),
        max_length=MAX_TITLE,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = forms.CharField(
        label=_("The question"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What do you need to know? Markdown works."),
    )
    context = forms.CharField(
        label=_("Context"),
        required=False,
        max_length=MAX_CONTEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Where this comes from and what you tried already."),
    )
    country = forms.CharField(
        label=_("Country"),
        required=False,
        max_length=2,
        help_text=_("Two-letter ISO code, e.g. KE."),
    )
    needed_by = forms.DateField(
        label=_("Needed by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"), required=False, queryset=Topic.objects.order_by("name")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"] = attachments_field()


class DirectForm(forms.Form):
    title = forms.CharField(label=_("Subject"), max_length=MAX_TITLE)
    body = forms.CharField(
        label=_("What you need"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Only the community's facilitators read this."),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=MAX_REPLY,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown works: links, lists, **bold**."),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    paragraph = forms.IntegerField(label=_("Paragraph"), required=False, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"] = attachments_field()


class SharpenForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE)
    body = forms.CharField(
        label=_("The question"), max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 8})
    )
    reason = forms.CharField(
        label=_("Why you changed it"),
        required=False,
        max_length=MAX_REASON,
        help_text=_("The asker sees the earlier wording and this reason."),
    )


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why it closes"),
        choices=[
            (value, label)
            for value, label in CloseReason.choices
            if value not in (CloseReason.CONSOLIDATED, CloseReason.HANDED_OFF, CloseReason.LIBRARY)
        ],
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the exchange."),
    )
    moved_to = forms.IntegerField(
        label=_("Number of the exchange it duplicates"), required=False, min_value=1
    )


class MergeForm(forms.Form):
    into = forms.IntegerField(label=_("Number of the earlier exchange"), min_value=1)


class HandOffForm(forms.Form):
    to_community = forms.ModelChoiceField(
        label=_("Community"), queryset=Community.objects.none(), to_field_name="slug"
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_community"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = communities


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=MAX_REASON, help_text=_("Shown to everyone.")
    )


class RouteForm(forms.Form):
    experts = forms.ModelMultipleChoiceField(
        label=_("People to ask"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["experts"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = people


class ConnectForm(forms.Form):
    people = forms.CharField(
        label=_("Usernames of the people to connect with"),
        max_length=500,
        help_text=_("Separated by commas."),
    )
    note = forms.CharField(
        label=_("Note to the asker"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def usernames(self) -> list[str]:
        raw: str = self.cleaned_data["people"]
        return [name.strip() for name in raw.split(",") if name.strip()]


class EditReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Reply"), max_length=MAX_REPLY, widget=forms.Textarea(attrs={"rows": 8})
    )
    reason = forms.CharField(label=_("Why you edited it"), required=False, max_length=MAX_REASON)


class SettingsForm(forms.Form):
    triage_queries = forms.BooleanField(
        label=_("Facilitators triage new queries before the community sees them"), required=False
    )
    reminder_days = forms.IntegerField(
        label=_("Remind asked experts after (days)"), min_value=1, max_value=60
    )
    escalation_days = forms.IntegerField(
        label=_("Escalate unanswered queries after (days)"), min_value=2, max_value=90
    )


class SimilarForm(forms.Form):
    title = forms.CharField(required=False, max_length=MAX_TITLE)
    body = forms.CharField(required=False, max_length=MAX_BODY)


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label=_("Search the library"), max_length=200, required=False)


class LibraryAnswerForm(forms.Form):
    item = forms.IntegerField(label=_("The item that answers it"), min_value=1)
    note = forms.CharField(
        label=_("Note to the asker"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the query with the link."),
    )
