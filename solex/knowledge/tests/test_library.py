"""The knowledge library: kinds and their forms, audiences, versions, freshness, use, handovers."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from solex.accounts.models import User
from solex.accounts.testing import TEST_PASSWORD, make_partner, make_staff
from solex.communities.models import Community, Role, Visibility
from solex.communities.testing import add_member, make_community
from solex.exchanges.testing import make_exchange, make_reply
from solex.knowledge import actions, permissions, queries
from solex.knowledge.models import (
    Audience,
    Handover,
    ItemLink,
    ItemVersion,
    KnowledgeItem,
    UsefulVote,
)
from solex.knowledge.testing import make_item
from solex.notifications.models import Notification
from solex.taxonomy.models import Topic

pytestmark = pytest.mark.django_db

GOOD_PRACTICE = {
    "title": "Village savings groups as a channel for cash transfers",
    "summary": "Savings groups cut the cost of distributing cash by a third in Kilifi.",
    "problem": "Distribution points were far from the most remote households.",
    "approach": "Transfers went through existing village savings and loan associations.",
    "results": "Cost per transfer fell from 4.10 to 2.70 USD.",
    "conditions": "Groups must already exist and keep written records.",
    "contacts": "Amina Odhiambo, social protection unit",
    "countries": "KE, tz",
    "regions": "East Africa",
    "language": "en",
    "audience": "public",
}


def logged_in(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=TEST_PASSWORD)
    return client


@pytest.fixture
def member() -> User:
    return make_staff("mara", name="Mara Member")


@pytest.fixture
def public_community(member: User) -> Community:
    community = make_community(
        "Social protection", slug="social-protection", visibility=Visibility.PUBLIC
    )
    add_member(community, member)
    return community


def _input(**fields: Any) -> actions.ItemInput:
    data: dict[str, Any] = {
        "title": GOOD_PRACTICE["title"],
        "summary": GOOD_PRACTICE["summary"],
        "structured": {
            name: GOOD_PRACTICE[name]
            for name in ("problem", "approach", "results", "conditions", "contacts")
        },
    }
    data.update(fields)
    return actions.ItemInput(**data)


# --- Contributing ------------------------------------------------------------------------


def test_a_member_contributes_a_good_practice_with_its_own_fields(
    member: User, public_community: Community
) -> None:
    topic = Topic.objects.create(name="Cash transfers", slug="cash-transfers")
    client = logged_in(member)
    url = reverse("knowledge:contribute", args=[public_community.slug, "good_practice"])
    page = client.get(url)
    assert "Conditions for replication" in page.content.decode()
    response = client.post(url, {**GOOD_PRACTICE, "topics": [topic.pk]})
    item = KnowledgeItem.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert item.kind == KnowledgeItem.Kind.GOOD_PRACTICE
    assert item.details["conditions"] == "Groups must already exist and keep written records."
    assert item.owner == member and list(item.contributors.all()) == [member]
    assert item.countries == ["KE", "TZ"] and item.regions == ["East Africa"]
    assert item.audience == Audience.PUBLIC and list(item.topics.all()) == [topic]
    assert item.review_due == timezone.localdate() + actions.REVIEW_INTERVAL
    detail = client.get(item.get_absolute_url()).content.decode()
    assert "Conditions for replication" in detail and "Amina Odhiambo" in detail
    assert "Not reviewed yet" in detail


def test_a_missing_field_keeps_what_was_typed(member: User, public_community: Community) -> None:
    url = reverse("knowledge:contribute", args=[public_community.slug, "good_practice"])
    data = {**GOOD_PRACTICE, "results": ""}
    response = logged_in(member).post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Transfers went through existing village savings" in page
    assert KnowledgeItem.objects.count() == 0


def test_an_unknown_kind_is_a_404_and_a_non_member_may_not_contribute(
    public_community: Community,
) -> None:
    outsider = make_staff("otto")
    member_client = logged_in(outsider)
    url = reverse("knowledge:contribute", args=[public_community.slug, "good_practice"])
    assert member_client.get(url).status_code == 403
    add_member(public_community, outsider)
    bad = reverse("knowledge:contribute", args=[public_community.slug, "consolidated_reply"])
    assert member_client.get(bad).status_code == 404


def test_a_km_approach_offers_the_usual_methods_and_shows_them_as_a_table(
    member: User, public_community: Community
) -> None:
    client = logged_in(member)
    url = reverse("knowledge:contribute", args=[public_community.slug, "km_approach"])
    assert 'value="Peer assist"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "title": "Knowledge-sharing methods for country offices",
            "summary": "Which method to use when, and who can help you run it.",
            "overview": "For teams planning a new programme.",
            "method_1_name": "Peer assist",
            "method_1_when": "Before starting something another office has done.",
            "method_1_contact": "km-team@undp.org",
            "method_2_name": "Knowledge café",
            "method_2_when": "To surface ideas from a large group.",
            "audience": "community",
        },
    )
    item = KnowledgeItem.objects.get()
    assert response.status_code == 302
    assert [m["name"] for m in item.details["methods"]] == ["Peer assist", "Knowledge café"]
    page = client.get(item.get_absolute_url()).content.decode()
    assert '<th scope="row">Peer assist</th>' in page and "km-team@undp.org" in page


def test_a_km_approach_without_any_method_is_refused(
    member: User, public_community: Community
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.contribute(
            public_community,
            actor=member,
            kind=KnowledgeItem.Kind.KM_APPROACH,
            data=actions.ItemInput(title="t", summary="s", structured={"overview": "o"}),
        )
    assert "methods" in error.value.message_dict


def test_every_contributed_kind_has_a_form_page(member: User, public_community: Community) -> None:
    client = logged_in(member)
    page = client.get(reverse("knowledge:contribute-choose", args=[public_community.slug]))
    for kind in ("good_practice", "case_study", "how_to", "practice_note", "meeting_report"):
        url = reverse("knowledge:contribute", args=[public_community.slug, kind])
        assert url in page.content.decode()
        assert client.get(url).status_code == 200


def test_bad_country_codes_and_languages_are_refused(
    member: User, public_community: Community
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.contribute(
            public_community,
            actor=member,
            kind=KnowledgeItem.Kind.GOOD_PRACTICE,
            data=_input(countries=["Kenya"], language="xx"),
        )
    assert set(error.value.message_dict) == {"countries", "language"}


# --- Audiences -----------------------------------------------------------------------------


@pytest.fixture
def audiences() -> dict[str, Any]:
    """Items of each audience in a public community, and one in an organisation and a safe space."""
    coordinator = make_staff("cora")
    partner_member = make_partner("pam")
    public = make_community(
        "Open network",
        slug="open",
        visibility=Visibility.PUBLIC,
        coordinator=coordinator,
        membership_type="partners",
    )
    add_member(public, partner_member)
    organisation = make_community("Staff network", slug="staff", coordinator=coordinator)
    safe = make_community(
        "Safe space", slug="safe", visibility=Visibility.MEMBERS, coordinator=coordinator
    )
    return {
        "partner_member": partner_member,
        "public": make_item(public, title="Public one", audience=Audience.PUBLIC),
        "community": make_item(public, title="Community one"),
        "organisation": make_item(public, title="Internal one", audience=Audience.ORGANISATION),
        "org_community": make_item(organisation, title="Staff network one"),
        "safe": make_item(safe, title="Safe one"),
    }


def _visible(user: User | AnonymousUser) -> set[str]:
    return set(KnowledgeItem.objects.visible_to(user).values_list("title", flat=True))


def test_audiences_are_enforced_in_sql_and_in_the_permission(audiences: dict[str, Any]) -> None:
    anonymous = AnonymousUser()
    staff = make_staff("stan")
    admin = make_staff("root", is_superuser=True)
    expected = {
        "anonymous": (anonymous, {"Public one", "Community one"}),
        "partner": (audiences["partner_member"], {"Public one", "Community one"}),
        "staff": (staff, {"Public one", "Community one", "Internal one", "Staff network one"}),
        "admin": (
            admin,
            {"Public one", "Community one", "Internal one", "Staff network one", "Safe one"},
        ),
    }
    items = [value for value in audiences.values() if isinstance(value, KnowledgeItem)]
    for name, (user, titles) in expected.items():
        assert _visible(user) == titles, name
        assert {i.title for i in items if permissions.can_view_item(user, i)} == titles, name


def test_an_organisation_item_is_a_404_for_a_partner_and_the_portal_only_lists_public_ones(
    audiences: dict[str, Any],
) -> None:
    partner = logged_in(audiences["partner_member"])
    assert partner.get(audiences["organisation"].get_absolute_url()).status_code == 404
    assert Client().get(audiences["public"].get_absolute_url()).status_code == 200
    portal = Client().get(reverse("knowledge:portal")).content.decode()
    assert "Public one" in portal
    assert "Community one" not in portal and "Internal one" not in portal
    assert "Safe one" not in portal


def test_only_a_public_community_may_publish_a_public_item(member: User) -> None:
    staff_only = make_community("Staff only", slug="staff-only")
    add_member(staff_only, member)
    with pytest.raises(ValidationError) as error:
        actions.contribute(
            staff_only,
            actor=member,
            kind=KnowledgeItem.Kind.GOOD_PRACTICE,
            data=_input(audience=Audience.PUBLIC),
        )
    assert "audience" in error.value.message_dict
    page = logged_in(member).get(
        reverse("knowledge:contribute", args=[staff_only.slug, "good_practice"])
    )
    assert 'value="public"' not in page.content.decode()


# --- Versions -------------------------------------------------------------------------------


def test_an_edit_keeps_the_previous_version_readable(
    member: User, public_community: Community
) -> None:
    item = actions.contribute(
        public_community, actor=member, kind=KnowledgeItem.Kind.GOOD_PRACTICE, data=_input()
    )
    client = logged_in(member)
    edit = client.get(reverse("knowledge:item-edit", args=[item.pk])).content.decode()
    assert "Groups must already exist" in edit  # the form starts from the item as it is
    data = {**GOOD_PRACTICE, "results": "Cost per transfer fell by a third.", "audience": "public"}
    response = client.post(reverse("knowledge:item-edit", args=[item.pk]), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.version == 2 and item.details["results"] == "Cost per transfer fell by a third."
    old = ItemVersion.objects.get(item=item)
    assert (
        old.number == 1
        and old.structured["results"] == "Cost per transfer fell from 4.10 to 2.70 USD."
    )
    history = client.get(reverse("knowledge:item-versions", args=[item.pk])).content.decode()
    assert reverse("knowledge:item-version", args=[item.pk, 1]) in history
    page = client.get(reverse("knowledge:item-version", args=[item.pk, 1])).content.decode()
    assert "4.10 to 2.70 USD" in page and "An earlier version" in page


def test_only_the_owner_and_the_facilitators_edit(
    member: User, public_community: Community
) -> None:
    item = actions.contribute(
        public_community, actor=member, kind=KnowledgeItem.Kind.GOOD_PRACTICE, data=_input()
    )
    other = make_staff("olga")
    add_member(public_community, other)
    with pytest.raises(PermissionDenied):
        actions.edit_item(item, actor=other, data=_input(title="Mine now"))
    facilitator = make_staff("fay")
    add_member(public_community, facilitator, Role.FACILITATOR)
    actions.edit_item(item, actor=facilitator, data=_input(title="Clearer title"))
    assert KnowledgeItem.objects.get(pk=item.pk).title == "Clearer title"


# --- Freshness ------------------------------------------------------------------------------


def test_an_overdue_item_waits_for_the_knowledge_manager_who_confirms_it(
    member: User, public_community: Community
) -> None:
    manager = make_staff("kim")
    add_member(public_community, manager, Role.KNOWLEDGE_MANAGER)
    facilitator = make_staff("fay")
    add_member(public_community, facilitator, Role.FACILITATOR)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    overdue = make_item(public_community, title="Stale guidance", review_due=yesterday)
    make_item(
        public_community, title="Fresh guidance", review_due=yesterday + datetime.timedelta(days=30)
    )
    old_without_date = make_item(public_community, title="Old guidance")
    KnowledgeItem.objects.filter(pk=old_without_date.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )
    client = logged_in(manager)
    queue = client.get(reverse("knowledge:review-queue")).content.decode()
    assert "Stale guidance" in queue and "Old guidance" in queue
    assert "Fresh guidance" not in queue
    assert logged_in(facilitator).get(reverse("knowledge:review-queue")).status_code == 403
    response = client.post(
        reverse("knowledge:item-review", args=[overdue.pk]), {"action": "confirm", "next": "queue"}
    )
    assert response["Location"] == reverse("knowledge:review-queue")
    overdue.refresh_from_db()
    assert overdue.last_reviewed_by == manager
    assert overdue.review_due == timezone.localdate() + actions.REVIEW_INTERVAL
    queue = client.get(reverse("knowledge:review-queue")).content.decode()
    assert "Stale guidance</a>" not in queue and "Old guidance</a>" in queue
    assert "Last reviewed" in client.get(overdue.get_absolute_url()).content.decode()


def test_archiving_takes_an_item_out_of_lists_and_tells_its_owner(
    member: User, public_community: Community
) -> None:
    coordinator = make_staff("cora")
    add_member(public_community, coordinator, Role.COORDINATOR)
    item = make_item(public_community, title="Superseded manual", author=member)
    client = logged_in(coordinator)
    client.post(reverse("knowledge:item-review", args=[item.pk]), {"action": "archive"})
    item.refresh_from_db()
    assert item.status == KnowledgeItem.Status.ARCHIVED
    assert (
        "Superseded manual</a>" not in client.get(reverse("knowledge:item-list")).content.decode()
    )
    assert "Archived" in client.get(item.get_absolute_url()).content.decode()
    assert Notification.objects.filter(recipient=member, kind="knowledge.archived").exists()
    with pytest.raises(ValidationError):
        actions.archive_item(item, actor=coordinator)


def test_a_member_may_not_review(member: User, public_community: Community) -> None:
    item = make_item(public_community)
    with pytest.raises(PermissionDenied):
        actions.confirm_review(item, actor=member)
    response = logged_in(member).post(
        reverse("knowledge:item-review", args=[item.pk]), {"action": "confirm"}
    )
    assert response.status_code == 403


def test_a_reviewers_edit_counts_as_a_review(member: User, public_community: Community) -> None:
    manager = make_staff("kim")
    add_member(public_community, manager, Role.KNOWLEDGE_MANAGER)
    item = make_item(public_community, review_due=timezone.localdate() - datetime.timedelta(days=3))
    actions.edit_item(item, actor=manager, data=_input())
    item.refresh_from_db()
    assert item.last_reviewed_by == manager and not queries.is_overdue(item)


# --- Use -------------------------------------------------------------------------------------


def test_views_and_one_useful_vote_per_person(member: User, public_community: Community) -> None:
    item = make_item(public_community)
    client = logged_in(member)
    client.get(item.get_absolute_url())
    Client().get(item.get_absolute_url())
    url = reverse("knowledge:item-useful", args=[item.pk])
    client.post(url, {"useful": "yes"})
    client.post(url, {"useful": "yes"})
    item.refresh_from_db()
    assert (item.view_count, item.useful_yes, item.useful_no) == (2, 1, 0)
    client.post(url, {"useful": "no"})
    item.refresh_from_db()
    assert (item.useful_yes, item.useful_no) == (0, 1)
    assert UsefulVote.objects.count() == 1
    assert Client().post(url, {"useful": "yes"}).status_code == 302  # to log in
    assert UsefulVote.objects.count() == 1


def test_reuse_counts_links_from_replies_and_items_and_related_items_share_topics(
    member: User, public_community: Community
) -> None:
    topic = Topic.objects.create(name="Cash", slug="cash")
    item = make_item(public_community, title="The original", topics=[topic], countries=["KE"])
    sibling = make_item(public_community, title="Same topic", topics=[topic])
    make_item(public_community, title="Same country", countries=["KE"])
    make_item(public_community, title="Unrelated")
    exchange = make_exchange(public_community, author=member)
    make_reply(exchange, member, f"See [this]({item.get_absolute_url()}) for details.")
    citing = actions.contribute(
        public_community,
        actor=member,
        kind=KnowledgeItem.Kind.GOOD_PRACTICE,
        data=_input(body=f"Builds on {item.get_absolute_url()}"),
    )
    assert ItemLink.objects.filter(source=citing, target=item).exists()
    reuse = queries.reuse_of(item)
    assert (reuse.replies, reuse.items) == (1, 1)
    related = [other.title for other in queries.related_items(member, item)]
    assert set(related) == {"Same topic", "Same country", citing.title}
    assert "Unrelated" not in related
    assert related.index("Same topic") < related.index("Same country")
    page = logged_in(member).get(item.get_absolute_url()).content.decode()
    assert "reused 2 times" in page and sibling.title in page


def test_related_items_never_show_what_the_reader_may_not_see(public_community: Community) -> None:
    topic = Topic.objects.create(name="Cash", slug="cash")
    item = make_item(public_community, title="Open item", topics=[topic], audience=Audience.PUBLIC)
    make_item(public_community, title="Staff note", topics=[topic], audience=Audience.ORGANISATION)
    page = Client().get(item.get_absolute_url()).content.decode()
    assert "Staff note" not in page


# --- Lists, filters and bad input --------------------------------------------------------------


def test_the_library_filters_and_never_fails_on_odd_input(
    member: User, public_community: Community
) -> None:
    make_item(public_community, title="Cash in Kenya", countries=["KE"], language="en")
    make_item(public_community, title="Argent au Sénégal", countries=["SN"], language="fr")
    client = logged_in(member)
    url = reverse("knowledge:item-list")
    assert "Argent" not in client.get(url, {"country": "ke"}).content.decode()
    assert "Cash in Kenya" not in client.get(url, {"language": "fr"}).content.decode()
    for odd in ({"kind": "nonsense"}, {"topic": "no-such-topic"}, {"language": "xx"}):
        response = client.get(url, odd)
        assert response.status_code == 200
        assert "Nothing found" in response.content.decode()
    for q in ("x" * 10_000, '"unbalanced', "NEAR * -"):
        assert client.get(url, {"q": q}).status_code == 200
    assert (
        client.get(reverse("knowledge:portal"), {"kind": "nonsense", "q": "x" * 10_000}).status_code
        == 200
    )


def _queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_pages_make_a_fixed_number_of_queries(
    member: User, public_community: Community
) -> None:
    manager = make_staff("kim", is_staff=True)
    overdue = timezone.localdate() - datetime.timedelta(days=1)
    for number in range(3):
        make_item(
            public_community, title=f"Item {number}", audience=Audience.PUBLIC, review_due=overdue
        )
    client = logged_in(manager)
    pages = [
        reverse("knowledge:item-list"),
        reverse("knowledge:portal"),
        reverse("knowledge:review-queue"),
        reverse("knowledge:portal-feed"),
    ]
    before = {url: _queries_for(client, url) for url in pages}
    for number in range(3, 12):
        make_item(
            public_community, title=f"Item {number}", audience=Audience.PUBLIC, review_due=overdue
        )
    after = {url: _queries_for(client, url) for url in pages}
    assert after == before
    assert before[reverse("knowledge:portal")] <= 8


# --- The portal and its feed --------------------------------------------------------------------


def test_the_portal_is_searchable_and_has_page_metadata(public_community: Community) -> None:
    make_item(public_community, title="Cash transfers in Kilifi", audience=Audience.PUBLIC)
    make_item(public_community, title="School feeding", audience=Audience.PUBLIC)
    response = Client().get(reverse("knowledge:portal"), {"q": "kilifi"})
    page = response.content.decode()
    assert "Cash transfers in Kilifi" in page and "School feeding" not in page
    assert '<link rel="canonical" href="http://testserver/knowledge/portal/">' in page
    assert 'type="application/atom+xml"' in page and 'property="og:title"' in page


def test_an_item_page_has_a_canonical_link_and_open_graph(public_community: Community) -> None:
    item = make_item(public_community, title="Cash transfers in Kilifi", audience=Audience.PUBLIC)
    page = Client().get(item.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="http://testserver{item.get_absolute_url()}">' in page
    assert '<meta property="og:title" content="Cash transfers in Kilifi">' in page


def test_the_atom_feed_holds_only_public_items(audiences: dict[str, Any]) -> None:
    response = Client().get(reverse("knowledge:portal-feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = response.content.decode()
    assert "<title>Public one</title>" in feed
    for title in ("Community one", "Internal one", "Staff network one", "Safe one"):
        assert title not in feed
    archived = audiences["public"]
    KnowledgeItem.objects.filter(pk=archived.pk).update(status=KnowledgeItem.Status.ARCHIVED)
    assert "Public one" not in Client().get(reverse("knowledge:portal-feed")).content.decode()


# --- Handovers ---------------------------------------------------------------------------------


def test_a_handover_is_reviewed_by_both_then_published(public_community: Community) -> None:
    leaver = make_staff("leo", name="Leo Leaver")
    successor = make_staff("sue", name="Sue Successor")
    add_member(public_community, leaver)
    add_member(public_community, successor)
    client = logged_in(leaver)
    response = client.post(
        reverse("knowledge:handover-create", args=[public_community.slug]),
        {
            "title": "Handing over the cash working group",
            "role": "Cash working group co-chair",
            "successor": successor.pk,
            "critical_knowledge": "The ministry signs off transfer values each quarter.",
            "key_contacts": "Director of social protection",
            "audience": "organisation",
        },
    )
    handover = Handover.objects.get()
    assert response["Location"] == handover.get_absolute_url()
    assert Notification.objects.filter(recipient=successor, kind="knowledge.handover").exists()
    outsider = make_staff("olga")
    add_member(public_community, outsider)
    assert logged_in(outsider).get(handover.get_absolute_url()).status_code == 404
    sign = reverse("knowledge:handover-sign", args=[handover.pk])
    publish = reverse("knowledge:handover-publish", args=[handover.pk])
    client.post(sign)
    assert "sign off before" in client.post(publish, follow=True).content.decode()
    successor_client = logged_in(successor)
    # The successor's change clears the leaver's signature.
    successor_client.post(
        handover.get_absolute_url(),
        {
            "title": "Handing over the cash working group",
            "role": "Cash working group co-chair",
            "successor": successor.pk,
            "critical_knowledge": "The ministry signs off transfer values every quarter, in March.",
            "audience": "organisation",
        },
    )
    handover.refresh_from_db()
    assert handover.leaver_signed_at is None
    successor_client.post(sign)
    client.post(sign)
    response = successor_client.post(publish)
    item = KnowledgeItem.objects.get(kind=KnowledgeItem.Kind.HANDOVER)
    assert response["Location"] == item.get_absolute_url()
    assert item.audience == Audience.ORGANISATION and item.owner == successor
    assert "in March" in item.details["critical_knowledge"]
    assert set(item.contributors.all()) == {leaver, successor}
    page = successor_client.get(item.get_absolute_url()).content.decode()
    assert "Critical knowledge" in page
    assert successor_client.post(sign).status_code == 302
    handover.refresh_from_db()
    assert handover.status == Handover.Status.PUBLISHED


def test_a_handover_needs_a_successor_who_is_a_member(
    member: User, public_community: Community
) -> None:
    stranger = make_staff("stranger")
    data = actions.HandoverInput(title="t", role="r", critical_knowledge="k")
    with pytest.raises(ValidationError) as error:
        actions.start_handover(public_community, actor=member, successor=stranger, data=data)
    assert "successor" in error.value.message_dict
    with pytest.raises(ValidationError):
        actions.start_handover(public_community, actor=member, successor=member, data=data)


def test_a_consolidated_reply_shows_its_use_and_takes_a_vote(
    member: User, public_community: Community
) -> None:
    item = make_item(
        public_community,
        kind=KnowledgeItem.Kind.CONSOLIDATED_REPLY,
        title="What worked for cash in floods",
        audience=Audience.PUBLIC,
    )
    client = logged_in(member)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Was this useful?" in page and "1 view" in page
    assert f'<link rel="canonical" href="http://testserver{item.get_absolute_url()}">' in page
    client.post(reverse("knowledge:item-useful", args=[item.pk]), {"useful": "yes"})
    assert KnowledgeItem.objects.get(pk=item.pk).useful_yes == 1
    # Its detail address under /items/ leads to the consolidated reply's page.
    response = client.get(reverse("knowledge:item-detail", args=[item.pk]))
    assert response["Location"] == item.get_absolute_url()


def test_reviewers_are_reminded_once_of_what_waits(public_community: Community) -> None:
    manager = make_staff("kim")
    add_member(public_community, manager, Role.KNOWLEDGE_MANAGER)
    facilitator = make_staff("fay")
    add_member(public_community, facilitator, Role.FACILITATOR)
    past = timezone.localdate() - datetime.timedelta(days=1)
    make_item(public_community, review_due=past)
    make_item(public_community, review_due=past)
    make_item(public_community, review_due=past, status=KnowledgeItem.Status.ARCHIVED)
    assert actions.remind_reviewers() == 1
    actions.remind_reviewers()
    reminders = Notification.objects.filter(kind="knowledge.review_due")
    assert [(n.recipient, n.text) for n in reminders] == [
        (manager, "2 knowledge items are past their review date: confirm, update or archive them.")
    ]
    assert reminders.get().target_url == reverse("knowledge:review-queue")


def test_contributors_are_credited_and_must_be_members(
    member: User, public_community: Community
) -> None:
    colleague = make_staff("cleo", name="Cleo Colleague")
    add_member(public_community, colleague)
    url = reverse("knowledge:contribute", args=[public_community.slug, "good_practice"])
    response = logged_in(member).post(url, {**GOOD_PRACTICE, "contributors": [colleague.pk]})
    item = KnowledgeItem.objects.get()
    assert response.status_code == 302
    assert set(item.contributors.all()) == {member, colleague}
    assert "Cleo Colleague" in logged_in(member).get(item.get_absolute_url()).content.decode()
    stranger = make_staff("stranger")
    with pytest.raises(ValidationError) as error:
        actions.contribute(
            public_community,
            actor=member,
            kind=KnowledgeItem.Kind.GOOD_PRACTICE,
            data=_input(contributors=[stranger]),
        )
    assert "contributors" in error.value.message_dict


def test_an_item_from_another_flow_is_edited_by_its_common_fields(
    public_community: Community,
) -> None:
    facilitator = make_staff("fay")
    add_member(public_community, facilitator, Role.FACILITATOR)
    synthesis = make_item(
        public_community,
        kind=KnowledgeItem.Kind.DISCUSSION_SYNTHESIS,
        title="What the e-discussion concluded",
        body="Members agreed on **three** points.",
    )
    client = logged_in(facilitator)
    page = client.get(synthesis.get_absolute_url()).content.decode()
    assert "<strong>three</strong>" in page and "Discussion synthesis" in page
    response = client.post(
        reverse("knowledge:item-edit", args=[synthesis.pk]),
        {
            "title": "What the e-discussion concluded, in short",
            "summary": "Three points of agreement.",
            "body": "Members agreed on three points.",
            "audience": "community",
        },
    )
    assert response.status_code == 302
    synthesis.refresh_from_db()
    assert synthesis.version == 2 and synthesis.summary == "Three points of agreement."
