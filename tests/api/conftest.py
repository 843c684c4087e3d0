"""Fixtures for API tests: a client and a staff persona's personal access token."""

from __future__ import annotations

import pytest
from django.test import Client

from solex.accounts.actions import create_access_token
from solex.accounts.models import User


@pytest.fixture
def staff_token(staff: User) -> str:
    _token, raw = create_access_token(staff, name="weekly report script")
    return raw


@pytest.fixture
def token_client(staff_token: str) -> Client:
    """A client that calls the API as the staff persona, the way a script does."""
    return Client(headers={"Authorization": f"Bearer {staff_token}"})
