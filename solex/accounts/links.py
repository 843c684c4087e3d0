"""Signed, time-limited links sent by email: nothing secret is stored in the database.

A sign-up link carries the address it was sent to, signed with the secret key; an
invitation link carries the invitation's id. Following the link proves the person
reads mail at that address. Changing the secret key invalidates every link.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

SIGNUP_SALT = "solex.accounts.signup"
INVITATION_SALT = "solex.accounts.invitation"
SIGNUP_LINK_LIFETIME = timedelta(days=2)
INVITATION_LINK_LIFETIME = timedelta(days=30)


class LinkInvalidError(Exception):
    """The link was altered, truncated, or signed with another key."""


class LinkExpiredError(LinkInvalidError):
    """The link was genuine but is too old."""


def absolute_url(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


def signup_token(email: str) -> str:
    return signing.TimestampSigner(salt=SIGNUP_SALT).sign_object({"email": email})


def signup_url(email: str) -> str:
    return absolute_url(reverse("accounts:signup-confirm", args=[signup_token(email)]))


def read_signup_token(token: str) -> str:
    """The address a sign-up link was sent to; raises LinkExpiredError or LinkInvalidError."""
    signer = signing.TimestampSigner(salt=SIGNUP_SALT)
    try:
        payload = signer.unsign_object(token, max_age=SIGNUP_LINK_LIFETIME)
    except signing.SignatureExpired as exc:
        raise LinkExpiredError from exc
    except (signing.BadSignature, ValueError) as exc:
        raise LinkInvalidError from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("email"), str):
        raise LinkInvalidError
    email: str = payload["email"]
    return email


def invitation_token(invitation_id: int) -> str:
    return signing.TimestampSigner(salt=INVITATION_SALT).sign(str(invitation_id))


def invitation_url(invitation_id: int) -> str:
    return absolute_url(
        reverse("accounts:invitation-accept", args=[invitation_token(invitation_id)])
    )


def read_invitation_token(token: str) -> int:
    """The invitation id an invitation link names; raises LinkExpiredError or LinkInvalidError."""
    signer = signing.TimestampSigner(salt=INVITATION_SALT)
    try:
        value = signer.unsign(token, max_age=INVITATION_LINK_LIFETIME)
    except signing.SignatureExpired as exc:
        raise LinkExpiredError from exc
    except signing.BadSignature as exc:
        raise LinkInvalidError from exc
    try:
        return int(value)
    except ValueError as exc:
        raise LinkInvalidError from exc
