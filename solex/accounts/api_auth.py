"""Who is calling the API: a personal access token, the browser session, or nobody.

Routers choose per operation: ``auth_required`` answers 401 to anonymous callers;
``auth_optional`` lets them through as ``AnonymousUser`` for public content. Either way
a token that is sent must be valid: a script with a revoked token should fail loudly,
not quietly see less.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from solex.accounts.models import PersonalAccessToken, User, hash_token
from solex.core.api.auth import AnonymousAuth, SessionAuth

# Recording every use would turn each API read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)

INVALID_CREDENTIAL_DETAIL = (
    "This access token is not valid: it is mistyped, revoked or expired, or its owner's "
    "account is closed. Create a new token from your account."
)
MALFORMED_HEADER_DETAIL = "The Authorization header must be 'Bearer <token>'."


def user_for_token(raw: str) -> User | None:
    """The active owner of an active token, noting when the token was used."""
    token = (
        PersonalAccessToken.objects.select_related("user__organization")
        .filter(token_hash=hash_token(raw))
        .first()
    )
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        token.save(update_fields=["last_used_at"])
    return token.user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <personal access token>``, for scripts."""

    openapi_bearerFormat = "personal access token"  # noqa: N815 (ninja reads this name)
    openapi_description = "A personal access token, created from your account."

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header)
        if header is None:
            return None
        scheme, _space, raw = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise AuthenticationError(message=MALFORMED_HEADER_DETAIL)
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User:
        user = user_for_token(token)
        if user is None:
            raise AuthenticationError(message=INVALID_CREDENTIAL_DETAIL)
        # Code below the API (permissions, actions) reads request.user, as in views.
        request.user = user
        return user


token_auth = TokenAuth()
session_auth = SessionAuth()
auth_required = [token_auth, session_auth]
auth_optional = [token_auth, session_auth, AnonymousAuth()]


def caller(request: HttpRequest) -> User | AnonymousUser:
    """The authenticated caller, or ``AnonymousUser`` on an ``auth_optional`` operation."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, User) else AnonymousUser()


def signed_in_caller(request: HttpRequest) -> User:
    """The caller of an ``auth_required`` operation."""
    auth = getattr(request, "auth", None)
    if not isinstance(auth, User):
        raise AuthenticationError()
    return auth
