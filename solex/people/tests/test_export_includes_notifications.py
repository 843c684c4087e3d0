import pytest

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.notifications.actions import notify
from solex.notifications.models import Notification
from solex.people.actions import erase_person, export_personal_data

pytestmark = pytest.mark.django_db


def test_the_download_of_ones_data_includes_ones_notifications() -> None:
    amina, colleague = make_staff("amina2"), make_staff("colleague2")
    notify([amina], kind="test", text="Hello", target_url="/", group_key="k", actor=colleague)

    exported = export_personal_data(amina, actor=amina)

    assert [item["text"] for item in exported["notifications"]] == ["Hello"]


def test_erasing_a_person_removes_their_notifications(admin_user: User) -> None:
    amina, colleague = make_staff("amina3"), make_staff("colleague3")
    notify([amina], kind="test", text="Hello", target_url="/", group_key="k", actor=colleague)

    erase_person(amina, actor=admin_user)

    assert not Notification.objects.filter(recipient=amina).exists()
