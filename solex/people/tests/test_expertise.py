"""Declaring, withdrawing and endorsing expertise, through the pages people use."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from solex.accounts.models import User
from solex.communities.testing import add_member, make_community
from solex.people import actions
from solex.people.models import (
    Endorsement,
    ExpertiseClaim,
    ExpertiseLevel,
    ExpertiseSource,
    LanguageSkill,
    PeopleAuditEntry,
    Profile,
)
from solex.people.testing import make_claim, make_topic


def test_declaring_expertise_adds_a_claim_and_redeclaring_changes_its_level(
    client: Client, staff: User
) -> None:
    water = make_topic("Water")
    client.force_login(staff)

    response = client.post("/people/amina/expertise/", {"topic": water.pk, "level": 2})
    client.post("/people/amina/expertise/", {"topic": water.pk, "level": 3})

    assert response.status_code == 302
    assert response["Location"] == "/people/amina/#expertise"
    claim = ExpertiseClaim.objects.get(user=staff)
    assert (claim.topic, claim.level, claim.source) == (water, 3, ExpertiseSource.DECLARED)
    assert (
        PeopleAuditEntry.objects.filter(
            person=staff, actor=staff, action="expertise_declared"
        ).count()
        == 2
    )


def test_declaring_a_topic_contributions_showed_keeps_the_evidence(staff: User) -> None:
    water = make_topic("Water")
    actions.record_shown_expertise(staff, topic=water, contributions=2)
    actions.record_shown_expertise(staff, topic=water)

    claim = actions.declare_expertise(staff, actor=staff, topic=water, level=ExpertiseLevel.EXPERT)

    assert (claim.source, claim.contribution_count) == (ExpertiseSource.DECLARED, 3)


def test_nobody_declares_or_withdraws_expertise_for_someone_else(
    client: Client, staff: User, colleague: User
) -> None:
    water = make_topic("Water")
    claim = make_claim(staff, water)
    client.force_login(colleague)

    declared = client.post("/people/amina/expertise/", {"topic": water.pk, "level": 1})
    withdrawn = client.post(f"/people/amina/expertise/{claim.pk}/withdraw/")

    assert declared.status_code == withdrawn.status_code == 403
    assert list(ExpertiseClaim.objects.values_list("user", "level")) == [(staff.pk, 3)]
    assert not PeopleAuditEntry.objects.exists()


def test_withdrawing_ones_expertise_removes_it_and_its_endorsements(
    client: Client, staff: User, colleague: User
) -> None:
    claim = make_claim(staff, make_topic("Water"), endorsed_by=(colleague,))
    client.force_login(staff)

    response = client.post(f"/people/amina/expertise/{claim.pk}/withdraw/")

    assert response.status_code == 302
    assert not ExpertiseClaim.objects.exists()
    assert not Endorsement.objects.exists()


def test_a_colleague_endorses_once_and_can_withdraw(
    client: Client, staff: User, colleague: User
) -> None:
    claim = make_claim(staff, make_topic("Water"))
    client.force_login(colleague)

    first = client.post(f"/people/amina/expertise/{claim.pk}/endorse/", follow=True)
    second = client.post(f"/people/amina/expertise/{claim.pk}/endorse/", follow=True)

    assert Endorsement.objects.filter(claim=claim, endorser=colleague).count() == 1
    assert "You endorsed Amina Diallo&#x27;s expertise in Water." in first.content.decode()
    assert "You have already endorsed this expertise." in second.content.decode()
    assert "Withdraw your endorsement for Water" in second.content.decode()

    client.post(f"/people/amina/expertise/{claim.pk}/endorsement/withdraw/")
    assert not Endorsement.objects.exists()


def test_nobody_endorses_their_own_expertise(client: Client, staff: User) -> None:
    claim = make_claim(staff, make_topic("Water"))
    client.force_login(staff)

    response = client.post(f"/people/amina/expertise/{claim.pk}/endorse/")

    assert response.status_code == 403
    assert not Endorsement.objects.exists()
    with pytest.raises(PermissionDenied, match="your own expertise"):
        actions.endorse_expertise(claim, actor=staff)


def test_a_partner_cannot_endorse_someone_they_cannot_see(
    client: Client, partner: User, other_partner: User
) -> None:
    claim = make_claim(other_partner, make_topic("Water"))
    client.force_login(partner)

    response = client.post(f"/people/olga/expertise/{claim.pk}/endorse/")

    assert response.status_code == 404
    assert not Endorsement.objects.exists()


def test_only_the_endorser_withdraws_an_endorsement(
    staff: User, colleague: User, partner: User
) -> None:
    claim = make_claim(staff, make_topic("Water"), endorsed_by=(colleague,))
    endorsement = Endorsement.objects.get()

    with pytest.raises(PermissionDenied):
        actions.withdraw_endorsement(endorsement, actor=partner)

    assert Endorsement.objects.filter(pk=endorsement.pk, claim=claim).exists()


def test_anonymous_posts_change_nothing(client: Client, staff: User) -> None:
    claim = make_claim(staff, make_topic("Water"))
    response = client.post(f"/people/amina/expertise/{claim.pk}/endorse/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Endorsement.objects.exists()


def test_profile_page_shows_the_person_and_only_visible_communities(
    client: Client, staff: User, colleague: User, partner: User
) -> None:
    make_claim(staff, make_topic("Water"), endorsed_by=(colleague,))
    Profile.objects.create(user=staff, bio="Works on urban water.", availability="available")
    LanguageSkill.objects.create(user=staff, code="fr", level="native")
    public = make_community("Urban Water Network", visibility="public")
    safe = make_community("Staff Wellbeing Circle", visibility="members")
    add_member(public, staff)
    add_member(safe, staff)

    client.force_login(partner)
    page = client.get("/people/amina/").content.decode()

    assert "Amina Diallo" in page
    assert "Works on urban water." in page
    assert "French (native)" in page
    assert "Available for peer assists" in page
    assert "Expert in Water (declared; endorsed by 1 colleague)" in page
    assert "Endorse for Water" in page
    assert "Urban Water Network" in page
    assert "Staff Wellbeing Circle" not in page
    assert "Download my data" not in page


def test_own_profile_offers_editing_and_a_data_download_but_no_self_endorsement(
    client: Client, staff: User
) -> None:
    make_claim(staff, make_topic("Water"))
    client.force_login(staff)
    page = client.get("/people/amina/").content.decode()
    assert "Download my data (JSON)" in page
    assert "/people/amina/edit/" in page
    assert "Endorse for Water" not in page
    assert "Remove Water" in page


def test_hidden_people_answer_404(client: Client, partner: User, other_partner: User) -> None:
    client.force_login(partner)
    assert client.get("/people/olga/").status_code == 404
    assert client.get("/people/nobody-here/").status_code == 404


def test_editing_the_profile_saves_languages_with_levels(client: Client, staff: User) -> None:
    client.force_login(staff)
    response = client.post(
        "/people/amina/edit/",
        {
            "bio": "  Urban water and sanitation.  ",
            "availability": "limited",
            "availability_note": "Tuesdays",
            "visible_to_partners": "",
            "languages-TOTAL_FORMS": "3",
            "languages-INITIAL_FORMS": "0",
            "languages-0-code": "fr",
            "languages-0-level": "native",
            "languages-1-code": "ar",
            "languages-1-level": "working",
            "languages-2-code": "",
            "languages-2-level": "",
        },
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=staff)
    assert (profile.bio, profile.availability, profile.visible_to_partners) == (
        "Urban water and sanitation.",
        "limited",
        False,
    )
    assert sorted(LanguageSkill.objects.values_list("code", "level")) == [
        ("ar", "working"),
        ("fr", "native"),
    ]
    staff.refresh_from_db()
    assert staff.languages == ["fr", "ar"]


def test_a_language_without_level_is_refused_and_nothing_is_saved(
    client: Client, staff: User
) -> None:
    client.force_login(staff)
    response = client.post(
        "/people/amina/edit/",
        {
            "bio": "New bio",
            "languages-TOTAL_FORMS": "1",
            "languages-INITIAL_FORMS": "0",
            "languages-0-code": "fr",
            "languages-0-level": "",
        },
    )
    assert response.status_code == 200
    assert "Choose how well you speak it." in response.content.decode()
    assert not Profile.objects.exists()
    assert not LanguageSkill.objects.exists()


def test_someone_elses_profile_cannot_be_edited(
    client: Client, staff: User, colleague: User
) -> None:
    client.force_login(colleague)
    assert client.get("/people/amina/edit/").status_code == 403
    assert client.post("/people/amina/edit/", {"bio": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.update_profile_details(staff, actor=colleague, bio="x")
    assert not Profile.objects.exists()


def test_unknown_languages_and_levels_are_refused(staff: User) -> None:
    with pytest.raises(ValidationError):
        actions.update_profile_details(staff, actor=staff, languages=[("klingon", "fluent")])
    with pytest.raises(ValidationError):
        actions.declare_expertise(staff, actor=staff, topic=make_topic("Water"), level=9)
    assert not LanguageSkill.objects.exists()
    assert not ExpertiseClaim.objects.exists()
