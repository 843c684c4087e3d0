from __future__ import annotations

import pytest

from solex.accounts.models import Organization, User
from solex.accounts.testing import make_organization, make_partner, make_staff, make_user


@pytest.fixture
def site_admin(db: None) -> User:
    return make_staff("root", name="Rita Admin", is_superuser=True, is_staff=True)


@pytest.fixture
def colleague(db: None) -> User:
    """Another internal member, in Nairobi."""
    return make_staff(
        "bashir", name="Bashir Osman", country="KE", region="africa", title="Water specialist"
    )


@pytest.fixture
def ngo(db: None) -> Organization:
    return make_organization(
        "Clean Water Alliance",
        acronym="CWA",
        kind=Organization.Kind.NGO,
        is_internal=False,
        domains=("cwa.example.org",),
    )


@pytest.fixture
def other_partner(ngo: Organization) -> User:
    """An external partner from another organisation than ``partner``'s."""
    return make_user("olga", organization=ngo, name="Olga Mendes", country="BR")


@pytest.fixture
def partner_colleague(db: None) -> User:
    """Works for the same partner organisation as ``partner``."""
    return make_partner("pita", name="Pita Kamau")
