"""A person's data download, and an administrator erasing a departed person."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from solex.accounts.models import PersonalAccessToken, User
from solex.communities.models import AuditEntry, CommunityInvitation, JoinRequest, Membership
from solex.communities.testing import add_member, make_community
from solex.people import actions
from solex.people.models import (
    Endorsement,
    ExpertiseClaim,
    LanguageSkill,
    PeopleAuditEntry,
    Profile,
)
from solex.people.privacy import FORMER_MEMBER_NAME
from solex.people.testing import add_language, make_claim, make_topic


@pytest.fixture
def rich(staff: User, colleague: User) -> User:
    """Amina with everything: profile, languages, expertise, endorsements, a community, a token."""
    water = make_topic("Water")
    energy = make_topic("Energy")
    Profile.objects.create(user=staff, bio="Amina's own bio.", availability="available")
    add_language(staff, "fr", "native")
    make_claim(staff, water, endorsed_by=(colleague,))
    colleague_claim = make_claim(colleague, energy)
    Profile.objects.create(user=colleague, bio="Bashir's private bio.")
    Endorsement.objects.create(endorser=staff, claim=colleague_claim)
    community = make_community("Urban Water Network", visibility="public")
    add_member(community, staff, "facilitator")
    add_member(community, colleague)
    PersonalAccessToken.objects.create(
        user=staff, name="report script", prefix="solex_ab", token_hash="0" * 64
    )
    return staff


def test_download_holds_everything_about_the_person_and_nothing_of_anyone_else(
    client: Client, rich: User, colleague: User
) -> None:
    client.force_login(rich)

    response = client.get("/people/amina/data/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="solex-amina-')
    data = json.loads(response.content)
    assert data["account"]["email"] == "amina@undp.org"
    assert data["account"]["name"] == "Amina Diallo"
    assert data["profile"]["bio"] == "Amina's own bio."
    assert data["language_skills"] == [{"code": "fr", "level": "native"}]
    assert [(e["topic"], e["endorsement_count"]) for e in data["expertise"]] == [("Water", 1)]
    assert [e["topic_slug"] for e in data["endorsements_received"]] == ["water"]
    assert [(e["person"], e["topic_slug"]) for e in data["endorsements_given"]] == [
        ("bashir", "energy")
    ]
    assert [(m["community"], m["roles"]) for m in data["memberships"]] == [
        ("Urban Water Network", ["facilitator"])
    ]
    assert [t["name"] for t in data["access_tokens"]] == ["report script"]
    assert "token_hash" not in response.content.decode()
    text = response.content.decode()
    for foreign in [colleague.name, colleague.email, "Bashir's private bio."]:
        assert foreign not in text
    assert PeopleAuditEntry.objects.filter(person=rich, action="data_exported").count() == 1


def test_nobody_else_downloads_a_persons_data(client: Client, rich: User, colleague: User) -> None:
    client.force_login(colleague)
    assert client.get("/people/amina/data/").status_code == 403
    assert not PeopleAuditEntry.objects.filter(action="data_exported").exists()


def test_an_administrator_can_download_for_a_person(rich: User, site_admin: User) -> None:
    data = actions.export_personal_data(rich, actor=site_admin)
    assert data["account"]["username"] == "amina"


def test_erasure_keeps_the_account_row_and_removes_personal_data(
    client: Client, rich: User, colleague: User, site_admin: User
) -> None:
    community = Membership.objects.get(user=rich).community
    # A contribution-like record that must stay attributed to the (former) member.
    AuditEntry.objects.create(community=community, actor=rich, action="joined")
    client.force_login(site_admin)

    confirm = client.get("/people/amina/erase/")
    response = client.post("/people/amina/erase/")

    assert confirm.status_code == 200
    assert response.status_code == 302
    person = User.objects.get(pk=rich.pk)
    assert person.name == FORMER_MEMBER_NAME
    assert person.username == f"former-member-{rich.pk}"
    assert person.email == f"former-member-{rich.pk}@erased.invalid"
    assert (person.title, person.office, person.country, person.region) == ("", "", "", "")
    assert person.organization is None
    assert person.languages == []
    assert not person.is_active
    assert not person.has_usable_password()
    assert not Profile.objects.filter(user=rich).exists()
    assert not LanguageSkill.objects.filter(user=rich).exists()
    assert not ExpertiseClaim.objects.filter(user=rich).exists()
    assert not Endorsement.objects.filter(endorser=rich).exists()
    assert not PersonalAccessToken.objects.filter(user=rich).exists()
    assert not Membership.objects.filter(user=rich).exists()
    assert AuditEntry.objects.get(actor=rich).action == "joined"
    assert list(PeopleAuditEntry.objects.filter(person=rich).values_list("action", "actor")) == [
        ("person_erased", site_admin.pk)
    ]
    # Colleagues keep their own data.
    assert ExpertiseClaim.objects.filter(user=colleague).count() == 1
    assert Profile.objects.filter(user=colleague).exists()


def test_erased_person_no_longer_appears_to_members(
    client: Client, rich: User, colleague: User, site_admin: User
) -> None:
    actions.erase_person(rich, actor=site_admin)
    client.force_login(colleague)
    assert client.get(f"/people/former-member-{rich.pk}/").status_code == 404
    names = [entry.person.pk for entry in client.get("/people/").context["entries"]]
    assert rich.pk not in names


def test_only_administrators_erase_and_never_an_administrator(
    client: Client, rich: User, colleague: User, site_admin: User
) -> None:
    client.force_login(colleague)
    assert client.get("/people/amina/erase/").status_code == 403
    assert client.post("/people/amina/erase/").status_code == 403
    with pytest.raises(PermissionDenied):
        actions.erase_person(site_admin, actor=site_admin)
    rich.refresh_from_db()
    assert rich.name == "Amina Diallo"
    assert rich.is_active
    assert Profile.objects.filter(user=rich).exists()
    assert not PeopleAuditEntry.objects.filter(action="person_erased").exists()


def test_profile_shows_the_erase_link_to_administrators_only(
    client: Client, rich: User, site_admin: User
) -> None:
    client.force_login(site_admin)
    assert "/people/amina/erase/" in client.get("/people/amina/").content.decode()
    client.force_login(rich)
    assert "/people/amina/erase/" not in client.get("/people/amina/").content.decode()


def test_erasure_withdraws_pending_community_requests_and_invitations(
    rich: User, colleague: User, site_admin: User
) -> None:
    closed = make_community("Cash Transfers Practice", visibility="members")
    JoinRequest.objects.create(community=closed, user=rich, note="I run cash pilots in Dakar.")
    CommunityInvitation.objects.create(
        community=closed, email="Amina@undp.org", invited_by=colleague
    )
    kept = CommunityInvitation.objects.create(
        community=closed, email="bashir@undp.org", invited_by=colleague
    )

    data = actions.export_personal_data(rich, actor=rich)
    actions.erase_person(rich, actor=site_admin)

    assert [(r["community_slug"], r["note"]) for r in data["join_requests"]] == [
        (closed.slug, "I run cash pilots in Dakar.")
    ]
    assert not JoinRequest.objects.filter(user=rich).exists()
    assert list(CommunityInvitation.objects.values_list("pk", flat=True)) == [kept.pk]
