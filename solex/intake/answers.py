"""The texts Solex sends back to people who write to it, in their language when known.

Every answer is marked as automatic (``Auto-Submitted: auto-replied``, ``X-Loop``) so
that a well-behaved robot on the other side never answers it back, and it is sent only
once the processing transaction commits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    to: str
    subject: str
    body: str
    in_reply_to: str = ""


def _send(answer: Answer) -> None:
    domain = settings.SOLEX_MAIL_DOMAIN
    headers = {
        "Auto-Submitted": "auto-replied",
        "X-Loop": domain,
        "Precedence": "auto_reply",
        "Message-ID": make_msgid(domain=domain),
    }
    if answer.in_reply_to:
        headers["In-Reply-To"] = f"<{answer.in_reply_to}>"
        headers["References"] = f"<{answer.in_reply_to}>"
    message = EmailMessage(
        subject=answer.subject,
        body=answer.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[answer.to],
        headers=headers,
    )
    try:
        message.send()
    except Exception:  # the mail server is down: the answer is lost, the message is not
        logger.exception("Could not send an answer to %s", answer.to)


def send_on_commit(answer: Answer) -> None:
    transaction.on_commit(lambda: _send(answer))


def compose(
    to: str, subject: str, paragraphs: list[str], *, language: str, in_reply_to: str = ""
) -> Answer:
    """An answer in ``language``: ``paragraphs`` are already-translated texts."""
    codes = {code for code, _name in settings.LANGUAGES}
    with translation.override(language if language in codes else settings.LANGUAGE_CODE):
        signature = _("This is an automatic answer from %(site)s; replies to it are not read.") % {
            "site": "Solex"
        }
    body = "\n\n".join(paragraphs) + "\n\n-- \n" + signature
    return Answer(to=to, subject=subject, body=body + "\n", in_reply_to=in_reply_to)
