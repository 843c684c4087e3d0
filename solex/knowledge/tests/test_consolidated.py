"""Consolidated replies through the web: the facilitator's editor, publishing, the item."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.communities.models import Community, Role, Visibility
from solex.communities.testing import add_member, make_community
from solex.exchanges.models import CloseReason, Exchange, Reply, Status
from solex.exchanges.testing import make_exchange, make_reply
from solex.knowledge.consolidated import actions
from solex.knowledge.models import ConsolidatedReply, ConsolidatedReplyDraft, KnowledgeItem
from solex.notifications.models import Notification
from solex.taxonomy.models import Topic

pytestmark = pytest.mark.django_db

QUERY = (
    "We are scaling up a community health worker programme in three rural provinces. "
    "Attrition in the pilot was over 30% a year. How have others kept community health "
    "workers motivated, and how do you organise supervision at scale?"
)
REPLIES = {
    "tigist": (
        "In Ethiopia a monthly stipend or salary paid on time is the single most important "
        "incentive.\n\nSupervision worked well when each health centre had a supervisor with a "
        "checklist for monthly supportive supervision visits."
    ),
    "john": (
        "In Malawi we found that a monthly stipend paid on time mattered more than anything "
        "else; when payments were delayed, many left.\n\nSee "
        "[the CHW guideline](https://www.who.int/publications/i/item/9789241550369)."
    ),
    "priya": (
        "I disagree with paying stipends from project funds. In Odisha the stipend stopped "
        "when the project ended and most volunteers left; it was not sustainable."
    ),
    "moses": (
        "For supervision, group supportive supervision visits by the health centre "
        "supervisor, once a month, with a simple checklist, were affordable at scale."
    ),
}


@dataclass
class Query:
    community: Community
    exchange: Exchange
    asker: User
    facilitator: User
    other_facilitator: User
    member: User
    respondents: dict[str, User]
    replies: dict[str, Reply]
    hidden: Reply


@pytest.fixture
def query() -> Query:
    community = make_community("Community Health", slug="chw", visibility=Visibility.MEMBERS)
    topic = Topic.objects.create(name="Community health workers", slug="chw")
    asker = make_staff("asker", name="Asha Mwita", country="TZ")
    facilitator = make_staff("facilitator", name="Fatou Ndiaye")
    other = make_staff("other_facilitator", name="Olga Petrova")
    member = make_staff("member", name="Mark Lee")
    add_member(community, asker)
    add_member(community, facilitator, Role.FACILITATOR)
    add_member(community, other, Role.FACILITATOR)
    add_member(community, member)
    exchange = make_exchange(
        community,
        author=asker,
        title="Keeping community health workers motivated",
        body=QUERY,
        topics=[topic],
    )
    countries = {"tigist": "ET", "john": "MW", "priya": "IN", "moses": "UG"}
    names = {"tigist": "Tigist Bekele", "john": "John Banda", "priya": "Priya Raman"}
    names["moses"] = "Moses Kato"
    respondents: dict[str, User] = {}
    replies: dict[str, Reply] = {}
    for key, body in REPLIES.items():
        person = make_staff(key, name=names[key], country=countries[key])
        add_member(community, person, Role.EXPERT)
        respondents[key] = person
        replies[key] = make_reply(exchange, person, body)
    troll = make_staff("troll", name="Hidden Person")
    add_member(community, troll)
    hidden = make_reply(exchange, troll, "Buy my product.", is_hidden=True)
    return Query(
        community, exchange, asker, facilitator, other, member, respondents, replies, hidden
    )


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def editor_url(exchange: Exchange) -> str:
    return reverse("knowledge:consolidated-reply-editor", args=[exchange.pk])


def form_data(draft: ConsolidatedReplyDraft, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": draft.title,
        "summary": draft.summary,
        "body": draft.body,
        "version": draft.version,
        "token": actions.editor_token(draft),
        "action": "save",
    }
    data.update(changes)
    return data


# ----------------------------------------------------------------------- access


def test_only_facilitators_open_the_editor(query: Query) -> None:
    outsider = make_staff("outsider")

    assert client_for(None).get(editor_url(query.exchange)).status_code == 302
    assert client_for(outsider).get(editor_url(query.exchange)).status_code == 404
    assert client_for(query.member).get(editor_url(query.exchange)).status_code == 403
    assert client_for(query.asker).get(editor_url(query.exchange)).status_code == 403
    expert = query.respondents["tigist"]
    assert client_for(expert).get(editor_url(query.exchange)).status_code == 403
    assert not ConsolidatedReplyDraft.objects.exists()

    assert client_for(query.facilitator).get(editor_url(query.exchange)).status_code == 200
    assert ConsolidatedReplyDraft.objects.count() == 1


def test_a_refused_publication_changes_nothing(query: Query) -> None:
    draft = actions.open_draft(query.exchange, actor=query.facilitator)

    response = client_for(query.member).post(
        editor_url(query.exchange), form_data(draft, action="publish")
    )

    assert response.status_code == 403
    query.exchange.refresh_from_db()
    assert query.exchange.status == Status.OPEN
    assert not KnowledgeItem.objects.exists()
    assert ConsolidatedReplyDraft.objects.get().version == draft.version


# ----------------------------------------------------------------- the draft


def test_the_editor_opens_with_an_attributed_draft_grouped_by_theme(query: Query) -> None:
    response = client_for(query.facilitator).get(editor_url(query.exchange))

    body = response.context["form"].initial["body"]
    exchange_url = query.exchange.get_absolute_url()
    tigist = query.replies["tigist"]
    # The query, quoted, with the asker credited.
    assert "> We are scaling up a community health worker programme" in body
    assert "Asha Mwita (United Nations Development Programme, United Republic of Tanzania)" in body
    # A point credited to its respondent, with a link to the reply.
    assert (
        "— Tigist Bekele (United Nations Development Programme, Ethiopia) "
        f"[reply]({exchange_url}#reply-{tigist.pk})"
    ) in body
    # The stipend theme: John and Tigist for, Priya against; the draft says they differ.
    assert (
        "**Respondents differ:** in favour, Tigist Bekele, John Banda; "
        "against or disagreeing, Priya Raman."
    ) in body
    assert "Respondents differ on:" in response.context["form"].initial["summary"]
    # The supervision theme groups Tigist and Moses, without a disagreement.
    supervision = next(
        section for section in body.split("### ") if "group supportive supervision" in section
    )
    assert "checklist for monthly supportive supervision" in supervision
    assert "Respondents differ" not in supervision
    # Resources, and the respondents as experts with their profiles.
    assert "https://www.who.int/publications/i/item/9789241550369" in body
    assert "cited by John Banda" in body
    for person in query.respondents.values():
        assert f"]({reverse('people:profile', args=[person.username])})" in body
    # The hidden reply is neither synthesised nor credited.
    assert "Buy my product" not in body
    assert "Hidden Person" not in body


def test_the_draft_lists_related_consolidated_replies_the_facilitator_may_see(
    query: Query,
) -> None:
    topic = query.exchange.topics.get()
    earlier = make_exchange(query.community, title="Paying CHWs", topics=[topic])
    secret_community = make_community("Elsewhere", visibility=Visibility.MEMBERS)
    secret = make_exchange(secret_community, title="Secret CHW study", topics=[topic])
    for exchange, title in ((earlier, "What we know about paying CHWs"), (secret, "Secret")):
        KnowledgeItem.objects.create(
            kind=KnowledgeItem.Kind.CONSOLIDATED_REPLY,
            title=title,
            summary="s",
            community=exchange.community,
            source_exchange=exchange,
        )

    body = client_for(query.facilitator).get(editor_url(query.exchange)).context["form"]
    text = body.initial["body"]

    assert "What we know about paying CHWs" in text
    assert "Secret" not in text


def test_a_query_without_replies_gets_a_draft_that_says_so(query: Query) -> None:
    empty = make_exchange(query.community, author=query.asker, title="Anyone?")

    response = client_for(query.facilitator).get(editor_url(empty))

    assert response.status_code == 200
    assert "No one has replied yet." in response.context["form"].initial["body"]


# --------------------------------------------------------------------- saving


def test_a_second_facilitator_saving_an_older_version_is_told_and_overwrites_nothing(
    query: Query,
) -> None:
    draft = actions.open_draft(query.exchange, actor=query.facilitator)
    first, second = client_for(query.facilitator), client_for(query.other_facilitator)
    stale = form_data(draft, body="Olga's synthesis, written in parallel.")

    first.post(editor_url(query.exchange), form_data(draft, body="Fatou's synthesis."))
    response = second.post(editor_url(query.exchange), stale)

    assert response.status_code == 200
    page = response.content.decode()
    assert "saved this draft while you were editing it" in page
    assert response.context["form"]["body"].value() == "Olga's synthesis, written in parallel."
    assert "Fatou&#x27;s synthesis." in page  # the saved version, shown to compare
    saved = ConsolidatedReplyDraft.objects.get()
    assert saved.body == "Fatou's synthesis."
    assert saved.version == draft.version + 1

    # Saving again, having seen the other version, is a deliberate replacement.
    again = second.post(editor_url(query.exchange), response.context["form"].data)
    assert again.status_code == 302
    assert ConsolidatedReplyDraft.objects.get().body == "Olga's synthesis, written in parallel."


def test_minutes_in_the_editor_add_up_per_save_and_each_stretch_is_capped(
    query: Query,
) -> None:
    draft = actions.open_draft(query.exchange, actor=query.facilitator)
    client = client_for(query.facilitator)
    twelve_minutes_ago = timezone.now() - datetime.timedelta(minutes=12)

    client.post(
        editor_url(query.exchange),
        form_data(draft, token=actions.editor_token(draft, now=twelve_minutes_ago)),
    )
    draft.refresh_from_db()
    assert 12 * 60 <= draft.seconds_spent < 13 * 60

    overnight = timezone.now() - datetime.timedelta(hours=14)
    client.post(
        editor_url(query.exchange),
        form_data(draft, token=actions.editor_token(draft, now=overnight)),
    )
    draft.refresh_from_db()
    cap = int(actions.SESSION_CAP.total_seconds())
    assert 12 * 60 + cap <= draft.seconds_spent < 13 * 60 + cap

    before = draft.seconds_spent
    client.post(editor_url(query.exchange), form_data(draft, token="forged:token"))
    draft.refresh_from_db()
    assert draft.seconds_spent == before


# ----------------------------------------------------------------- publishing


def test_publishing_creates_the_item_closes_the_query_credits_and_notifies(
    query: Query,
) -> None:
    client = client_for(query.facilitator)
    draft = actions.open_draft(query.exchange, actor=query.facilitator)
    twenty_minutes_ago = timezone.now() - datetime.timedelta(minutes=20)
    data = form_data(
        draft,
        action="publish",
        token=actions.editor_token(draft, now=twenty_minutes_ago),
        body=draft.body + "\nEdited by the facilitator.\n",
    )

    response = client.post(editor_url(query.exchange), data)

    item = KnowledgeItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == item.get_absolute_url()
    assert item.kind == KnowledgeItem.Kind.CONSOLIDATED_REPLY
    assert item.source_exchange == query.exchange
    assert item.community == query.community
    assert item.created_by == query.facilitator
    assert "Edited by the facilitator." in item.body_html
    assert set(item.contributors.all()) == set(query.respondents.values())
    query.exchange.refresh_from_db()
    assert query.exchange.status == Status.CLOSED
    assert query.exchange.close_reason == CloseReason.CONSOLIDATED
    assert query.exchange.closed_by == query.facilitator
    record = ConsolidatedReply.objects.get(item=item)
    assert 20 <= record.facilitator_minutes <= 21
    assert record.reply_count == 4
    told = set(
        Notification.objects.filter(kind="exchange.consolidated").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"asker", "tigist", "john", "priya", "moses"}
    assert set(
        Notification.objects.filter(kind="exchange.consolidated").values_list(
            "target_url", flat=True
        )
    ) == {item.get_absolute_url()}


def test_the_published_page_keeps_every_reply_in_full(query: Query) -> None:
    draft = actions.open_draft(query.exchange, actor=query.facilitator)
    item = actions.publish_draft(
        draft,
        actor=query.facilitator,
        version=draft.version,
        title=draft.title,
        summary=draft.summary,
        body=draft.body,
    )

    page = client_for(query.member).get(item.get_absolute_url()).content.decode()

    for reply in query.replies.values():
        assert reply.body_html in page
    assert "Buy my product" not in page
    assert "Priya Raman (United Nations Development Programme, India)" in page
    assert "Facilitator time in the editor" not in page  # members do not see the effort
    for_facilitator = client_for(query.facilitator).get(item.get_absolute_url())
    assert "Facilitator time in the editor" in for_facilitator.content.decode()
    # The library lists it under its own kind.
    listed = client_for(query.member).get(reverse("knowledge:item-list")).content.decode()
    assert item.title in listed


def test_outsiders_cannot_read_a_consolidated_reply_of_a_safe_space(query: Query) -> None:
    draft = actions.open_draft(query.exchange, actor=query.facilitator)
    item = actions.publish_draft(
        draft,
        actor=query.facilitator,
        version=draft.version,
        title=draft.title,
        summary=draft.summary,
        body=draft.body,
    )

    assert client_for(make_staff("outsider")).get(item.get_absolute_url()).status_code == 404
    assert client_for(None).get(item.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("body", "The consolidated reply is empty."),
        ("summary", "Write a short summary"),
        ("title", "Give the consolidated reply a title."),
    ],
)
def test_publishing_an_empty_consolidated_reply_is_refused_clearly(
    query: Query, field: str, message: str
) -> None:
    draft = actions.open_draft(query.exchange, actor=query.facilitator)

    response = client_for(query.facilitator).post(
        editor_url(query.exchange), form_data(draft, action="publish", **{field: "   "})
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not KnowledgeItem.objects.exists()
    query.exchange.refresh_from_db()
    assert query.exchange.status == Status.OPEN
    assert ConsolidatedReplyDraft.objects.get().version == draft.version


def test_publishing_twice_is_refused_and_the_editor_then_shows_the_item(query: Query) -> None:
    draft = actions.open_draft(query.exchange, actor=query.facilitator)
    client = client_for(query.facilitator)
    client.post(editor_url(query.exchange), form_data(draft, action="publish"))

    again = client.post(editor_url(query.exchange), form_data(draft, action="publish"))

    assert KnowledgeItem.objects.count() == 1
    assert again.status_code == 302
    assert again["Location"] == KnowledgeItem.objects.get().get_absolute_url()


def test_a_query_closed_otherwise_cannot_be_consolidated(query: Query) -> None:
    Exchange.objects.filter(pk=query.exchange.pk).update(
        status=Status.CLOSED, close_reason=CloseReason.ANSWERED
    )

    response = client_for(query.facilitator).get(editor_url(query.exchange))

    assert response.status_code == 200
    assert "This query is closed." in response.content.decode()
    assert "form" not in response.context


def test_the_query_page_leads_its_facilitators_to_the_consolidated_reply_editor(
    client: Client,
) -> None:
    facilitator, member = make_staff("cr-facil"), make_staff("cr-member")
    community = make_community("WASH CoP")
    add_member(community, facilitator, Role.FACILITATOR)
    add_member(community, member)
    query = make_exchange(community, author=member)
    make_reply(query, member, "We used solar pumps.")
    query.reply_count = 1
    query.save(update_fields=["reply_count"])
    editor = f"/knowledge/queries/{query.pk}/consolidated-reply/"

    client.force_login(facilitator)
    assert editor in client.get(query.get_absolute_url()).content.decode()
    client.force_login(member)
    assert editor not in client.get(query.get_absolute_url()).content.decode()
