"""The inbox page, marking read without JavaScript, the header's count, and the API."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.notifications.actions import notify
from solex.notifications.models import Notification

pytestmark = pytest.mark.django_db
MaxQueries = Any


def _tell(person: User, text: str, *, group_key: str = "", url: str = "/communities/") -> None:
    notify(
        [person], kind="test", text=text, target_url=url, target_label="Label", group_key=group_key
    )


@pytest.fixture
def bruno() -> User:
    return make_staff("bruno")


def _client(person: User) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_inbox_asks_visitors_to_log_in() -> None:
    response = Client().get(reverse("notifications:inbox"))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_inbox_lists_newest_first_and_highlights_unread(bruno: User) -> None:
    _tell(bruno, "First thing")
    _tell(bruno, "Second thing", group_key="g")
    _tell(bruno, "Third thing", group_key="g")
    Notification.objects.filter(text="First thing").update(read_at="2030-01-01T00:00:00Z")

    body = _client(bruno).get(reverse("notifications:inbox")).content.decode()

    assert body.index("Third thing") < body.index("First thing")
    assert "Second thing" not in body
    assert "(2 updates)" in body
    assert body.count('class="notice"') == 1
    assert "Notifications (1)" in body


def test_the_inbox_shows_only_ones_own(bruno: User) -> None:
    _tell(make_staff("chen"), "Chen's secret")

    body = _client(bruno).get(reverse("notifications:inbox")).content.decode()

    assert "Chen's secret" not in body
    assert "Nothing new" in body


def test_the_inbox_is_paginated_in_bounded_queries(
    bruno: User, django_assert_max_num_queries: MaxQueries
) -> None:
    for number in range(35):
        _tell(bruno, f"Event {number}")
    client = _client(bruno)

    with django_assert_max_num_queries(7):
        first = client.get(reverse("notifications:inbox")).content.decode()
    second = client.get(reverse("notifications:inbox") + "?page=2").content.decode()

    assert re.findall(r"Event (\d+)\n", first) == [str(n) for n in range(34, 4, -1)]
    assert re.findall(r"Event (\d+)\n", second) == [str(n) for n in range(4, -1, -1)]


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(bruno: User) -> None:
    _tell(bruno, "Look", url="/communities/water/")
    notification = Notification.objects.get()

    response = _client(bruno).post(
        reverse("notifications:notification-read", args=[notification.pk]), {"open": "1"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/communities/water/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_read_without_open_returns_to_the_inbox(bruno: User) -> None:
    _tell(bruno, "Look")
    notification = Notification.objects.get()

    response = _client(bruno).post(
        reverse("notifications:notification-read", args=[notification.pk])
    )

    assert response["Location"] == reverse("notifications:inbox")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_target_off_the_site_is_never_followed(bruno: User) -> None:
    _tell(bruno, "Look", url="https://evil.example/")
    notification = Notification.objects.get()

    response = _client(bruno).post(
        reverse("notifications:notification-read", args=[notification.pk]), {"open": "1"}
    )

    assert response["Location"] == reverse("notifications:inbox")


def test_someone_elses_notification_is_a_404_and_stays_unread(bruno: User) -> None:
    _tell(make_staff("chen"), "Chen's")
    notification = Notification.objects.get()
    before = model_to_dict(notification)

    response = _client(bruno).post(
        reverse("notifications:notification-read", args=[notification.pk])
    )

    assert response.status_code == 404
    notification.refresh_from_db()
    assert model_to_dict(notification) == before


def test_mark_read_needs_a_post(bruno: User) -> None:
    _tell(bruno, "Look")
    notification = Notification.objects.get()

    response = _client(bruno).get(
        reverse("notifications:notification-read", args=[notification.pk])
    )

    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.is_unread


def test_mark_all_read_from_the_inbox(bruno: User) -> None:
    _tell(bruno, "One")
    _tell(bruno, "Two")

    response = _client(bruno).post(reverse("notifications:notification-read-all"), follow=True)

    assert "Marked 2 notifications read." in response.content.decode()
    assert not Notification.objects.unread().exists()


def test_the_header_shows_the_unread_count_to_signed_in_people_only(bruno: User) -> None:
    _tell(bruno, "One")
    _tell(bruno, "Two")
    page = reverse("communities:community-list")

    assert "Notifications (" not in Client().get(page).content.decode()
    assert "Notifications (2)" in _client(bruno).get(page).content.decode()


# --- API ----------------------------------------------------------------------------------


def test_the_api_lists_ones_notifications_newest_first(bruno: User) -> None:
    _tell(bruno, "Old")
    _tell(bruno, "New")
    _tell(make_staff("chen"), "Chen's")
    Notification.objects.filter(text="Old").update(read_at="2030-01-01T00:00:00Z")
    client = _client(bruno)

    everything = client.get("/api/v1/notifications/").json()
    unread = client.get("/api/v1/notifications/?unread=true").json()

    assert everything["count"] == 2
    assert [item["text"] for item in everything["items"]] == ["New", "Old"]
    assert [item["text"] for item in unread["items"]] == ["New"]
    assert set(everything["items"][0]) == {
        "id",
        "kind",
        "text",
        "target_url",
        "target_label",
        "count",
        "created_at",
        "updated_at",
        "read_at",
    }


def test_the_api_marks_one_read_and_refuses_others(bruno: User) -> None:
    _tell(bruno, "Mine")
    _tell(make_staff("chen"), "Chen's")
    mine = Notification.objects.get(text="Mine")
    theirs = Notification.objects.get(text="Chen's")
    client = _client(bruno)

    answer = client.post(f"/api/v1/notifications/{mine.pk}/read")
    refused = client.post(f"/api/v1/notifications/{theirs.pk}/read")

    assert answer.status_code == 200
    assert answer.json()["read_at"] is not None
    assert refused.status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_unread


def test_the_api_marks_all_read(bruno: User) -> None:
    _tell(bruno, "One")
    _tell(bruno, "Two")

    answer = _client(bruno).post("/api/v1/notifications/read")

    assert answer.json() == {"marked": 2}
    assert not Notification.objects.unread().exists()


def test_the_api_needs_a_caller() -> None:
    assert Client().get("/api/v1/notifications/").status_code == 401
