"""Render a message's text and HTML once, in one language, for ``MailContent``.

Templates come in pairs, ``NAME.txt`` (complete on its own, read in any client) and
``NAME.html`` (extends ``mail/base.html``: small, accessible, no remote images or
scripts). Both get ``unsubscribe_url`` (a marker each copy replaces with its own
signed link), ``preferences_url`` and ``site_url``.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator

from solex.mail.compose import UNSUBSCRIBE_MARK, absolute
from solex.mail.models import MailContent

_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n{3,}")


def email_safe_html(html: str) -> str:
    """Sanitised HTML (from ``solex.core.markdown``) without images, which would load remotely."""
    return _IMAGE.sub("", html)


def language_of(language: str | None) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def render_content(
    template: str,
    context: dict[str, Any],
    *,
    kind: str,
    language: str | None,
    subject: str,
    thread: str = "",
    community_id: int | None = None,
    list_slug: str = "",
    list_name: str = "",
    reply_exchange_id: int | None = None,
    archive_url: str = "",
) -> MailContent:
    """An unsaved ``MailContent`` rendered in ``language`` (the site's if it has none)."""
    language = language_of(language)
    with translation.override(language):
        full = {
            **context,
            "subject": subject,
            "language": language,
            "is_rtl": translation.get_language_bidi(),
            "unsubscribe_url": UNSUBSCRIBE_MARK,
            "preferences_url": absolute(reverse("digests:preferences")),
            "site_url": settings.BASE_URL,
            "list_name": list_name,
        }
        text = render_to_string(f"{template}.txt", full)
        html = render_to_string(f"{template}.html", full)
    return MailContent(
        kind=kind,
        language=language,
        subject=Truncator(" ".join(subject.split())).chars(300),
        text=_BLANK_LINES.sub("\n\n", text).strip() + "\n",
        html=html,
        thread=thread,
        community_id=community_id,
        list_slug=list_slug,
        list_name=list_name,
        reply_exchange_id=reply_exchange_id,
        archive_url=archive_url,
    )
