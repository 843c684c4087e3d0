"""Authentication pieces that know nothing of tokens: the browser session and anonymity.

Ninja tries an operation's auth callbacks in order and takes the first that returns
a value; if none does, the request is refused with 401. Ending the list with
``AnonymousAuth`` makes authentication optional: the operation then sees the signed-in
user or ``AnonymousUser``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyCookie
from ninja.utils import check_csrf

CSRF_FAILED_DETAIL = (
    "CSRF check failed. Requests signed in with the browser session must send the "
    "csrftoken cookie's value in the X-CSRFToken header; scripts should use a personal "
    "access token instead."
)


class SessionAuth(APIKeyCookie):
    """The site's session, for pages calling the API from the browser.

    Unlike ninja's ``django_auth``, CSRF is checked only once we know the session signs
    someone in: an anonymous request has no session to forge, so it goes on to the next
    callback (a token, or anonymity) instead of failing with 403.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, CSRF_FAILED_DETAIL)
        return request.user


class AnonymousAuth:
    """Always succeeds, with the anonymous user: put it last to make sign-in optional."""

    def __call__(self, request: HttpRequest) -> AnonymousUser:
        return AnonymousUser()
