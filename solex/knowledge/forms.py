"""Forms for the knowledge pages: shapes only; the rules live in actions.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from solex.accounts.models import User


def _text(
    label: Any, *, required: bool = True, rows: int = 4, help_text: Any = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=20000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class AfterActionReviewForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = _text(_("Summary"), rows=2, help_text=_("One or two sentences: the lesson in short."))
    context = _text(_("Context"), help_text=_("What was planned, and what happened."))
    what_worked = _text(_("What worked"))
    what_did_not_work = _text(
        _("What did not work"),
        help_text=_(
            "Failures teach as much as successes. If nothing failed, say what came closest."
        ),
    )
    why = _text(_("Why"), required=False, help_text=_("Why things went as they did."))
    recommendation = _text(_("Recommendation"), help_text=_("What to do differently next time."))
    evidence = _text(
        _("Evidence"),
        required=False,
        rows=3,
        help_text=_("Reports, figures and links that back the lesson."),
    )
    body = _text(
        _("The full account"),
        required=False,
        rows=8,
        help_text=_("Optional. Markdown: **bold**, lists, links, tables."),
    )
    contributors = forms.ModelMultipleChoiceField(
        label=_("Contributors"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Members who took part in the review; you are credited too."),
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contributors = self.fields["contributors"]
        assert isinstance(contributors, forms.ModelMultipleChoiceField)
        contributors.queryset = members
