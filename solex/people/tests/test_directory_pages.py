"""The directory's pages are picked by id first: same people, same order, bounded queries."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from django.core.paginator import Paginator
from django.test import Client

from solex.accounts.models import User
from solex.accounts.testing import make_partner, make_staff
from solex.people.models import ExpertiseLevel, Profile
from solex.people.queries import DirectoryFilters, PeoplePages, search_people
from solex.people.testing import make_claim, make_topic

MaxQueries = Callable[[int], AbstractContextManager[object]]


def paged(viewer: User, filters: DirectoryFilters, size: int) -> list[list[str]]:
    paginator = Paginator(PeoplePages(search_people(viewer, filters)), size)
    return [[person.username for person in page.object_list] for page in paginator]


def unpaged(viewer: User, filters: DirectoryFilters, size: int) -> list[list[str]]:
    usernames = [person.username for person in search_people(viewer, filters)]
    return [usernames[start : start + size] for start in range(0, len(usernames), size)]


@pytest.fixture
def crowd(db: None) -> list[User]:
    """People sharing names (so the order falls back to ids) with ranked water expertise."""
    water = make_topic("Water")
    endorsers = tuple(make_staff() for _ in range(3))
    people = []
    for number in range(17):
        person = make_staff(f"c{number:02}", name=f"Same Name {number % 4}")
        if number % 3:
            level = ExpertiseLevel.EXPERT if number % 2 else ExpertiseLevel.EXPERIENCED
            make_claim(person, water, level=level, endorsed_by=endorsers[: number % 4])
        Profile.objects.create(user=person, bio="Water and sanitation." if number % 5 else "")
        people.append(person)
    make_partner("p01", name="Same Name 1")
    return people


@pytest.mark.parametrize("size", [1, 4, 7])
@pytest.mark.parametrize("filters", ["none", "topic", "text"])
def test_pages_hold_the_same_people_in_the_same_order_as_the_search(
    crowd: list[User], staff: User, partner: User, filters: str, size: int
) -> None:
    chosen = {
        "none": DirectoryFilters(),
        "topic": DirectoryFilters(topic=make_topic("Water")),
        "text": DirectoryFilters(text="water"),
    }[filters]
    for viewer in (staff, partner):
        assert paged(viewer, chosen, size) == unpaged(viewer, chosen, size)


def test_a_single_person_can_be_read_by_position(crowd: list[User], staff: User) -> None:
    pages = PeoplePages(search_people(staff, DirectoryFilters()))
    everyone = list(search_people(staff, DirectoryFilters()))
    assert len(pages) == len(everyone)
    assert pages[3] == everyone[3]
    assert [person.pk for person in pages] == [person.pk for person in everyone]


@pytest.mark.parametrize("people", [3, 45])
def test_a_later_page_takes_no_more_queries_than_the_first(
    client: Client, staff: User, django_assert_max_num_queries: MaxQueries, people: int
) -> None:
    for number in range(people):
        Profile.objects.create(user=make_staff(f"p{number:02}"), bio="Water.")
    client.force_login(staff)
    everyone = people + 1
    last = (everyone + 19) // 20
    with django_assert_max_num_queries(10):  # + the unread notifications count
        response = client.get("/people/", {"page": str(last)})
    assert response.status_code == 200
    assert len(response.context["entries"]) == everyone - 20 * (last - 1)


def test_a_partner_page_takes_a_bounded_number_of_queries(
    client: Client, partner: User, django_assert_max_num_queries: MaxQueries
) -> None:
    for number in range(25):
        make_staff(f"s{number:02}")
    client.force_login(partner)
    with django_assert_max_num_queries(10):  # + the unread notifications count
        response = client.get("/people/", {"page": "2"})
    assert response.status_code == 200
    assert len(response.context["entries"]) == 26 - 20
