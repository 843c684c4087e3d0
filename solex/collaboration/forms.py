"""Forms for the action group pages: they validate shapes; the rules live in actions.py."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from solex.accounts.models import User
from solex.collaboration.actions import (
    MAX_OUTCOME,
    MAX_PURPOSE,
    MAX_SUMMARY,
    MAX_TASK,
    MAX_TITLE,
    MAX_URL,
)
from solex.collaboration.models import ActionGroup, Task

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeopleField(forms.CharField):
    """Usernames separated by commas or spaces, cleaned to the active accounts they name."""

    def clean(self, value: Any) -> list[User]:
        text = super().clean(value) or ""
        names = [name.lstrip("@") for name in re.split(r"[\s,;]+", text) if name.strip()]
        found = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
        unknown = [name for name in dict.fromkeys(names) if name not in found]
        if unknown:
            raise ValidationError(
                _("Nobody is called: %(names)s.") % {"names": ", ".join(unknown)}, code="unknown"
            )
        return [found[name] for name in dict.fromkeys(names)]


class StartGroupForm(forms.Form):
    title = forms.CharField(label=_("Name of the group"), max_length=MAX_TITLE)
    kind = forms.ChoiceField(label=_("Kind"), choices=ActionGroup.Kind.choices)
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=MAX_PURPOSE,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the group will do and produce. Markdown works."),
    )
    starts_on = forms.DateField(label=_("Starts"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Ends"), widget=DATE_WIDGET)
    members = PeopleField(
        label=_("Members"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Usernames of community members, separated by commas. You lead the group."),
    )


class MembersForm(forms.Form):
    members = PeopleField(
        label=_("Members to add"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Usernames of community members, separated by commas. Each is notified."),
    )


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=MAX_TASK)
    owner = forms.TypedChoiceField(label=_("Owner"), required=False, coerce=int, empty_value=None)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DATE_WIDGET)
    status = forms.ChoiceField(label=_("Status"), choices=Task.Status.choices, required=False)

    def __init__(self, *args: Any, members: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Nobody yet"))] + [
            (person.pk, person.name or person.username) for person in members
        ]
        self.members = {person.pk: person for person in members}

    def chosen_owner(self) -> User | None:
        owner_id = self.cleaned_data.get("owner")
        return self.members.get(owner_id) if owner_id is not None else None


class DeliverableForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE, required=False)
    item = forms.TypedChoiceField(
        label=_("Knowledge item"), required=False, coerce=int, empty_value=None
    )
    url = forms.CharField(
        label=_("Or an address"),
        required=False,
        max_length=MAX_URL,
        help_text=_("A web address starting with https://, if it is not in the library."),
    )

    def __init__(self, *args: Any, items: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["item"]
        assert isinstance(field, forms.TypedChoiceField)
        choices: list[tuple[int | str, Any]] = [("", _("None"))]
        field.choices = choices + list(items)


class CloseGroupForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"),
        max_length=MAX_OUTCOME,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the group achieved, what it did not, and what comes next. Markdown."),
    )
    publish = forms.BooleanField(label=_("Publish the outcome in the library"), required=False)
    summary = forms.CharField(
        label=_("Summary for the library"),
        max_length=MAX_SUMMARY,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when you publish: one or two sentences."),
    )
