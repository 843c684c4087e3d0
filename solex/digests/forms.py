"""Forms of the email pages: a member's delivery settings, and the weekly top 5."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from solex.communities.models import DeliveryPreference, Membership
from solex.digests.queries import Candidate
from solex.mail.models import Delivery, MailSettings


def delivery_field_name(slug: str) -> str:
    return f"delivery_{slug}"


class PreferencesForm(forms.Form):
    paused = forms.BooleanField(
        label=_("Pause all email from Solex"),
        required=False,
        help_text=_("Nothing is emailed to you while this is on; the web inbox still fills."),
    )
    default_delivery = forms.ChoiceField(
        label=_("Notifications not about a community"),
        choices=Delivery.choices,
        help_text=_("For example invitations and answers to your requests."),
    )

    def __init__(
        self, *args: Any, memberships: list[Membership], settings_row: MailSettings, **kwargs: Any
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "paused": settings_row.paused,
                "default_delivery": settings_row.default_delivery,
                **{delivery_field_name(m.community.slug): m.delivery for m in memberships},
            },
        )
        super().__init__(*args, **kwargs)
        self.memberships = memberships
        for membership in memberships:
            self.fields[delivery_field_name(membership.community.slug)] = forms.ChoiceField(
                label=membership.community.name, choices=DeliveryPreference.choices
            )

    def deliveries(self) -> dict[str, str]:
        return {
            m.community.slug: self.cleaned_data[delivery_field_name(m.community.slug)]
            for m in self.memberships
        }


class TopFiveForm(forms.Form):
    intro = forms.CharField(
        label=_("Introduction"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few words to the members on this week's selection."),
    )

    def __init__(self, *args: Any, candidates: list[Candidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        for candidate in candidates:
            pk = candidate.exchange.pk
            self.fields[f"pick_{pk}"] = forms.BooleanField(
                label=candidate.exchange.title, required=False
            )
            self.fields[f"note_{pk}"] = forms.CharField(
                label=_("Your line on “%(title)s”") % {"title": candidate.exchange.title},
                max_length=300,
                required=False,
            )

    def picked(self) -> list[tuple[int, str]]:
        return [
            (c.exchange.pk, self.cleaned_data.get(f"note_{c.exchange.pk}", ""))
            for c in self.candidates
            if self.cleaned_data.get(f"pick_{c.exchange.pk}")
        ]


def candidate_rows(form: TopFiveForm) -> list[tuple[Candidate, forms.BoundField, forms.BoundField]]:
    """Each candidate with its pick box and its line, for the template."""
    return [
        (c, form[f"pick_{c.exchange.pk}"], form[f"note_{c.exchange.pk}"]) for c in form.candidates
    ]
