"""`solex import mbox`: a generated archive becomes threads, re-running changes nothing."""

from __future__ import annotations

import io
import mailbox
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core.management import call_command

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.communities.testing import make_community
from solex.exchanges.models import Exchange, Reply

pytestmark = pytest.mark.django_db


def _message(
    message_id: str,
    sender: str,
    subject: str,
    body: str,
    date: str,
    *,
    reply_to: str = "",
    references: str = "",
    mailer: str = "",
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "governance@lists.un.example"
    message["Subject"] = subject
    message["Date"] = date
    message["Message-ID"] = f"<{message_id}>"
    if reply_to:
        message["In-Reply-To"] = f"<{reply_to}>"
    if references:
        message["References"] = references
    if mailer:
        message["X-Mailer"] = mailer
    message.set_content(body)
    return message


def _archive(path: Path) -> Path:
    box = mailbox.mbox(str(path))
    messages = [
        # Written out of order on purpose: the import sorts by date.
        _message(
            "r1@gmail.example",
            "Omar <omar@ngo.example>",
            "Re: Ward budgets",
            "We did it in Mombasa.\n\nOn Tue, 3 Mar 2020, Amina wrote:\n> How?\n",
            "Wed, 04 Mar 2020 09:00:00 +0000",
            reply_to="q1@undp.org",
            references="<q1@undp.org>",
        ),
        _message(
            "q1@undp.org",
            "Amina Diallo <amina@undp.org>",
            "Ward budgets",
            "How do you run ward budget meetings?\n\n-- \nAmina\n",
            "Tue, 03 Mar 2020 09:00:00 +0000",
            mailer="Microsoft Outlook 16.0",
        ),
        # A reply with no In-Reply-To (an old client): found by its subject.
        _message(
            "r2@yahoo.example",
            "Li Wei <li.wei@gov.example>",
            "RE: Ward budgets",
            "Same in Chengdu.\n",
            "Thu, 05 Mar 2020 09:00:00 +0000",
        ),
        # Google Groups style: nested references.
        _message(
            "r3@groups.example",
            "omar@ngo.example",
            "Re: Ward budgets",
            "And the results were published.\n",
            "Fri, 06 Mar 2020 09:00:00 +0000",
            reply_to="r1@gmail.example",
            references="<q1@undp.org> <r1@gmail.example>",
        ),
        _message(
            "q2@undp.org",
            "Amina Diallo <amina@undp.org>",
            "Flood insurance",
            "Any experience with parametric insurance?\n",
            "Mon, 09 Mar 2020 09:00:00 +0000",
        ),
    ]
    for message in messages:
        box.add(message)
    box.flush()
    box.close()
    return path


def test_an_archive_becomes_threads_with_known_and_unclaimed_senders(tmp_path: Path) -> None:
    community = make_community("Governance", slug="governance", visibility="public")
    amina = make_staff("amina", email="amina@undp.org")
    path = _archive(tmp_path / "archive.mbox")
    stderr, stdout = io.StringIO(), io.StringIO()

    call_command(
        "import_mbox", str(path), "--community", "governance", stdout=stdout, stderr=stderr
    )

    assert "Imported 5 messages (2 threads, 3 replies)" in stdout.getvalue()
    ward = Exchange.objects.get(community=community, title="Ward budgets")
    assert ward.author == amina
    assert ward.body == "How do you run ward budget meetings?"
    replies = list(Reply.objects.filter(exchange=ward).order_by("created_at"))
    assert [r.body for r in replies] == [
        "We did it in Mombasa.",
        "Same in Chengdu.",
        "And the results were published.",
    ]
    assert Exchange.objects.get(pk=ward.pk).reply_count == 3
    omar = User.objects.get(email="omar@ngo.example")
    assert not omar.is_active and not omar.has_usable_password()
    assert omar.name == "Omar"
    assert replies[0].author == omar and replies[2].author == omar
    assert Exchange.objects.get(title="Flood insurance").created_at.year == 2020

    again = io.StringIO()
    call_command(
        "import_mbox", str(path), "--community", "governance", "--no-progress", stdout=again
    )
    assert "Imported 0 messages" in again.getvalue()
    assert "skipped 5" in again.getvalue()
    assert Exchange.objects.count() == 2
    assert Reply.objects.count() == 3
    assert User.objects.filter(email__iexact="omar@ngo.example").count() == 1


def test_the_cli_spelling_and_a_missing_community(tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    path = _archive(tmp_path / "archive.mbox")
    with pytest.raises(CommandError, match="No community"):
        call_command("import_mbox", str(path), "--community", "nowhere")
