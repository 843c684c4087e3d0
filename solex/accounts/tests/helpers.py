"""Small helpers for reading what Solex emailed, as a person would."""

from __future__ import annotations

import re

from django.core import mail
from django.core.mail import EmailMultiAlternatives


def last_email_to(address: str) -> EmailMultiAlternatives:
    matching = [m for m in mail.outbox if address.lower() in [to.lower() for to in m.to]]
    assert matching, f"no email to {address}; outbox has {[m.to for m in mail.outbox]}"
    message = matching[-1]
    assert isinstance(message, EmailMultiAlternatives)
    return message


def link_in(message: EmailMultiAlternatives, path_part: str) -> str:
    """The path of the first link in the text body whose URL contains ``path_part``."""
    urls: list[str] = re.findall(r"https?://\S+", str(message.body))
    for url in urls:
        if path_part in url:
            return "/" + url.split("://", 1)[1].split("/", 1)[1]
    raise AssertionError(f"no link containing {path_part!r} in:\n{message.body}")
