"""Personas shared by every test. Browser fixtures live in tests/browser/conftest.py."""

from __future__ import annotations

import pytest

from solex.accounts.models import User
from solex.accounts.testing import make_partner, make_staff


@pytest.fixture
def staff(db: None) -> User:
    """An internal member (UN agency staff)."""
    return make_staff("amina", name="Amina Diallo", country="SN", region="africa")


@pytest.fixture
def partner(db: None) -> User:
    """An external partner (government official): must never see internal content."""
    return make_partner("pedro", name="Pedro Alves", country="KE", region="africa")


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Rate-limit counters live in the cache: start every test with none."""
    from django.core.cache import cache

    cache.clear()
