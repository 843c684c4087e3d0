"""Background work for accounts: sending the emails that prove who people are."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation


@task()
def send_account_email(kind: str, to: str, context: dict[str, str], language: str) -> None:
    """Render ``accounts/email/<kind>`` (subject, text, HTML) in ``language`` and send it.

    The context holds only strings so the task can wait in a queue as JSON.
    """
    context = {"site_name": "Solex", **context}
    with translation.override(language):
        subject_lines = render_to_string(f"accounts/email/{kind}.subject.txt", context)
        text = render_to_string(f"accounts/email/{kind}.txt", context)
        html = render_to_string(f"accounts/email/{kind}.html", context)
    # A subject is one line: template newlines would become header injection.
    subject = " ".join(subject_lines.split())
    message = EmailMultiAlternatives(subject, text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()
