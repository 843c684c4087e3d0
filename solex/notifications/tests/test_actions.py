"""notify, mark_read, mark_all_read: who is told, how events fold, who may mark what."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_noop

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.notifications import actions, queries
from solex.notifications.actions import notify, translated
from solex.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _notify(recipients: list[User], text: str = "Amina replied", **fields: object) -> int:
    fields.setdefault("kind", "exchange.reply")
    fields.setdefault("target_url", "/exchanges/42/")
    fields.setdefault("target_label", "Water pricing in rural areas")
    return notify(recipients, text=text, **fields)  # type: ignore[arg-type]


def test_each_recipient_is_told_once_and_never_the_actor() -> None:
    amina, bruno, chen = make_staff("amina"), make_staff("bruno"), make_staff("chen")

    told = _notify([amina, bruno, bruno, chen], actor=amina)

    assert told == 2
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
        "bruno",
        "chen",
    ]
    notification = Notification.objects.get(recipient=bruno)
    assert (notification.kind, notification.text, notification.count) == (
        "exchange.reply",
        "Amina replied",
        1,
    )
    assert (notification.target_url, notification.target_label) == (
        "/exchanges/42/",
        "Water pricing in rural areas",
    )
    assert notification.actor == amina
    assert notification.read_at is None
    assert notification.emailed_at is None


def test_deactivated_people_are_not_told() -> None:
    gone = make_staff("gone", is_active=False)

    assert _notify([gone]) == 0
    assert not Notification.objects.exists()


def test_events_on_one_group_fold_into_the_unread_notification() -> None:
    bruno = make_staff("bruno")
    _notify([bruno], "Amina replied", group_key="exchange:42")
    first = Notification.objects.get()

    _notify([bruno], "Chen replied", group_key="exchange:42")
    _notify([bruno], "Dara replied", group_key="exchange:42")

    folded = Notification.objects.get()
    assert folded.pk == first.pk
    assert (folded.count, folded.text) == (3, "Dara replied")
    assert folded.updated_at >= first.updated_at
    assert folded.created_at == first.created_at


def test_a_read_notification_is_not_reopened_a_new_one_starts() -> None:
    bruno = make_staff("bruno")
    _notify([bruno], "Amina replied", group_key="exchange:42")
    actions.mark_read(Notification.objects.get(), actor=bruno)

    _notify([bruno], "Chen replied", group_key="exchange:42")

    old, new = Notification.objects.order_by("pk")
    assert (old.text, old.count, old.is_unread) == ("Amina replied", 1, False)
    assert (new.text, new.count, new.is_unread) == ("Chen replied", 1, True)


def test_groups_are_per_key_and_ungrouped_events_never_fold() -> None:
    bruno = make_staff("bruno")
    _notify([bruno], group_key="exchange:1")
    _notify([bruno], group_key="exchange:2")
    _notify([bruno])
    _notify([bruno])

    assert Notification.objects.count() == 4


def test_a_concurrent_first_insert_is_folded_into_not_duplicated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another transaction inserted the group's row after our update found none."""
    bruno = make_staff("bruno")
    _notify([bruno], "Amina replied", group_key="exchange:42")
    real_fold = actions._fold
    calls: list[int] = []

    def late_fold(recipient: User, group_key: str, fields: dict[str, object]) -> int:
        calls.append(1)
        if len(calls) == 1:
            return 0  # as if the other transaction had not committed yet
        return real_fold(recipient, group_key, fields)

    monkeypatch.setattr(actions, "_fold", late_fold)

    _notify([bruno], "Chen replied", group_key="exchange:42")

    assert len(calls) == 2
    assert list(Notification.objects.values_list("text", "count")) == [("Chen replied", 2)]


def test_the_text_is_written_in_each_recipients_language() -> None:
    french = make_staff("francoise", preferred_language="fr")
    english = make_staff("edward", preferred_language="en")

    notify(
        [french, english],
        kind="test",
        text=translated(gettext_noop("Yes")),
        target_url="/",
        target_label=translated(gettext_noop("No")),
    )

    assert Notification.objects.get(recipient=french).text == "Oui"
    assert Notification.objects.get(recipient=french).target_label == "Non"
    assert Notification.objects.get(recipient=english).text == "Yes"


def test_long_texts_are_cut_to_fit() -> None:
    bruno = make_staff("bruno")

    _notify([bruno], "x" * 900, target_label="y" * 900)

    notification = Notification.objects.get()
    assert len(notification.text) == 500
    assert len(notification.target_label) == 200


def test_mark_read_marks_only_ones_own() -> None:
    bruno, chen = make_staff("bruno"), make_staff("chen")
    _notify([bruno])
    notification = Notification.objects.get()
    before = model_to_dict(notification)

    with pytest.raises(PermissionDenied):
        actions.mark_read(notification, actor=chen)

    notification.refresh_from_db()
    assert model_to_dict(notification) == before
    assert actions.mark_read(notification, actor=bruno) is True
    assert notification.read_at is not None
    assert actions.mark_read(notification, actor=bruno) is False


def test_mark_all_read_touches_only_the_actors_unread_notifications() -> None:
    bruno, chen = make_staff("bruno"), make_staff("chen")
    _notify([bruno, chen])
    _notify([bruno], group_key="exchange:7")
    earlier = timezone.now() - datetime.timedelta(days=1)
    Notification.objects.create(
        recipient=bruno, kind="k", text="old", target_url="/", read_at=earlier
    )

    assert actions.mark_all_read(actor=bruno) == 2

    assert queries.unread_count(bruno) == 0
    assert queries.unread_count(chen) == 1
    assert Notification.objects.get(text="old").read_at == earlier
