"""Forms for the community pages: they validate shapes; the rules live in actions.py."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solex.accounts.models import Region, User
from solex.accounts.queries import user_with_email
from solex.communities.models import (
    Community,
    CommunityRequest,
    DeliveryPreference,
    JoinPolicy,
    Kind,
    MembershipType,
    Role,
    Scope,
    Stage,
    Visibility,
)
from solex.taxonomy.models import Topic

MAX_CSV_BYTES = 512 * 1024


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    scope = forms.ChoiceField(
        label=_("Scope"), required=False, choices=_blank(_("Any scope")) + Scope.choices
    )
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=_blank(_("Any region")) + Region.choices
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_blank(_("Any kind")) + Kind.choices
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topics = list(Topic.objects.values_list("slug", "name")[:500])
        topic = self.fields["topic"]
        assert isinstance(topic, forms.ChoiceField)
        topic.choices = _blank(_("Any topic")) + topics


class CommunityRequestForm(forms.ModelForm[CommunityRequest]):
    class Meta:
        model = CommunityRequest
        fields = [
            "name",
            "slug",
            "purpose",
            "reason",
            "visibility",
            "membership_type",
            "join_policy",
            "kind",
            "scope",
            "parent",
            "topics",
        ]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 4}),
            "topics": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, parents: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Leave empty to make one from the name.")
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = parents if parents is not None else Community.objects.none()
        parent.help_text = _("Make it a sub-network of a wider community or meta-network.")


class CharterForm(forms.ModelForm[Community]):
    class Meta:
        model = Community
        fields = ["purpose", "mission", "vision", "goals", "member_rules", "stage"]


class JoinRequestForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the facilitators"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Who you are and what you hope to share or learn."),
    )


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the person by email."),
    )


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=_("Email addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One address per line."),
    )
    csv_file = forms.FileField(
        label=_("Or a CSV file of addresses"),
        required=False,
        help_text=_("Email addresses in the first column; a header row is fine."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)
    message = forms.CharField(
        label=_("Personal message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = data.get("emails", "") or ""
        upload = data.get("csv_file")
        if upload is not None:
            if upload.size > MAX_CSV_BYTES:
                raise ValidationError(
                    {"csv_file": _("The file is too large: keep it under 512 KB.")}
                )
            try:
                text += "\n" + upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise ValidationError(
                    {"csv_file": _("Save the file as UTF-8 text (CSV) and try again.")}
                ) from exc
        if not text.strip():
            raise ValidationError(_("Give at least one email address, or a CSV file."))
        data["csv_text"] = text
        return data


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=[c for c in Role.choices if c[0] != Role.MEMBER]
    )
    operation = forms.ChoiceField(choices=[("grant", _("Grant")), ("revoke", _("Revoke"))])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class RemoveMemberForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class WithdrawInvitationForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class DeliveryForm(forms.Form):
    delivery = forms.ChoiceField(label=_("Email delivery"), choices=DeliveryPreference.choices)


class AcceptInvitationForm(forms.Form):
    """For people who have no account yet: the invitation creates it."""

    name = forms.CharField(label=_("Your full name"), max_length=150)
    password = forms.CharField(
        label=_("Choose a password"), widget=forms.PasswordInput(render_value=False), strip=False
    )


def _country_codes(value: str) -> list[str]:
    codes = [code.strip().upper() for code in value.split(",") if code.strip()]
    bad = [code for code in codes if len(code) != 2 or not code.isalpha()]
    if bad:
        raise ValidationError(
            _("Use two-letter country codes: %(codes)s") % {"codes": ", ".join(bad)}
        )
    return codes


class CommunityEditForm(forms.Form):
    """What a community is about and how it runs; the access fields only for coordinators."""

    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=Scope.choices)
    regions = forms.MultipleChoiceField(
        label=_("Regions"),
        choices=Region.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    countries = forms.CharField(
        label=_("Countries"),
        required=False,
        max_length=600,
        help_text=_("ISO codes separated by commas, e.g. MZ, MW"),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    stage = forms.ChoiceField(label=_("Lifecycle stage"), choices=Stage.choices)
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ends_on = forms.DateField(
        label=_("End date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For time-bound communities: after this date it becomes a read-only archive."),
    )
    parent = forms.ModelChoiceField(
        label=_("Part of"),
        queryset=Community.objects.none(),
        required=False,
        help_text=_("Make it a sub-network of a wider community or meta-network."),
    )
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices)
    membership_type = forms.ChoiceField(label=_("Membership"), choices=MembershipType.choices)
    join_policy = forms.ChoiceField(label=_("Joining"), choices=JoinPolicy.choices)

    ACCESS_FIELDS = ("visibility", "membership_type", "join_policy")

    def __init__(
        self, *args: Any, community: Community, parents: Any, may_change_access: bool, **kwargs: Any
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "topics": list(community.topics.all()),
                "scope": community.scope,
                "regions": community.regions,
                "countries": ", ".join(community.countries),
                "kind": community.kind,
                "stage": community.stage,
                "languages": community.languages,
                "ends_on": community.ends_on,
                "parent": community.parent_id,
                "visibility": community.visibility,
                "membership_type": community.membership_type,
                "join_policy": community.join_policy,
            },
        )
        super().__init__(*args, **kwargs)
        topics = self.fields["topics"]
        assert isinstance(topics, forms.ModelMultipleChoiceField)
        topics.queryset = Topic.objects.order_by("name")
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = parents.exclude(pk=community.pk)
        if not may_change_access:
            for name in self.ACCESS_FIELDS:
                del self.fields[name]

    def clean_countries(self) -> list[str]:
        return _country_codes(self.cleaned_data["countries"])


def _email_lines(value: str) -> list[str]:
    return [line.strip() for line in value.replace(",", "\n").splitlines() if line.strip()]


class CrisisForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    slug = forms.SlugField(label=_("Web address"), max_length=80, required=False)
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    ends_on = forms.DateField(
        label=_("End date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("After this date the community becomes a read-only archive."),
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"), choices=Visibility.choices, initial=Visibility.PUBLIC
    )
    admits_partners = forms.BooleanField(
        label=_("Open to external partners"), required=False, initial=True
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=settings.LANGUAGES,
        initial=["en"],
        widget=forms.CheckboxSelectMultiple,
    )
    countries = forms.CharField(
        label=_("Countries"),
        required=False,
        help_text=_("ISO codes separated by commas, e.g. MZ, MW"),
    )
    facilitators = forms.CharField(
        label=_("Facilitators"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Email addresses of people with an account, one per line."),
    )
    expert_emails = forms.CharField(
        label=_("Experts to invite"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One address per line; people without an account get one by accepting."),
    )
    mission = forms.CharField(
        label=_("Mission"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_ends_on(self) -> datetime.date:
        ends_on: datetime.date = self.cleaned_data["ends_on"]
        if ends_on <= timezone.localdate():
            raise ValidationError(_("Choose a date in the future."))
        return ends_on

    def clean_countries(self) -> list[str]:
        return _country_codes(self.cleaned_data["countries"])

    def clean_facilitators(self) -> list[User]:
        addresses = _email_lines(self.cleaned_data["facilitators"])
        if len(addresses) > 20:
            raise ValidationError(_("Name at most 20 facilitators; add more later."))
        people = [user_with_email(address) for address in addresses]
        missing = [
            address for address, person in zip(addresses, people, strict=True) if person is None
        ]
        if missing:
            raise ValidationError(_("No account for: %(emails)s") % {"emails": ", ".join(missing)})
        return [person for person in people if person is not None]

    def clean_expert_emails(self) -> list[str]:
        return _email_lines(self.cleaned_data["expert_emails"])
