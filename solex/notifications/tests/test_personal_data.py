"""The notifications part of a person's data export and erasure."""

from __future__ import annotations

import pytest

from solex.accounts.testing import make_staff
from solex.notifications.actions import notify
from solex.notifications.models import Notification
from solex.notifications.personal_data import erase_notifications, export_notifications

pytestmark = pytest.mark.django_db


def test_the_export_holds_ones_own_notifications_only() -> None:
    amina, bruno = make_staff("amina"), make_staff("bruno")
    notify([amina], kind="k", text="For Amina", target_url="/a/", target_label="A")
    notify([bruno], kind="k", text="For Bruno", target_url="/b/")

    exported = export_notifications(amina)["notifications"]

    assert [(n["text"], n["target_url"], n["count"], n["read_at"]) for n in exported] == [
        ("For Amina", "/a/", 1, None)
    ]


def test_erasure_removes_the_inbox_and_what_names_the_person_as_actor() -> None:
    amina, bruno, chen = make_staff("amina"), make_staff("bruno"), make_staff("chen")
    notify([amina], kind="k", text="For Amina", target_url="/")
    notify([bruno], kind="k", text="Amina replied", target_url="/", actor=amina)
    notify([bruno], kind="k", text="Chen replied", target_url="/", actor=chen)

    erase_notifications(amina)

    assert list(Notification.objects.values_list("text", flat=True)) == ["Chen replied"]
