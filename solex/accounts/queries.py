"""Reads about people and organisations that more than one caller needs."""

from __future__ import annotations

from django.db.models import QuerySet
from django.db.models.functions import Lower

from solex.accounts.models import Organization, OrganizationDomain, PersonalAccessToken, User


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().rstrip(".").lower()


def organization_for_email(email: str) -> Organization | None:
    """The organisation owning the address's domain or its closest parent domain.

    ``ke.undp.org`` belongs to whoever owns ``ke.undp.org``, else ``undp.org``; a
    bare top-level domain never matches.
    """
    labels = email_domain(email).split(".")
    candidates = [".".join(labels[i:]) for i in range(len(labels) - 1)]
    if not candidates:
        return None
    matches = (
        OrganizationDomain.objects.annotate(domain_lower=Lower("domain"))
        .filter(domain_lower__in=candidates)
        .select_related("organization")
    )
    best = max(matches, key=lambda match: len(match.domain), default=None)
    return best.organization if best else None


def user_with_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def user_for_login(identifier: str) -> User | None:
    """The person a log-in name means: an email address or a username, any case.

    An exact username wins over a case-insensitive one, so two accounts that differ
    only in case (possible with older data) stay reachable.
    """
    identifier = identifier.strip()
    if not identifier:
        return None
    if "@" in identifier:
        user = user_with_email(identifier)
        if user is not None:
            return user
    exact = User.objects.filter(username=identifier).first()
    if exact is not None:
        return exact
    matches = list(User.objects.filter(username__iexact=identifier)[:2])
    return matches[0] if len(matches) == 1 else None


def self_declared_organizations() -> QuerySet[Organization]:
    """External organisations anyone may say they work for: no domain proves membership."""
    return Organization.objects.filter(is_internal=False, domains__isnull=True)


def tokens_of(user: User) -> QuerySet[PersonalAccessToken]:
    """A person's access tokens that are not revoked, newest first."""
    return PersonalAccessToken.objects.filter(user=user, revoked_at__isnull=True)
