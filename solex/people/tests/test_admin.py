"""The knowledge management team finds profiles and expertise in the admin."""

from __future__ import annotations

import pytest
from django.test import Client

from solex.accounts.models import User
from solex.people import actions
from solex.people.models import PeopleAuditEntry, Profile
from solex.people.testing import add_language, make_claim, make_topic


@pytest.fixture
def superuser(db: None) -> User:
    return User.objects.create_superuser(
        "root", "root@undp.org", "secret-Pass-123", name="Site Root"
    )


def test_every_people_table_lists_its_rows_in_the_admin(
    client: Client, superuser: User, staff: User, colleague: User
) -> None:
    Profile.objects.create(user=staff, bio="Water engineer.")
    add_language(staff, "fr", "native")
    claim = make_claim(staff, make_topic("Water Safety"), endorsed_by=(colleague,))
    actions.update_profile_details(staff, actor=staff, bio="Water and sanitation engineer.")
    client.force_login(superuser)

    pages = {
        name: client.get(f"/admin/people/{name}/")
        for name in [
            "profile",
            "languageskill",
            "expertiseclaim",
            "endorsement",
            "peopleauditentry",
        ]
    }

    assert {name: page.status_code for name, page in pages.items()} == dict.fromkeys(pages, 200)
    assert "Water Safety" in pages["expertiseclaim"].text
    assert "Amina Diallo" in pages["profile"].text
    assert client.get(f"/admin/people/expertiseclaim/{claim.pk}/change/").status_code == 200


def test_the_people_audit_log_cannot_be_edited_in_the_admin(
    client: Client, superuser: User, staff: User
) -> None:
    actions.update_profile_details(staff, actor=staff, bio="Water engineer.")
    client.force_login(superuser)

    listing = client.get("/admin/people/peopleauditentry/")

    entry = PeopleAuditEntry.objects.get()
    change = client.post(
        f"/admin/people/peopleauditentry/{entry.pk}/change/", {"detail": "rewritten"}
    )

    assert "updated the profile" in listing.text
    assert client.get("/admin/people/peopleauditentry/add/").status_code == 403
    assert change.status_code == 403
    assert PeopleAuditEntry.objects.get().detail == "bio"
