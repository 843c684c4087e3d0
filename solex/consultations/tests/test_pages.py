"""Consultations through the web and the API, bad input first: nothing typed is lost."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from solex.accounts.models import User
from solex.consultations import actions
from solex.consultations.models import DraftVersion, Response, SummaryDraft
from solex.consultations.testing import DRAFT, Setting, make_setting, start
from solex.exchanges.models import Exchange, Reply
from solex.knowledge.models import KnowledgeItem

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def setting() -> Setting:
    return make_setting()


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _later(days: int = 10) -> str:
    return (timezone.localtime() + datetime.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def test_the_community_list_shows_open_consultations_first(setting: Setting) -> None:
    closed = start(setting, title="Earlier strategy draft")
    actions.close_consultation(closed, actor=setting.owner)
    start(setting, title="Later policy draft", closes_in=datetime.timedelta(days=30))
    start(setting, title="Sooner policy draft", closes_in=datetime.timedelta(days=2))
    url = reverse("consultations:community-consultations", args=[setting.community.slug])
    page = _client(setting.amina).get(url).content.decode()
    order = [page.index(t) for t in ("Sooner policy", "Later policy", "Earlier strategy")]
    assert order == sorted(order)
    assert "Start a consultation" in page
    assert "Start a consultation" not in Client().get(url).content.decode()


def test_starting_with_a_past_deadline_keeps_the_text(setting: Setting) -> None:
    url = reverse("consultations:consultation-start", args=[setting.community.slug])
    response = _client(setting.owner).post(
        url,
        {
            "title": "Regional resilience strategy",
            "purpose": "Comments please.",
            "body": "Our very particular first paragraph.",
            "closes_at": "2020-01-01T10:00",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "The deadline is in the past" in page
    assert "Our very particular first paragraph." in page
    assert not Exchange.objects.exists()


def test_starting_with_a_file_and_reading_it(setting: Setting) -> None:
    url = reverse("consultations:consultation-start", args=[setting.community.slug])
    response = _client(setting.owner).post(
        url,
        {
            "title": "Regional resilience strategy",
            "purpose": "Comments please.",
            "body": DRAFT,
            "closes_at": _later(),
            "attachment": SimpleUploadedFile("strategy.pdf", PDF, content_type="application/pdf"),
        },
    )
    exchange = Exchange.objects.get()
    assert response.status_code == 302 and response["Location"] == exchange.get_absolute_url()
    page = _client(setting.amina).get(exchange.get_absolute_url()).content.decode()
    for number in (1, 2, 3, 4):
        assert f'id="paragraph-{number}"' in page
    assert "Comment on paragraph 4" in page and "strategy.pdf" in page
    file_url = reverse("consultations:consultation-attachment", args=[exchange.pk, 1])
    download = _client(setting.amina).get(file_url)
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download["Content-Disposition"]


def test_a_disallowed_file_is_refused_with_the_text_kept(setting: Setting) -> None:
    url = reverse("consultations:consultation-start", args=[setting.community.slug])
    response = _client(setting.owner).post(
        url,
        {
            "title": "Regional resilience strategy",
            "purpose": "Comments please.",
            "body": "My draft text.",
            "closes_at": _later(),
            "attachment": SimpleUploadedFile("tool.exe", b"MZ\x90\x00" * 50),
        },
    )
    assert response.status_code == 200
    assert "My draft text." in response.content.decode()
    assert not Exchange.objects.exists()


def test_a_members_only_file_never_reaches_outsiders() -> None:
    setting = make_setting(visibility="members", prefix="safe")
    exchange = actions.start_consultation(
        setting.community,
        actor=setting.owner,
        title="Protection case management SOP",
        purpose="p",
        body="Text.",
        closes_at=timezone.now() + datetime.timedelta(days=3),
        attachment=SimpleUploadedFile("sop.pdf", PDF, content_type="application/pdf"),
    )
    file_url = reverse("consultations:consultation-attachment", args=[exchange.pk, 1])
    assert _client(setting.outsider).get(file_url).status_code == 404
    assert Client().get(file_url).status_code == 404
    assert _client(setting.amina).get(file_url).status_code == 200
    assert Client().get(exchange.get_absolute_url()).status_code == 404


def test_a_comment_on_a_missing_paragraph_keeps_its_text(setting: Setting) -> None:
    exchange = start(setting)
    url = reverse("consultations:consultation-comment", args=[exchange.pk])
    response = _client(setting.amina).post(
        url, {"body": "My careful remark.", "paragraph": "99", "version": "1"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "has no paragraph 99" in page and "My careful remark." in page
    assert not Reply.objects.exists()


def test_an_oversize_comment_keeps_its_text(setting: Setting) -> None:
    exchange = start(setting)
    url = reverse("consultations:consultation-comment", args=[exchange.pk])
    text = "long " * 4_001
    response = _client(setting.amina).post(url, {"body": text, "paragraph": "2"})
    assert response.status_code == 200
    assert text.strip() in response.content.decode()
    assert not Reply.objects.exists()


def test_a_comment_on_a_closed_consultation_is_refused_and_kept(setting: Setting) -> None:
    exchange = start(setting)
    actions.close_consultation(exchange, actor=setting.owner)
    url = reverse("consultations:consultation-comment", args=[exchange.pk])
    response = _client(setting.amina).post(url, {"body": "Too late, sorry."})
    assert response.status_code == 200
    page = response.content.decode()
    assert "closed" in page and "Too late, sorry." in page


def test_comments_post_redirect_and_show_with_counts(setting: Setting) -> None:
    exchange = start(setting)
    url = reverse("consultations:consultation-comment", args=[exchange.pk])
    response = _client(setting.amina).post(
        url, {"body": "Include disability.", "paragraph": "2", "version": "1"}
    )
    assert response.status_code == 302
    page = _client(setting.carlos).get(exchange.get_absolute_url()).content.decode()
    assert "Paragraph 2: 1 comment" in page and "Include disability." in page


def test_older_versions_stay_readable_and_their_comments_are_marked(setting: Setting) -> None:
    exchange = start(setting)
    actions.comment(exchange, actor=setting.amina, body="Too vague here.", paragraph=1)
    client = _client(setting.owner)
    url = reverse("consultations:consultation-new-version", args=[exchange.pk])
    response = client.post(url, {"body": DRAFT + "\nA new closing paragraph.\n", "note": "Closing"})
    assert response.status_code == 302
    page = client.get(exchange.get_absolute_url()).content.decode()
    assert "The draft, version 2" in page and "on an earlier version" in page
    old = client.get(exchange.get_absolute_url() + "?version=1").content.decode()
    assert "This is an earlier version" in old and "Paragraph 1: 1 comment" in old


def test_two_people_editing_the_summary_at_once(setting: Setting) -> None:
    exchange = start(setting)
    actions.comment(exchange, actor=setting.amina, body="Keep cash payments.", paragraph=4)
    draft = actions.close_consultation(exchange, actor=setting.owner)
    url = reverse("consultations:summary-editor", args=[exchange.pk])
    fields = {"title": "T", "summary": "S", "version": str(draft.version), "action": "save"}
    first = _client(setting.owner).post(url, {**fields, "body": "Owner's careful text"})
    assert first.status_code == 302
    second = _client(setting.facilitator).post(url, {**fields, "body": "Facilitator's text"})
    assert second.status_code == 200
    page = second.content.decode()
    assert "saved this summary while you were editing" in page
    assert "Facilitator&#x27;s text" in page or "Facilitator's text" in page
    assert SummaryDraft.objects.get().body == "Owner's careful text"


def test_publishing_an_empty_summary_is_refused(setting: Setting) -> None:
    exchange = start(setting)
    draft = actions.close_consultation(exchange, actor=setting.owner)
    url = reverse("consultations:summary-editor", args=[exchange.pk])
    response = _client(setting.owner).post(
        url,
        {
            "title": "T",
            "summary": "S",
            "body": "",
            "version": str(draft.version),
            "action": "publish",
        },
    )
    assert response.status_code == 200
    assert "The feedback summary is empty" in response.content.decode()
    assert not KnowledgeItem.objects.exists()


def test_the_summary_page_lists_each_comments_fate(setting: Setting) -> None:
    exchange = start(setting)
    reply = actions.comment(exchange, actor=setting.amina, body="Keep cash.", paragraph=4)
    draft = actions.close_consultation(exchange, actor=setting.owner)
    responses_url = reverse("consultations:responses", args=[exchange.pk])
    refused = _client(setting.owner).post(
        responses_url, {"comment": reply.pk, "response": Response.NOT_TAKEN_UP, "reason": ""}
    )
    assert refused.status_code == 200 and "cannot be empty" in refused.content.decode()
    saved = _client(setting.owner).post(
        responses_url,
        {"comment": reply.pk, "response": Response.NOT_TAKEN_UP, "reason": "Budget rules."},
    )
    assert saved.status_code == 302
    item = actions.publish_summary(
        draft, actor=setting.owner, version=draft.version, title="T", summary="S", body="Body"
    )
    page = Client().get(reverse("consultations:summary", args=[exchange.pk])).content.decode()
    assert "Not taken up" in page and "Budget rules." in page and "Keep cash." in page
    # The library's copy carries the same table.
    library = Client().get(item.get_absolute_url())
    assert library.status_code == 200 and "Budget rules." in library.content.decode()


# --- API ----------------------------------------------------------------------------------


def _api(client: Client, method: str, path: str, data: object) -> tuple[int, dict[str, Any]]:
    response = client.generic(
        method, f"/api/v1/consultations{path}", json.dumps(data), content_type="application/json"
    )
    return response.status_code, response.json()


def test_the_api_journey_and_its_errors(setting: Setting) -> None:
    owner, amina = _client(setting.owner), _client(setting.amina)
    status, body = _api(
        owner,
        "POST",
        "/",
        {
            "community": setting.community.slug,
            "title": "Draft national policy",
            "purpose": "Before cabinet",
            "body": DRAFT,
            "closes_at": "2001-01-01T00:00:00Z",
        },
    )
    assert status == 409 and "past" in str(body["detail"])
    status, body = _api(
        owner,
        "POST",
        "/",
        {
            "community": setting.community.slug,
            "title": "Draft national policy",
            "purpose": "Before cabinet",
            "body": DRAFT,
            "closes_at": (timezone.now() + datetime.timedelta(days=5)).isoformat(),
        },
    )
    assert status == 201 and body["current_version"] == 1
    pk = body["id"]
    versions = body["versions"]
    assert isinstance(versions, list) and len(versions[0]["paragraphs"]) == 8
    status, body = _api(amina, "POST", f"/{pk}/comments", {"body": "Hm", "paragraph": 40})
    assert status == 409 and body["errors"][0]["loc"] == ["body", "paragraph"]
    status, body = _api(amina, "POST", f"/{pk}/comments", {"body": "x" * 20_001})
    assert status == 422
    status, comment = _api(amina, "POST", f"/{pk}/comments", {"body": "Yes", "paragraph": 2})
    assert status == 201 and comment["version"] == 1
    status, _body = _api(owner, "POST", f"/{pk}/versions", {"body": DRAFT + "\nMore.\n"})
    assert status == 201
    status, body = _api(
        owner, "PUT", f"/{pk}/comments/{comment['id']}/response", {"response": "partly"}
    )
    assert status == 409 and "reason" in str(body["detail"]).lower()
    status, body = _api(
        owner,
        "PUT",
        f"/{pk}/comments/{comment['id']}/response",
        {"response": "partly", "reason": "For older persons only."},
    )
    assert status == 200 and body["response"] == "partly"
    status, summary = _api(owner, "POST", f"/{pk}/close", {})
    assert status == 200
    status, body = _api(
        owner,
        "POST",
        f"/{pk}/summary/publish",
        {"version": summary["version"], "title": "T", "summary": "S", "body": ""},
    )
    # An empty text is refused by the schema itself, naming the field to fix.
    assert status == 422 and body["detail"].endswith("fix: body.")
    stale = {"version": summary["version"], "title": "T", "summary": "S", "body": "B"}
    assert _api(owner, "PUT", f"/{pk}/summary", stale)[0] == 200
    status, body = _api(owner, "PUT", f"/{pk}/summary", stale)
    assert status == 409 and "Nothing was overwritten" in str(body["detail"])
    status, body = _api(
        owner, "POST", f"/{pk}/summary/publish", {**stale, "version": summary["version"] + 1}
    )
    assert status == 201 and body["contributors"] == 1
    status, body = _api(amina, "POST", f"/{pk}/comments", {"body": "Late"})
    assert status == 409 and "closed" in str(body["detail"])
    status, body = _api(amina, "GET", f"/{pk}", None)
    assert status == 200 and body["summary_url"] and len(body["versions"]) == 2
    assert DraftVersion.objects.filter(exchange_id=pk).count() == 2


def test_absurd_numbers_get_an_answer_not_an_error(setting: Setting) -> None:
    exchange = start(setting)
    huge = str(10**20)
    url = reverse("consultations:consultation-comment", args=[exchange.pk])
    response = _client(setting.amina).post(url, {"body": "Kept text", "parent": huge})
    assert response.status_code == 200 and "Kept text" in response.content.decode()
    status, _body = _api(
        _client(setting.amina), "POST", f"/{exchange.pk}/comments", {"body": "x", "parent": 10**20}
    )
    assert status == 422
    page = _client(setting.amina).get(exchange.get_absolute_url() + "?version=99999999999999999999")
    assert page.status_code == 200
