"""Factories for tests: named people at named organisations, built in one call.

Kept in the package (not under tests/) so every app's tests and the browser tests
share the same personas.
"""

from __future__ import annotations

import itertools
from typing import Any

from django.utils import timezone

from solex.accounts.models import Organization, OrganizationDomain, User

TEST_PASSWORD = "correct-horse-battery-staple"  # noqa: S105 (test fixture)
_sequence = itertools.count(1)


def make_organization(
    name: str = "United Nations Development Programme",
    *,
    acronym: str = "UNDP",
    kind: str = Organization.Kind.UN_AGENCY,
    is_internal: bool = True,
    domains: tuple[str, ...] = ("undp.org",),
) -> Organization:
    organization, _ = Organization.objects.get_or_create(
        name=name, defaults={"acronym": acronym, "kind": kind, "is_internal": is_internal}
    )
    for domain in domains:
        OrganizationDomain.objects.get_or_create(
            domain=domain, defaults={"organization": organization}
        )
    return organization


def make_partner_organization() -> Organization:
    return make_organization(
        "Ministry of Local Government, Kenya",
        acronym="MoLG",
        kind=Organization.Kind.GOVERNMENT,
        is_internal=False,
        domains=("molg.go.ke",),
    )


def make_user(
    username: str | None = None,
    *,
    organization: Organization | None = None,
    password: str = TEST_PASSWORD,
    **fields: Any,
) -> User:
    number = next(_sequence)
    username = username or f"person{number}"
    domain = organization.domains.values_list("domain", flat=True).first() if organization else None
    defaults: dict[str, Any] = {
        "name": fields.pop("name", username.replace("_", " ").title()),
        "email": fields.pop("email", f"{username}@{domain or 'example.net'}"),
        "organization": organization,
        "email_confirmed_at": timezone.now(),
    }
    user = User(username=username, **defaults, **fields)
    user.set_password(password)
    user.save()
    return user


def make_staff(username: str | None = None, **fields: Any) -> User:
    """An internal member: staff of a UN agency."""
    return make_user(username, organization=make_organization(), **fields)


def make_partner(username: str | None = None, **fields: Any) -> User:
    """An external partner: works for a government, sees only public content."""
    return make_user(username, organization=make_partner_organization(), **fields)
