"""Every change to accounts: sign-up, invitations, profiles, access tokens.

Views, the API and management commands call these functions and nothing else to
change accounts, so the rules are the same whichever way a person comes in.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TypedDict

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from solex.accounts import links
from solex.accounts.models import (
    Invitation,
    Organization,
    PersonalAccessToken,
    User,
    hash_token,
)
from solex.accounts.permissions import (
    can_choose_own_organization,
    check_edit_profile,
    check_invite,
    check_manage_token,
    check_sign_up_with_email,
)
from solex.accounts.queries import (
    organization_for_email,
    self_declared_organizations,
    user_with_email,
)
from solex.accounts.tasks import send_account_email

TOKEN_PREFIX = "solex_"  # noqa: S105 (a marker, not a secret)


def normalize_email(email: str) -> str:
    """Keep the mailbox as typed (some servers respect case there) but lowercase the domain."""
    return User.objects.normalize_email(email.strip())


def _interface_language(language: str) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def _email(kind: str, to: str, context: dict[str, str], language: str) -> None:
    send_account_email.enqueue(kind, to, context, _interface_language(language))


# --- Sign-up ------------------------------------------------------------------------


def request_signup(email: str, *, language: str) -> None:
    """Email a link that lets the owner of ``email`` create an account.

    If the address already has an account we email how to log in instead, and the
    person asking sees the same page either way: the form never tells a stranger
    who has an account.
    """
    email = normalize_email(email)
    check_sign_up_with_email(email)
    existing = user_with_email(email)
    if existing is not None and not existing.is_unclaimed:
        _email(
            "account_exists",
            existing.email,
            {
                "name": existing.get_short_name(),
                "username": existing.username,
                "login_url": links.absolute_url(reverse("accounts:login")),
                "reset_url": links.absolute_url(reverse("accounts:password-reset")),
            },
            language,
        )
        return
    organization = organization_for_email(email)
    _email(
        "signup_confirm",
        email,
        {
            "confirm_url": links.signup_url(email),
            "organization": organization.name if organization else "",
            "lifetime_days": str(links.SIGNUP_LINK_LIFETIME.days),
        },
        language,
    )


def _partner_organization(chosen: Organization | None, new_name: str) -> Organization | None:
    """The organisation an external partner says they work for, created if new."""
    if chosen is not None:
        if not self_declared_organizations().filter(pk=chosen.pk).exists():
            raise ValidationError(
                {"organization": _("Staff of this organisation sign up with their work address.")}
            )
        return chosen
    new_name = " ".join(new_name.split())
    if not new_name:
        return None
    existing = Organization.objects.filter(name__iexact=new_name).first()
    if existing is not None:
        return _partner_organization(existing, "")
    organization, _created = Organization.objects.get_or_create(
        name=new_name,
        defaults={"kind": Organization.Kind.OTHER, "is_internal": False},
    )
    return organization


def _create_user(
    *,
    email: str,
    username: str,
    name: str,
    password: str,
    organization: Organization | None,
    language: str,
) -> User:
    unclaimed = user_with_email(email)
    if unclaimed is not None and not unclaimed.is_unclaimed:
        raise ValidationError(
            _("An account with this email address already exists. Log in instead."),
            code="email_taken",
        )
    taken = User.objects.filter(username__iexact=username)
    if unclaimed is not None:
        taken = taken.exclude(pk=unclaimed.pk)
    if taken.exists():
        raise ValidationError({"username": _("This username is taken. Please choose another.")})
    # Claiming an imported profile keeps its id, so its archived posts become theirs.
    user = unclaimed or User(email=email)
    user.username = username
    user.name = name
    user.organization = organization
    user.preferred_language = _interface_language(language)
    user.email_confirmed_at = timezone.now()
    user.is_active = True
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        # Someone created the same username or address between our check and now.
        raise ValidationError(
            _("This username or email address was just taken. Please try again."),
            code="taken",
        ) from exc
    return user


@transaction.atomic
def sign_up(
    email: str,
    *,
    username: str,
    name: str,
    password: str,
    language: str,
    organization: Organization | None = None,
    new_organization_name: str = "",
) -> User:
    """Create the account a confirmed sign-up link promised.

    The address's domain decides membership: staff of the organisation owning it
    (internal if that organisation is). Anyone else joins as an external partner,
    with the organisation they name, if partner sign-up is open.
    """
    email = normalize_email(email)
    check_sign_up_with_email(email)
    member_of = organization_for_email(email)
    if member_of is None:
        member_of = _partner_organization(organization, new_organization_name)
    return _create_user(
        email=email,
        username=username,
        name=name,
        password=password,
        organization=member_of,
        language=language,
    )


# --- Invitations ----------------------------------------------------------------------


def invite_person(
    email: str,
    *,
    actor: User | AnonymousUser,
    organization: Organization | None = None,
    message: str = "",
    language: str = "",
) -> Invitation:
    """Invite someone whose address no member organisation owns, and email them the link."""
    check_invite(actor)
    assert isinstance(actor, User)
    email = normalize_email(email)
    if organization_for_email(email) is not None:
        raise ValidationError(
            {
                "email": _(
                    "This address belongs to a member organisation: they can sign up themselves."
                )
            }
        )
    if user_with_email(email) is not None:
        raise ValidationError({"email": _("This person already has an account.")})
    invitation = Invitation.objects.create(
        email=email,
        invited_by=actor,
        organization=organization,
        message=message,
    )
    _email(
        "invitation",
        invitation.email,
        {
            "inviter": actor.name or actor.username,
            "message": message,
            "accept_url": links.invitation_url(invitation.pk),
            "organization": organization.name if organization else "",
            "lifetime_days": str(links.INVITATION_LINK_LIFETIME.days),
        },
        language or actor.preferred_language,
    )
    return invitation


@transaction.atomic
def accept_invitation(
    invitation: Invitation, *, username: str, name: str, password: str, language: str
) -> User:
    """Create the invited person's account at the invitation's organisation."""
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been accepted."), code="accepted")
    organization = invitation.organization or organization_for_email(invitation.email)
    user = _create_user(
        email=invitation.email,
        username=username,
        name=name,
        password=password,
        organization=organization,
        language=language,
    )
    # Conditional update, not check-then-save: two tabs accepting at once create
    # one account, and the other rolls back.
    now = timezone.now()
    accepted = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=now, accepted_by=user
    )
    if not accepted:
        raise ValidationError(_("This invitation has already been accepted."), code="accepted")
    invitation.accepted_at, invitation.accepted_by = now, user
    return user


# --- Passwords --------------------------------------------------------------------------


def request_password_reset(email: str, *, language: str) -> None:
    """Email a password-reset link if an active account has this address; else nothing."""
    user = user_with_email(normalize_email(email))
    if user is None or not user.is_active or not user.has_usable_password():
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    _email(
        "password_reset",
        user.email,
        {
            "name": user.get_short_name(),
            "username": user.username,
            "reset_url": links.absolute_url(
                reverse("accounts:password-reset-confirm", args=[uid, token])
            ),
        },
        language or user.preferred_language,
    )


# --- Profile ------------------------------------------------------------------------------


class ProfileChanges(TypedDict, total=False):
    name: str
    title: str
    office: str
    country: str
    region: str
    languages: list[str]
    preferred_language: str
    organization: Organization | None


def update_profile(user: User, *, actor: User | AnonymousUser, changes: ProfileChanges) -> User:
    check_edit_profile(actor, user)
    if "organization" in changes:
        organization = changes["organization"]
        if organization != user.organization:
            if not can_choose_own_organization(user):
                raise PermissionDenied(
                    _("Your organisation comes from your email address and cannot be changed here.")
                )
            if (
                organization is not None
                and not self_declared_organizations().filter(pk=organization.pk).exists()
            ):
                raise ValidationError(
                    {
                        "organization": _(
                            "Staff of this organisation sign up with their work address."
                        )
                    }
                )
    if "preferred_language" in changes:
        changes["preferred_language"] = _interface_language(changes["preferred_language"])
    for field, value in changes.items():
        setattr(user, field, value)
    user.save(update_fields=list(changes))
    return user


# --- Personal access tokens -------------------------------------------------------------------


def create_access_token(
    user: User, *, name: str, expires_at: datetime | None = None
) -> tuple[PersonalAccessToken, str]:
    """A new token for scripts. The raw token is returned once and never stored."""
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry date must be in the future.")})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = PersonalAccessToken.objects.create(
        user=user,
        name=name,
        prefix=raw[:12],
        token_hash=hash_token(raw),
        expires_at=expires_at,
    )
    return token, raw


def revoke_access_token(token: PersonalAccessToken, *, actor: User | AnonymousUser) -> None:
    check_manage_token(actor, token)
    now = timezone.now()
    PersonalAccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
    if token.revoked_at is None:
        token.revoked_at = now
