"""Forms for the account pages. They validate input; actions in actions.py make changes."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from solex.accounts.countries import country_choices
from solex.accounts.models import Organization, Region, User
from solex.accounts.queries import self_declared_organizations

LANGUAGE_CODE_PATTERN = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")


class CountryField(forms.ChoiceField):
    """A select of countries by name that stores the ISO code (also accepts "ke")."""

    def __init__(self, *, blank_label: str | Promise, **kwargs: Any) -> None:
        kwargs.setdefault(
            "error_messages",
            {
                "invalid_choice": _(
                    "“%(value)s” is not a country Solex knows; choose one from the list."
                )
            },
        )
        # A callable, so the names are sorted in the language of each page.
        super().__init__(choices=lambda: [("", blank_label), *country_choices()], **kwargs)

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).strip()

    def valid_value(self, value: Any) -> bool:
        return super().valid_value(str(value).upper())

    def clean(self, value: Any) -> str:
        # Checked as typed (so the error message quotes it), stored as the code.
        return str(super().clean(value)).upper()


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class SignupForm(EmailForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Work email address")
        self.fields["email"].help_text = _(
            "Staff of member organisations are recognised by their work address. "
            "We will email you a link to finish signing up."
        )


class AccountDetailsForm(forms.Form):
    """The details a person chooses when the link in their email brings them back."""

    name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        help_text=_("As colleagues know you, in any script."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[User.username_validator],
        help_text=_("Letters, digits and @ . + - _ only. You can log in with it or your email."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=password_validation.password_validators_help_text_html(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        help_text=_("Type the same password again, to catch typing mistakes."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken. Please choose another."))
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords are different."))
        elif password1:
            candidate = User(
                username=cleaned.get("username", ""), name=cleaned.get("name", ""), email=self.email
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class PartnerDetailsForm(AccountDetailsForm):
    """Partners also say where they work; nothing proves it, so only external organisations."""

    organization = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("Not listed, or none"),
        help_text=_("Choose the organisation you work for, if it is listed."),
    )
    new_organization_name = forms.CharField(
        label=_("Organisation not listed"),
        max_length=200,
        required=False,
        help_text=_(
            "Type its full name if it is not in the list. Leave empty if you work independently."
        ),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, email=email, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = self_declared_organizations()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("organization") and cleaned.get("new_organization_name", "").strip():
            self.add_error(
                "new_organization_name",
                _("Choose an organisation from the list or type a new one, not both."),
            )
        return cleaned


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username or email address"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class LanguageListField(forms.CharField):
    """Language codes typed as a list: "en, fr, sw" becomes ["en", "fr", "sw"]."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(str(code) for code in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        codes: list[str] = []
        for part in re.split(r"[,\s]+", text):
            code = part.strip().lower().replace("_", "-")
            if code and code not in codes:
                codes.append(code)
        return codes

    def validate(self, value: Any) -> None:
        super().validate(value)
        unknown = [code for code in value if not LANGUAGE_CODE_PATTERN.match(code)]
        if unknown:
            raise ValidationError(
                _("These are not language codes: %(codes)s. Use codes such as en, fr, ar, sw."),
                params={"codes": ", ".join(unknown)},
            )


class ProfileForm(forms.Form):
    name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    title = forms.CharField(
        label=_("Job title"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    organization = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("Not listed, or none"),
    )
    office = forms.CharField(
        label=_("Office"),
        max_length=150,
        required=False,
        help_text=_("Your duty station or unit, e.g. Nairobi regional hub."),
    )
    country = CountryField(
        label=_("Duty-station country"), blank_label=_("Not set"), required=False
    )
    region = forms.ChoiceField(
        label=_("Region"), choices=[("", _("Not set")), *Region.choices], required=False
    )
    languages = LanguageListField(
        label=_("Languages you speak"),
        required=False,
        help_text=_("Language codes separated by commas, e.g. en, fr, sw."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Interface language"),
        choices=settings.LANGUAGES,
        help_text=_("Solex pages and emails use this language."),
    )

    def __init__(self, *args: Any, can_choose_organization: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if can_choose_organization:
            field = self.fields["organization"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = self_declared_organizations()
        else:
            del self.fields["organization"]


class TokenForm(forms.Form):
    EXPIRY_CHOICES = [
        ("", _("Never")),
        ("30", _("In 30 days")),
        ("90", _("In 90 days")),
        ("365", _("In a year")),
    ]

    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “weekly report script”."),
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Expires"),
        choices=EXPIRY_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )

    def expires_at(self) -> datetime | None:
        days: int | None = self.cleaned_data.get("expires_in_days")
        return timezone.now() + timedelta(days=days) if days else None


class InvitationForm(EmailForm):
    organization = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("Not listed, or none"),
        help_text=_("Where the person works, if it is listed."),
    )
    message = forms.CharField(
        label=_("Personal message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. Included in the invitation email."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = self_declared_organizations()
