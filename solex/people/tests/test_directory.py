"""The who's-who directory: filters, the reasons shown, visibility and bounded queries."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from django.test import Client

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.people.models import ExpertiseLevel, ExpertiseSource, LanguageLevel, Profile
from solex.people.queries import (
    DirectoryFilters,
    directory_entries,
    search_people,
    with_profile_details,
)
from solex.people.testing import add_language, make_claim, make_topic

MaxQueries = Callable[[int], AbstractContextManager[object]]


def results(viewer: User, **filters: object) -> dict[str, list[str]]:
    """Username -> reasons, in result order."""
    chosen = DirectoryFilters(**filters)  # type: ignore[arg-type]
    people = list(with_profile_details(search_people(viewer, chosen)))
    return {entry.person.username: entry.reasons for entry in directory_entries(people, chosen)}


@pytest.fixture
def water(db: None) -> object:
    return make_topic("Water")


def test_topic_search_ranks_by_level_then_endorsements_and_says_why(
    staff: User, colleague: User
) -> None:
    water = make_topic("Water")
    sanitation = make_topic("Sanitation", parent=water)
    endorsers = tuple(make_staff() for _ in range(4))
    make_claim(colleague, water, level=ExpertiseLevel.EXPERT, endorsed_by=endorsers)
    nadia = make_staff("nadia", name="Nadia Haddad")
    make_claim(nadia, sanitation, level=ExpertiseLevel.EXPERIENCED)
    shown = make_staff("sam", name="Sam Shown")
    claim = make_claim(
        shown, water, level=ExpertiseLevel.EXPERT, source=ExpertiseSource.CONTRIBUTIONS
    )
    claim.contribution_count = 3
    claim.save(update_fields=["contribution_count"])
    make_staff("zed", name="Zed Nothing")

    found = results(staff, topic=water)

    assert list(found) == ["bashir", "sam", "nadia"]
    assert found["bashir"] == ["Expert in Water (declared; endorsed by 4 colleagues)"]
    assert found["sam"] == ["Expert in Water (shown by 3 contributions)"]
    assert found["nadia"] == ["Experienced in Sanitation (declared)"]


def test_language_search_uses_levels_and_the_plain_account_list(
    staff: User, colleague: User
) -> None:
    add_language(colleague, "ar", LanguageLevel.FLUENT)
    plain = make_staff("farid", name="Farid Plain", languages=["fr", "ar"])
    make_staff("nolang", name="No Arabic", languages=["en"])

    found = results(staff, language="ar")

    assert found == {"bashir": ["Speaks Arabic (fluent)"], "farid": ["Speaks Arabic"]}
    assert plain.username in found


def test_place_organisation_and_affiliation_filters_say_why(
    staff: User, colleague: User, partner: User
) -> None:
    assert results(staff, country="ke") == {
        "bashir": ["Based in Kenya"],
        "pedro": ["Based in Kenya"],
    }
    assert results(staff, country="KE", affiliation="external") == {
        "pedro": ["Based in Kenya", "External partner"]
    }
    assert list(results(staff, region="africa", affiliation="internal")) == ["amina", "bashir"]
    assert results(staff, organization=partner.organization) == {
        "pedro": ["Works for Ministry of Local Government, Kenya"]
    }


def test_free_text_matches_name_title_bio_and_expertise(staff: User, colleague: User) -> None:
    drought = make_topic("Drought resilience")
    cara = make_staff("cara", name="Cara Lopez")
    make_claim(cara, drought, level=ExpertiseLevel.WORKING)
    dev = make_staff("dev", name="Dev Rao")
    Profile.objects.create(user=dev, bio="Ten years on drought early warning in the Sahel.")

    assert results(staff, text="drought") == {
        "cara": ["Working knowledge in Drought resilience (declared)"],
        "dev": ["Bio mentions “drought”"],
    }
    assert results(staff, text="water specialist") == {"bashir": ["Works as Water specialist"]}
    assert results(staff, text="bashir osman") == {
        "bashir": ["Name matches “bashir”", "Name matches “osman”"]
    }
    assert results(staff, text="bashir drought") == {}


def test_anonymous_visitors_are_sent_to_log_in(client: Client, staff: User) -> None:
    response = client.get("/people/?q=amina")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_partner_directory_leaves_out_other_partner_organisations(
    client: Client, partner: User, partner_colleague: User, other_partner: User, staff: User
) -> None:
    client.force_login(partner)
    response = client.get("/people/")
    assert response.status_code == 200
    names = [entry.person.username for entry in response.context["entries"]]
    assert names == ["amina", "pedro", "pita"]
    assert b"Olga" not in response.content


def test_directory_page_shows_reasons_and_pages(client: Client, staff: User) -> None:
    water = make_topic("Water")
    for number in range(25):
        make_claim(make_staff(f"expert{number:02}", name=f"Expert {number:02}"), water)
    client.force_login(staff)

    first = client.get("/people/", {"topic": water.pk})
    second = client.get("/people/", {"topic": water.pk, "page": 2})

    assert first.status_code == second.status_code == 200
    assert first.context["page"].paginator.count == 25
    assert len(first.context["entries"]) == 20
    assert len(second.context["entries"]) == 5
    assert "Expert in Water (declared)" in first.content.decode()
    assert f"topic={water.pk}&amp;page=2" in first.content.decode()


def test_an_invalid_filter_shows_the_form_error_and_everyone(client: Client, staff: User) -> None:
    client.force_login(staff)
    response = client.get("/people/", {"country": "K1"})
    assert response.status_code == 200
    assert "“K1” is not a country Solex knows" in response.content.decode()
    assert response.context["page"].paginator.count == 1


@pytest.mark.parametrize("people", [3, 30])
def test_directory_query_count_does_not_grow_with_the_page(
    client: Client, staff: User, django_assert_max_num_queries: MaxQueries, people: int
) -> None:
    water = make_topic("Water")
    endorser = make_staff("endorser")
    for number in range(people):
        person = make_staff(f"p{number:02}", languages=["fr"])
        make_claim(person, water, endorsed_by=(endorser,))
        add_language(person, "ar", LanguageLevel.WORKING)
        Profile.objects.create(user=person, bio="Water and sanitation.")
    client.force_login(staff)
    with django_assert_max_num_queries(12):  # + the unread notifications count
        response = client.get("/people/", {"topic": str(water.pk), "language": "ar", "q": "water"})
    assert response.context["page"].paginator.count == people
