"""A person's download covers the mail they sent in; erasing them deletes those messages."""

from __future__ import annotations

import pytest

from solex.accounts.testing import make_staff
from solex.intake.models import InboundMessage
from solex.people import actions

pytestmark = pytest.mark.django_db


def test_the_download_lists_mail_sent_in_and_erasure_deletes_it() -> None:
    admin = make_staff("admin", is_superuser=True, is_staff=True)
    amina = make_staff("amina")
    other = make_staff("other")
    InboundMessage.objects.create(
        raw=b"From: amina\r\n\r\nhello", from_address=amina.email.upper(), subject="Cash in floods"
    )
    InboundMessage.objects.create(raw=b"x", sender=other, subject="Not hers")

    exported = actions.export_personal_data(amina, actor=amina)
    subjects = [m["subject"] for m in exported["emails_received_from_you"]]
    assert subjects == ["Cash in floods"]
    assert "Not hers" not in str(exported)

    actions.erase_person(amina, actor=admin)
    assert list(InboundMessage.objects.values_list("subject", flat=True)) == ["Not hers"]
