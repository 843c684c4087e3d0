"""Files on queries and replies: checked by content, listed, downloaded only by the audience."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from solex.accounts.models import User
from solex.accounts.testing import make_staff
from solex.communities.models import Role, Visibility
from solex.communities.testing import add_member, make_community
from solex.core import files
from solex.core.documents import PNG_PIXEL, make_docx, make_pdf
from solex.core.models import StoredFile
from solex.exchanges import actions
from solex.exchanges.models import Attachment, Exchange, Reply
from solex.exchanges.testing import make_attachment, make_exchange, make_reply
from solex.search import actions as search_actions
from solex.search import queries as search_queries

pytestmark = pytest.mark.django_db


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def people() -> dict[str, User]:
    community = make_community("Safe space", slug="safe", visibility=Visibility.MEMBERS)
    found = {name: make_staff(name) for name in ("asker", "facilitator", "expert", "outsider")}
    add_member(community, found["asker"])
    add_member(community, found["facilitator"], Role.FACILITATOR)
    add_member(community, found["expert"], Role.EXPERT)
    return found


def pdf(name: str = "brief.pdf", words: str = "Cash transfers in Malawi") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_pdf([words]), content_type="application/pdf")


def test_a_member_asks_with_a_file_and_everyone_in_the_community_can_download_it(
    people: dict[str, User],
) -> None:
    response = client_for(people["asker"]).post(
        reverse("exchanges:exchange-ask", args=["safe"]),
        {"title": "Cash transfer targeting", "body": "What worked?", "attachments": [pdf()]},
    )
    assert response.status_code == 302
    exchange = Exchange.objects.get()
    attachment = Attachment.objects.get()
    assert (attachment.exchange, attachment.reply) == (exchange, None)
    assert attachment.file.original_name == "brief.pdf"
    page = client_for(people["expert"]).get(exchange.get_absolute_url()).content.decode()
    assert "brief.pdf" in page
    assert "PDF" in page and attachment.get_absolute_url() in page
    download = client_for(people["expert"]).get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]


def test_a_safe_space_file_is_404_to_outsiders_and_visitors(people: dict[str, User]) -> None:
    exchange = make_exchange(
        Exchange.objects.none().model.objects.none().model().community
        if False
        else make_community(slug="x", visibility=Visibility.MEMBERS)
    )
    attachment = make_attachment(exchange)
    assert client_for(people["outsider"]).get(attachment.get_absolute_url()).status_code == 404
    assert client_for(None).get(attachment.get_absolute_url()).status_code == 404


def test_a_hidden_replys_file_is_only_for_facilitators(people: dict[str, User]) -> None:
    exchange = make_exchange(people["asker"].memberships.get().community, author=people["asker"])
    reply = make_reply(exchange, people["expert"], is_hidden=True, hidden_reason="Spam")
    attachment = make_attachment(exchange, reply=reply)
    assert client_for(people["asker"]).get(attachment.get_absolute_url()).status_code == 404
    assert client_for(people["facilitator"]).get(attachment.get_absolute_url()).status_code == 200


def test_a_reply_with_a_file_lists_it_under_the_reply(people: dict[str, User]) -> None:
    community = people["asker"].memberships.get().community
    exchange = make_exchange(community, author=people["asker"])
    docx = SimpleUploadedFile("lessons.docx", make_docx(["Lessons from Zomba district"]))
    response = client_for(people["expert"]).post(
        reverse("exchanges:exchange-reply", args=[exchange.pk]),
        {"body": "See the attached lessons.", "attachments": [docx]},
    )
    assert response.status_code == 302
    reply = Reply.objects.get()
    attachment = Attachment.objects.get()
    assert attachment.reply == reply
    page = client_for(people["asker"]).get(exchange.get_absolute_url()).content.decode()
    assert "lessons.docx" in page and "Word document" in page
    # The text is extracted for search.
    assert files.extract_text(attachment.file) == "Lessons from Zomba district"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("virus.pdf", b"MZ\x90\x00\x03\x00\xff\xfe"), "not a file type"),
        (SimpleUploadedFile("photo.pdf", PNG_PIXEL), "really a PNG image"),
    ],
)
def test_a_bad_file_refuses_the_reply_but_keeps_the_text(
    people: dict[str, User], upload: SimpleUploadedFile, message: str
) -> None:
    community = people["asker"].memberships.get().community
    exchange = make_exchange(community, author=people["asker"])
    response = client_for(people["expert"]).post(
        reverse("exchanges:exchange-reply", args=[exchange.pk]),
        {"body": "A long careful answer I do not want to lose.", "attachments": [upload]},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "A long careful answer I do not want to lose." in body
    assert not Reply.objects.exists()
    assert not StoredFile.objects.exists()


def test_an_oversize_file_refuses_the_question_and_keeps_the_text(
    people: dict[str, User],
) -> None:
    with override_settings(SOLEX_MAX_UPLOAD_BYTES=200):
        response = client_for(people["asker"]).post(
            reverse("exchanges:exchange-ask", args=["safe"]),
            {
                "title": "Cash transfer targeting",
                "body": "Keep this text",
                "attachments": [pdf()],
            },
        )
    body = response.content.decode()
    assert response.status_code == 200
    assert "the limit is 200 bytes" in body
    assert "Keep this text" in body and "Cash transfer targeting" in body
    assert not Exchange.objects.exists()


def test_at_most_five_files(people: dict[str, User]) -> None:
    community = people["asker"].memberships.get().community
    with pytest.raises(ValidationError, match="at most 5 files"):
        actions.ask_query(
            community,
            actor=people["asker"],
            title="Too many files",
            body="Six of them",
            attachments=[pdf(f"f{n}.pdf") for n in range(6)],
        )
    assert not Exchange.objects.exists()


def test_only_the_asker_or_a_facilitator_attaches_to_the_query(people: dict[str, User]) -> None:
    community = people["asker"].memberships.get().community
    exchange = make_exchange(community, author=people["asker"])
    with pytest.raises(PermissionDenied):
        actions.attach_files(exchange, actor=people["expert"], uploads=[pdf()])
    attached = actions.attach_files(exchange, actor=people["facilitator"], uploads=[pdf()])
    assert [a.file.original_name for a in attached] == ["brief.pdf"]


def test_the_api_attaches_lists_and_downloads_files(people: dict[str, User]) -> None:
    community = people["asker"].memberships.get().community
    exchange = make_exchange(community, author=people["asker"])
    reply = make_reply(exchange, people["expert"])
    expert = client_for(people["expert"])
    answer = expert.post(
        f"/api/v1/exchanges/{exchange.pk}/attachments",
        {"upload": [pdf("evidence.pdf")], "reply": str(reply.pk)},
    )
    assert answer.status_code == 201, answer.content
    item = answer.json()[0]
    assert (item["name"], item["content_type"], item["reply"]) == (
        "evidence.pdf",
        "application/pdf",
        reply.pk,
    )
    replies = expert.get(f"/api/v1/exchanges/{exchange.pk}/replies").json()["items"]
    assert [a["name"] for a in replies[0]["attachments"]] == ["evidence.pdf"]
    download = client_for(people["asker"]).get(item["url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert client_for(people["outsider"]).get(item["url"]).status_code == 404


def test_the_api_refuses_a_disguised_file_with_409_and_the_reason(
    people: dict[str, User],
) -> None:
    community = people["asker"].memberships.get().community
    exchange = make_exchange(community, author=people["asker"])
    answer = client_for(people["asker"]).post(
        f"/api/v1/exchanges/{exchange.pk}/attachments",
        {"upload": [SimpleUploadedFile("photo.pdf", PNG_PIXEL)]},
    )
    assert answer.status_code == 409
    assert "really a PNG image" in answer.json()["detail"]
    assert not Attachment.objects.exists()
    detail = client_for(people["asker"]).get(f"/api/v1/exchanges/{exchange.pk}").json()
    assert detail["attachments"] == []


def test_the_api_refuses_attaching_to_someone_elses_reply(people: dict[str, User]) -> None:
    community = people["asker"].memberships.get().community
    exchange = make_exchange(community, author=people["asker"])
    reply = make_reply(exchange, people["expert"])
    answer = client_for(people["asker"]).post(
        f"/api/v1/exchanges/{exchange.pk}/attachments",
        {"upload": [pdf()], "reply": str(reply.pk)},
    )
    assert answer.status_code == 403


def test_words_only_in_an_attached_file_find_the_query_and_the_reply(
    people: dict[str, User],
) -> None:
    community = people["asker"].memberships.get().community
    exchange = actions.ask_query(
        community,
        actor=people["asker"],
        title="Targeting cash transfers",
        body="What worked?",
        attachments=[pdf("brief.pdf", "Chikwawa floodplain households")],
    )
    actions.release_query(exchange, actor=people["facilitator"])
    reply = actions.post_reply(
        exchange,
        actor=people["expert"],
        body="See my table.",
        attachments=[SimpleUploadedFile("table.csv", b"district,count\nNsanje,40\n")],
    )
    for attachment in Attachment.objects.all():
        files.extract_text(attachment.file)
    search_actions.index_objects("exchange", [exchange.pk])
    search_actions.index_objects("reply", [reply.pk])

    def found(words: str) -> list[tuple[str, int]]:
        results = search_queries.search(people["expert"], search_queries.SearchParams(q=words))
        return [(r.document.kind, r.document.object_id) for r in results.results]

    assert ("exchange", exchange.pk) in found("Chikwawa floodplain")
    assert ("reply", reply.pk) in found("Nsanje")
    assert (
        found("Chikwawa")
        and not search_queries.search(
            people["outsider"], search_queries.SearchParams(q="Chikwawa")
        ).results
    )
