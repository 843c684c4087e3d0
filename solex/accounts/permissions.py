"""Who may do what with accounts. Views, the API and scripts all ask these functions."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from solex.accounts.models import PersonalAccessToken, User
from solex.accounts.queries import organization_for_email


def can_sign_up_with_email(email: str) -> bool:
    """Member organisations' addresses always may; others only if partner sign-up is open."""
    return settings.SOLEX_OPEN_PARTNER_SIGNUP or organization_for_email(email) is not None


def check_sign_up_with_email(email: str) -> None:
    if not can_sign_up_with_email(email):
        raise PermissionDenied(
            _(
                "Solex is open to staff of member organisations. For any other address "
                "you need an invitation: ask a member to invite you."
            )
        )


def can_choose_own_organization(user: User) -> bool:
    """Staff belong to the organisation their address proves; others say where they work."""
    return user.organization is None or not user.organization.domains.exists()


def can_edit_profile(actor: User | AnonymousUser, user: User) -> bool:
    return actor.is_authenticated and (actor.pk == user.pk or actor.is_superuser)


def check_edit_profile(actor: User | AnonymousUser, user: User) -> None:
    if not can_edit_profile(actor, user):
        raise PermissionDenied(_("You can only change your own profile."))


def can_manage_token(actor: User | AnonymousUser, token: PersonalAccessToken) -> bool:
    return actor.is_authenticated and (actor.pk == token.user_id or actor.is_superuser)


def check_manage_token(actor: User | AnonymousUser, token: PersonalAccessToken) -> None:
    if not can_manage_token(actor, token):
        raise PermissionDenied(_("You can only manage your own access tokens."))


def can_invite(actor: User | AnonymousUser) -> bool:
    """Internal staff vouch for the people they invite; site administrators may too."""
    if not actor.is_authenticated:
        return False
    return actor.is_superuser or (isinstance(actor, User) and actor.is_internal)


def check_invite(actor: User | AnonymousUser) -> None:
    if not can_invite(actor):
        raise PermissionDenied(_("Only staff of member organisations can invite people."))
